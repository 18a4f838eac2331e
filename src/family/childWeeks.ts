import {Days} from "../core/time/days.js";
import type {HistorySessions, HistorySummary} from "../shared/api/history.js";
import {childWeek, WEEK_DAYS} from "./childWeek.js";
import type {SleepRun} from "./sleepRuns.js";
import type {ChildView, ChildWeek, FamilyJournalEntry} from "./types.js";

/** Sessions read per player for a week: more than a week of a child's plays, however short. */
const SESSIONS_A_WEEK = 5000;

export interface ChildWeeksDeps {
  family: {
    child(name: string): ChildView;
    /** The journal's last `days` days, newest first. */
    journal(days: number): FamilyJournalEntry[];
    readonly timeZone: string;
  };
  history: {
    summary(days: number, player?: string): Promise<HistorySummary>;
    sessions(q: {player?: string; from?: string; to?: string; limit: number}): Promise<HistorySessions>;
  };
  sleep: {runs(): readonly SleepRun[]};
  now(): number;
}

/**
 * Each child's week (`GET /api/children/<name>/week`, the Family page's chart, voice, an
 * assistant's read-only tool), read when asked from the listening history, the family journal and
 * the sleep sounds: nothing is kept for it.
 */
export class ChildWeeks {
  constructor(private readonly deps: ChildWeeksDeps) {}

  async week(name: string): Promise<ChildWeek> {
    const {family, history} = this.deps;
    const view = family.child(name);
    const now = this.deps.now();
    const days = new Days(family.timeZone);
    const today = days.dateOf(now);
    const from = Days.add(today, 1 - WEEK_DAYS);
    // The child's players: its own and the shared ones (each counted whole: who listened there is not kept).
    const playerIds = view.players.map((p) => p.id);
    const [summary, ...perPlayer] = await Promise.all([
      history.summary(WEEK_DAYS),
      // A player gone from the account since has no sessions to read: its minutes still count from the daily totals.
      ...playerIds.map((player) =>
        history.sessions({player, from, to: today, limit: SESSIONS_A_WEEK}).catch(() => ({sessions: []})),
      ),
    ]);
    return childWeek({
      child: view.name,
      plan: view.plan,
      timeZone: family.timeZone,
      today,
      now,
      playerIds,
      daily: summary.days,
      sessions: perPlayer.flatMap((page) => page.sessions),
      // A week and the night after its first evening: the journal is kept by calendar date.
      journal: family.journal(WEEK_DAYS + 1).filter((e) => e.child === view.name),
      runs: this.deps.sleep.runs().filter((r) => r.child === view.name),
    });
  }
}
