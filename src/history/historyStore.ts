import type {Logger} from "../core/logger.js";
import {Days} from "../core/time/days.js";
import {
  DAILY_SCHEMA,
  DailyChanges,
  type DailyRow,
  dailyQuery,
  dailyRows,
  type SessionSpan,
  ZONE_KEY,
} from "./dailyTotals.js";
import {HistoryDb, type Tx} from "./historyDb.js";

export const HISTORY_FILE = "history.sqlite";

/** One session as stored; times are epoch ms. An open row's `endedAt` is its last checkpoint. */
export interface SessionRow {
  id: number;
  playerId: string;
  player: string;
  cardId: string | null;
  cardTitle: string | null;
  chapterTitle: string | null;
  startedAt: number;
  endedAt: number;
  open: boolean;
}

export type NewSession = Omit<SessionRow, "id">;

export interface HistoryStoreOptions {
  file: string;
  /** The folder holding the file: what a full disk message names. */
  dataDir: string;
  log: Logger;
  /** How long a statement waits for a lock another program holds. */
  busyTimeoutMs: number;
  /** The zone the daily totals' dates are in (see dailyTotals.ts). */
  timeZone: string;
}

// Sessions are read by time ("the last 14 days", "newest first") and by player within a time:
// one index for each way in. Rows are never updated after they close, so the indexes stay cheap.
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    player_id TEXT NOT NULL,
    player TEXT NOT NULL,
    card_id TEXT,
    card_title TEXT,
    chapter_title TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    open INTEGER NOT NULL DEFAULT 0
  )`,
  "CREATE INDEX IF NOT EXISTS sessions_by_end ON sessions (ended_at)",
  "CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions (started_at)",
  "CREATE INDEX IF NOT EXISTS sessions_by_player ON sessions (player_id, ended_at)",
  ...DAILY_SCHEMA,
];
const COLUMNS =
  "id, player_id AS playerId, player, card_id AS cardId, card_title AS cardTitle, chapter_title AS chapterTitle, started_at AS startedAt, ended_at AS endedAt, open";
const SPAN = "player_id AS playerId, started_at AS startedAt, ended_at AS endedAt";
type StoredSpan = SessionSpan & {open: number};

/**
 * The listening history in its own SQLite file (`<data_dir>/history.sqlite`, see HistoryDb), apart
 * from the key-value state store: sessions are read by time range and summed, which a key-value
 * table cannot do. Every write changes a session and, in the same transaction, the daily totals
 * (dailyTotals.ts) it counts towards, so both change or neither does: a failed write leaves the
 * file as it was, and the service's retry starts from there.
 */
export class HistoryStore {
  readonly #db: HistoryDb;
  readonly #days: Days;
  readonly #opts: HistoryStoreOptions;

  constructor(opts: HistoryStoreOptions) {
    this.#opts = opts;
    this.#db = new HistoryDb(opts);
    this.#days = new Days(opts.timeZone);
  }

  get file(): string {
    return this.#db.file;
  }

  open(): Promise<void> {
    return this.#db.open(SCHEMA, () => this.#rebuildDailyIfStale());
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  /** After a crash: sessions still marked open end at their last checkpoint, and count. Returns how many. */
  closeLeftOpen(): Promise<number> {
    return this.#write(async (tx, daily) => {
      for (const s of await tx.all<SessionSpan>(`SELECT ${SPAN} FROM sessions WHERE open = 1`)) daily.add(s);
      return (await tx.run("UPDATE sessions SET open = 0 WHERE open = 1")).changes;
    });
  }

  insert(s: NewSession): Promise<number> {
    return this.#write(async (tx, daily) => {
      const {lastID} = await tx.run(
        "INSERT INTO sessions (player_id, player, card_id, card_title, chapter_title, started_at, ended_at, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [s.playerId, s.player, s.cardId, s.cardTitle, s.chapterTitle, s.startedAt, s.endedAt, s.open ? 1 : 0],
      );
      if (!s.open) daily.add(s);
      return lastID;
    });
  }

  /**
   * A checkpoint (open) or the close: the end moves on, titles learnt meanwhile are kept. The days
   * lose what the row counted before (nothing while it was open) and gain what it counts now.
   */
  update(id: number, s: Pick<SessionRow, "endedAt" | "open" | "cardTitle" | "chapterTitle" | "player">): Promise<void> {
    return this.#write(async (tx, daily) => {
      const [before] = await tx.all<StoredSpan>(`SELECT ${SPAN}, open FROM sessions WHERE id = ?`, [id]);
      await tx.run(
        "UPDATE sessions SET ended_at = ?, open = ?, card_title = ?, chapter_title = ?, player = ? WHERE id = ?",
        [s.endedAt, s.open ? 1 : 0, s.cardTitle, s.chapterTitle, s.player, id],
      );
      if (!before) return;
      if (before.open === 0) daily.add(before, -1);
      if (!s.open) daily.add({...before, endedAt: s.endedAt});
    });
  }

  remove(id: number): Promise<void> {
    return this.#write(async (tx, daily) => {
      const [before] = await tx.all<StoredSpan>(`SELECT ${SPAN}, open FROM sessions WHERE id = ?`, [id]);
      await tx.run("DELETE FROM sessions WHERE id = ?", [id]);
      if (before?.open === 0) daily.add(before, -1);
    });
  }

  /** Delete closed sessions that ended before `before`, and their part of the days; returns how many. */
  prune(before: number): Promise<number> {
    return this.#write(async (tx, daily) => {
      const old = await tx.all<SessionSpan>(`SELECT ${SPAN} FROM sessions WHERE ended_at < ? AND open = 0`, [before]);
      for (const s of old) daily.add(s, -1);
      return (await tx.run("DELETE FROM sessions WHERE ended_at < ? AND open = 0", [before])).changes;
    });
  }

  /** Listening per day and player over `from`…`to` (dates, inclusive): closed sessions only. */
  async daily(from: string, to: string, playerId?: string): Promise<DailyRow[]> {
    const [sql, params] = dailyQuery(from, to, playerId);
    return dailyRows(await this.#db.read<{playerId: string; days: string}>(sql, params));
  }

  /** Sessions overlapping `[from, to)` (either may be open-ended), newest first. */
  async sessions(q: {from?: number; to?: number; playerId?: string; limit: number}): Promise<SessionRow[]> {
    const [where, params] = overlapping(q.from, q.to, q.playerId);
    const rows = await this.#db.read<Omit<SessionRow, "open"> & {open: number}>(
      `SELECT ${COLUMNS} FROM sessions WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT ?`,
      [...params, q.limit],
    );
    return rows.map((r) => ({...r, open: r.open === 1}));
  }

  /** Every player with history, by the name it had last. */
  players(): Promise<Array<{id: string; name: string}>> {
    return this.#db.read(
      "SELECT player_id AS id, player AS name FROM sessions WHERE id IN (SELECT MAX(id) FROM sessions GROUP BY player_id)",
    );
  }

  /** A write of sessions with the daily totals it changes, in one transaction. */
  #write<T>(fn: (tx: Tx, daily: DailyChanges) => Promise<T>): Promise<T> {
    return this.#db.transaction(async (tx) => {
      const daily = new DailyChanges(this.#days);
      const result = await fn(tx, daily);
      await daily.apply(tx.run);
      return result;
    });
  }

  /**
   * The daily totals are dates in one zone: a file written in another zone (the add-on's zone
   * changed) or before the table existed gets them worked out again from its closed sessions.
   */
  async #rebuildDailyIfStale(): Promise<void> {
    const zone = this.#opts.timeZone;
    const counted = await this.#write(async (tx, daily) => {
      const [kept] = await tx.all<{value: string}>("SELECT value FROM history_meta WHERE key = ?", [ZONE_KEY]);
      if (kept?.value === zone) return 0;
      await tx.run("DELETE FROM daily_listening");
      const closed = await tx.all<SessionSpan>(`SELECT ${SPAN} FROM sessions WHERE open = 0`);
      for (const s of closed) daily.add(s);
      await tx.run("INSERT OR REPLACE INTO history_meta (key, value) VALUES (?, ?)", [ZONE_KEY, zone]);
      return closed.length;
    });
    if (counted > 0)
      this.#opts.log.info(`Listening per day worked out again from ${counted} session(s), in the time zone ${zone}`);
  }
}

/** The WHERE clause for sessions overlapping `[from, to)`, with its parameters. */
function overlapping(from?: number, to?: number, playerId?: string): [string, unknown[]] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (playerId !== undefined) {
    clauses.push("player_id = ?");
    params.push(playerId);
  }
  if (from !== undefined) {
    clauses.push("ended_at > ?");
    params.push(from);
  }
  if (to !== undefined) {
    // The unary plus keeps SQLite off the started_at index here: "ended after `from`" is the
    // narrow side of a recent range, and one index per table scan is all it uses.
    clauses.push(from !== undefined ? "+started_at < ?" : "started_at < ?");
    params.push(to);
  }
  return [clauses.length ? clauses.join(" AND ") : "1", params];
}
