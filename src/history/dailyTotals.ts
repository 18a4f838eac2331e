import {Days} from "../core/time/days.js";

/**
 * Listening per day and player, kept beside the sessions so a year's chart reads ~3,650 small rows
 * instead of every session of the year. In ms, not seconds: a day is the sum of many sessions, and
 * rounding each part would drift from the sessions it sums. Only closed sessions count here; open
 * ones are the running service's, which adds them from memory up to now (so a checkpoint never
 * counts twice, and a crash counts a session once, when the next start closes it).
 */
export const DAILY_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS daily_listening (
    date TEXT NOT NULL,
    player_id TEXT NOT NULL,
    ms INTEGER NOT NULL,
    PRIMARY KEY (date, player_id)
  ) WITHOUT ROWID`,
  // Which zone the dates above are in: another zone (or a file from before this table) is rebuilt.
  "CREATE TABLE IF NOT EXISTS history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
];
export const ZONE_KEY = "daily_time_zone";

/** One day's listening of one player. */
export interface DailyRow {
  date: string;
  playerId: string;
  ms: number;
}

/** The times of a session, epoch ms: what it gives the days it covers. */
export interface SessionSpan {
  playerId: string;
  startedAt: number;
  endedAt: number;
}

type Run = (sql: string, params: unknown[]) => Promise<unknown>;

/**
 * Changes to the daily totals made by one write (a session added, moved on, closed or deleted),
 * gathered first so each day is written once however many sessions touch it.
 */
export class DailyChanges {
  readonly #days: Days;
  /** date → player id → ms to add (negative to take away). */
  readonly #ms = new Map<string, Map<string, number>>();

  constructor(days: Days) {
    this.#days = days;
  }

  /** Count a session's part of each day it covers (`sign` -1 takes it away); across midnight is two days. */
  add(s: SessionSpan, sign: 1 | -1 = 1): void {
    if (s.endedAt <= s.startedAt) return;
    let date = this.#days.dateOf(s.startedAt);
    let from = s.startedAt;
    while (from < s.endedAt) {
      const next = Days.add(date, 1);
      const dayEnd = this.#days.startOf(next);
      const to = Math.min(s.endedAt, dayEnd);
      let players = this.#ms.get(date);
      if (!players) {
        players = new Map();
        this.#ms.set(date, players);
      }
      players.set(s.playerId, (players.get(s.playerId) ?? 0) + sign * (to - from));
      from = dayEnd;
      date = next;
    }
  }

  /** Write the changes inside the caller's transaction; days brought to nothing are deleted. */
  async apply(run: Run): Promise<void> {
    for (const [date, players] of this.#ms)
      for (const [playerId, ms] of players) {
        if (ms === 0) continue;
        await run(
          "INSERT INTO daily_listening (date, player_id, ms) VALUES (?, ?, ?) ON CONFLICT (date, player_id) DO UPDATE SET ms = ms + excluded.ms",
          [date, playerId, ms],
        );
        if (ms < 0)
          await run("DELETE FROM daily_listening WHERE date = ? AND player_id = ? AND ms <= 0", [date, playerId]);
      }
  }
}

/**
 * The daily rows of `from`…`to` (dates, inclusive), optionally of one player. SQLite finds a
 * year's 3,650 rows in a third of a millisecond, but the driver then takes ~1.5 µs to turn each
 * row into an object: one row per player, its days joined into a string, is four times faster.
 */
export function dailyQuery(from: string, to: string, playerId?: string): [string, unknown[]] {
  const where = playerId === undefined ? "" : " AND player_id = ?";
  const sql = `SELECT player_id AS playerId, group_concat(date || '=' || ms) AS days FROM daily_listening WHERE date >= ? AND date <= ?${where} GROUP BY player_id`;
  return [sql, playerId === undefined ? [from, to] : [from, to, playerId]];
}

/** The rows `dailyQuery` answers, one per day again. */
export function dailyRows(packed: Array<{playerId: string; days: string}>): DailyRow[] {
  const rows: DailyRow[] = [];
  for (const {playerId, days} of packed)
    for (const day of days.split(",")) rows.push({date: day.slice(0, 10), playerId, ms: Number(day.slice(11))});
  return rows;
}
