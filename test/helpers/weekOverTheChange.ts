import {zonedInstant} from "../../src/core/time/zoned.js";
import type {WeekSources} from "../../src/family/childWeek.js";
import type {SleepRun} from "../../src/family/sleepRuns.js";
import type {FamilyJournalEntry} from "../../src/family/types.js";
import {sleepRun} from "./sleepRun.js";

export const ZONE = "Europe/London";
export const MIN = 60_000;
/** An instant on London's wall clock; the clocks go back from 02:00 BST to 01:00 GMT on 2027-10-31. */
export const at = (date: string, h: number, m: number) => {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  return zonedInstant(y, mo, d, h * 3600 + m * 60, ZONE);
};
export const iso = (t: number) => new Date(t).toISOString();
const night = {bedtime: "19:30", wake: "07:00"};
const PLAN = {
  players: ["mini"],
  budget: {minutes: 60, weekdays: {sat: 90}},
  schedule: Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night])),
};
const run = (startedAt: number, minutes: number, extra: Partial<SleepRun> = {}): SleepRun =>
  sleepRun({startedAt, endedAt: startedAt + minutes * MIN, ...extra});
const entry = (t: number, what: FamilyJournalEntry["what"], child = "Mia"): FamilyJournalEntry => ({
  at: iso(t),
  child,
  what,
  text: what,
});

/** Saturday night: rain from 23:50 to 00:30, then from 01:30 BST for an hour (to 01:30 GMT), as the crying wakes her. */
export const RAIN_BEFORE_MIDNIGHT = run(at("2027-10-30", 23, 50), 40);
export const RAIN_OVER_THE_CHANGE = run(at("2027-10-31", 0, 30) + 60 * MIN, 60, {reason: "crying"});

/**
 * Mia's week to Monday 2027-11-01 in London, the week the clocks go back: what the history, the
 * journal and the sleep sounds hold, with a night across midnight and the hour that happens twice.
 */
export function weekOverTheChange(): WeekSources {
  const rainBeforeMidnight = RAIN_BEFORE_MIDNIGHT;
  const rainOverTheChange = RAIN_OVER_THE_CHANGE;
  return {
    child: "Mia",
    plan: PLAN,
    timeZone: ZONE,
    today: "2027-11-01",
    now: at("2027-11-01", 12, 0),
    playerIds: ["mini"],
    daily: [
      // What the history counts: the rain too (10 minutes of it on Saturday, 90 after midnight).
      {date: "2027-10-30", seconds: {mini: (80 + 10) * 60, living: 999}},
      {date: "2027-10-31", seconds: {mini: (45 + 90) * 60}},
    ],
    sessions: [
      {playerId: "mini", cardTitle: "The Gruffalo", startedAt: iso(at("2027-10-30", 14, 0)), seconds: 40 * 60},
      {playerId: "mini", cardTitle: "Songs", startedAt: iso(at("2027-10-30", 16, 0)), seconds: 20 * 60},
      {playerId: "mini", cardTitle: "Rain", startedAt: iso(rainBeforeMidnight.startedAt), seconds: 40 * 60},
      {playerId: "mini", cardTitle: "The Gruffalo", startedAt: iso(at("2027-10-31", 10, 0)), seconds: 45 * 60},
      {playerId: "living", cardTitle: "Ben's Tape", startedAt: iso(at("2027-10-31", 10, 0)), seconds: 99 * 60},
    ],
    journal: [
      entry(at("2027-10-30", 20, 5), "refused"),
      entry(at("2027-10-30", 20, 6), "request"),
      // 00:40 is Saturday's night still; 15:00 on Sunday is Sunday's.
      entry(at("2027-10-31", 0, 40), "refused"),
      entry(at("2027-10-31", 15, 0), "refused"),
      entry(at("2027-10-31", 15, 0), "refused", "Ben"),
    ],
    runs: [
      rainBeforeMidnight,
      rainOverTheChange,
      run(at("2027-10-31", 11, 0), 30, {night: false, evening: "2027-10-31"}),
    ],
  };
}
