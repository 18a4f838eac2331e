import {Days} from "../core/time/days.js";
import {WEEKDAYS} from "./childPlan.js";
import {Nights} from "./nights.js";
import type {SleepRun} from "./sleepRuns.js";
import type {ChildPlan, ChildWeek, FamilyJournalEntry, WeekDay, WeekTitle} from "./types.js";
import {budgetMinutes} from "./verdict.js";

export const WEEK_DAYS = 7;
const TOP_A_DAY = 3;
const TOP_A_WEEK = 5;

/** What a child's week is made of: what the history, the journal and the sleep sounds kept. */
export interface WeekSources {
  child: string;
  plan: ChildPlan;
  timeZone: string;
  /** The week's last day (today, in the zone). */
  today: string;
  now: number;
  /** The players the child's listening is counted on. */
  playerIds: readonly string[];
  /** Seconds per date and player (the history's daily totals). */
  daily: ReadonlyArray<{date: string; seconds: Record<string, number>}>;
  /** The listening sessions of the week on those players. */
  sessions: ReadonlyArray<{playerId: string; cardTitle?: string; startedAt: string; seconds: number}>;
  /** The child's journal entries of the week and the night after it. */
  journal: readonly FamilyJournalEntry[];
  /** The child's sleep sounds. */
  runs: readonly SleepRun[];
}

/**
 * A child's last seven days as a parent reads them at a glance: minutes against the budget and
 * the top titles by calendar date (the zone's: a day the clocks change is 23 or 25 hours), and
 * refusals, asks and the night's wakes by the evening they belong to (a refusal at 00:30 and a
 * wake at 02:10 are that evening's night, as the Family page's journal tells it). Computed from
 * what is kept; nothing is stored for it.
 */
export function childWeek(src: WeekSources): ChildWeek {
  const nights = new Nights(src.timeZone);
  const days = nights.days;
  const from = Days.add(src.today, 1 - WEEK_DAYS);
  const dates = Array.from({length: WEEK_DAYS}, (_, i) => Days.add(from, i));
  const players = new Set(src.playerIds);
  const nightRuns = src.runs.filter((r) => r.night && players.has(r.playerId));
  const eveningOf = (at: number) => nights.evening(src.plan, at);
  const inNight = (playerId: string, at: number) =>
    nightRuns.some((r) => r.playerId === playerId && at >= r.startedAt && at < (r.endedAt ?? src.now));
  const titlesByDate = new Map<string, Map<string, number>>();
  for (const s of src.sessions) {
    const at = Date.parse(s.startedAt);
    if (!players.has(s.playerId) || !s.cardTitle || inNight(s.playerId, at)) continue;
    const byTitle = titlesByDate.get(days.dateOf(at)) ?? new Map<string, number>();
    byTitle.set(s.cardTitle, (byTitle.get(s.cardTitle) ?? 0) + s.seconds);
    titlesByDate.set(days.dateOf(at), byTitle);
  }
  const counted = (what: FamilyJournalEntry["what"], date: string) =>
    src.journal.filter((e) => e.child === src.child && e.what === what && eveningOf(Date.parse(e.at)) === date).length;
  const week: WeekDay[] = dates.map((date) => {
    const start = days.startOf(date);
    const end = days.startOf(Days.add(date, 1));
    const heard = src.daily.find((d) => d.date === date)?.seconds ?? {};
    let seconds = 0;
    for (const id of players) seconds += Object.hasOwn(heard, id) ? (heard[id] ?? 0) : 0;
    const sleptMs = nightRuns.reduce((ms, r) => ms + overlap(r, start, end, src.now), 0);
    const wakes = nightRuns
      .filter((r) => r.evening === date)
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((r) => ({
        at: new Date(r.startedAt).toISOString(),
        reason: r.reason,
        sound: r.title,
        minutes: Math.round(((r.endedAt ?? src.now) - r.startedAt) / 60_000),
      }));
    return {
      date,
      weekday: WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? "sun",
      minutes: Math.max(0, Math.round((seconds - sleptMs / 1000) / 60)),
      budget: budgetMinutes(src.plan, date),
      top: topOf(titlesByDate.get(date), TOP_A_DAY),
      refusals: counted("refused", date),
      asks: counted("request", date),
      night: {wakes, sleep_minutes: wakes.reduce((m, w) => m + w.minutes, 0)},
    };
  });
  const all = new Map<string, number>();
  for (const byTitle of titlesByDate.values())
    for (const [title, s] of byTitle) all.set(title, (all.get(title) ?? 0) + s);
  return {
    child: src.child,
    timeZone: src.timeZone,
    from,
    to: src.today,
    days: week,
    minutes: week.reduce((m, d) => m + d.minutes, 0),
    top: topOf(all, TOP_A_WEEK),
  };
}

/** How much of a run fell between `start` and `end` (a run still playing, up to now). */
function overlap(run: SleepRun, start: number, end: number, now: number): number {
  return Math.max(0, Math.min(run.endedAt ?? now, end) - Math.max(run.startedAt, start));
}

/** The most listened titles, most first (a tie by title), in whole minutes; none under half a minute. */
function topOf(byTitle: Map<string, number> | undefined, count: number): WeekTitle[] {
  return [...(byTitle ?? [])]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, count)
    .map(([title, seconds]) => ({title, minutes: Math.round(seconds / 60)}))
    .filter((t) => t.minutes > 0);
}
