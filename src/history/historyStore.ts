import {statfs} from "node:fs/promises";
import sqlite3 from "sqlite3";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {makeStatePrivate} from "../store/privateFiles.js";

export const HISTORY_FILE = "history.sqlite";
const NEARLY_FULL_BYTES = 64 * 1024;

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
/** Only the times of a session, for totals. */
export type Span = Pick<SessionRow, "playerId" | "startedAt" | "endedAt">;

export interface HistoryStoreOptions {
  file: string;
  /** The folder holding the file: what a full disk message names. */
  dataDir: string;
  log: Logger;
  /** How long a statement waits for a lock another program holds. */
  busyTimeoutMs: number;
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
];
const COLUMNS =
  "id, player_id AS playerId, player, card_id AS cardId, card_title AS cardTitle, chapter_title AS chapterTitle, started_at AS startedAt, ended_at AS endedAt, open";

/**
 * The listening history in its own SQLite file (`<data_dir>/history.sqlite`), apart from the
 * key-value state store: sessions are read by time range and summed, which a key-value table
 * cannot do. WAL, private like state.sqlite. Writes run one after another in the order asked (an
 * update never overtakes the insert it updates) and reject with a reason a user can act on.
 */
export class HistoryStore {
  readonly #opts: HistoryStoreOptions;
  #db?: sqlite3.Database;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(opts: HistoryStoreOptions) {
    this.#opts = opts;
  }

  get file(): string {
    return this.#opts.file;
  }

  async open(): Promise<void> {
    const {file, dataDir, log} = this.#opts;
    await makeStatePrivate(dataDir, file, log);
    try {
      this.#db = await new Promise<sqlite3.Database>((resolve, reject) => {
        const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) =>
          err ? reject(err) : resolve(db),
        );
      });
      this.#db.configure("busyTimeout", this.#opts.busyTimeoutMs);
      await this.#run("PRAGMA journal_mode=WAL");
      for (const statement of SCHEMA) await this.#run(statement);
    } catch (err) {
      await this.close();
      throw await this.#explain(err, "open");
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    await this.#writes.catch(() => undefined);
    if (db) await new Promise<void>((resolve) => db.close(() => resolve()));
  }

  /** After a crash: sessions still marked open end at their last checkpoint. Returns how many. */
  closeLeftOpen(): Promise<number> {
    return this.#write(async () => (await this.#run("UPDATE sessions SET open = 0 WHERE open = 1")).changes);
  }

  insert(s: NewSession): Promise<number> {
    return this.#write(
      async () =>
        (
          await this.#run(
            "INSERT INTO sessions (player_id, player, card_id, card_title, chapter_title, started_at, ended_at, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [s.playerId, s.player, s.cardId, s.cardTitle, s.chapterTitle, s.startedAt, s.endedAt, s.open ? 1 : 0],
          )
        ).lastID,
    );
  }

  /** A checkpoint (open) or the close: the end moves on, titles learnt meanwhile are kept. */
  update(id: number, s: Pick<SessionRow, "endedAt" | "open" | "cardTitle" | "chapterTitle" | "player">): Promise<void> {
    return this.#write(async () => {
      await this.#run(
        "UPDATE sessions SET ended_at = ?, open = ?, card_title = ?, chapter_title = ?, player = ? WHERE id = ?",
        [s.endedAt, s.open ? 1 : 0, s.cardTitle, s.chapterTitle, s.player, id],
      );
    });
  }

  remove(id: number): Promise<void> {
    return this.#write(async () => {
      await this.#run("DELETE FROM sessions WHERE id = ?", [id]);
    });
  }

  /** Delete closed sessions that ended before `before`; returns how many. */
  prune(before: number): Promise<number> {
    return this.#write(
      async () => (await this.#run("DELETE FROM sessions WHERE ended_at < ? AND open = 0", [before])).changes,
    );
  }

  /**
   * The times of closed sessions that overlap `[from, to)`, optionally of one player. Open rows
   * are left out: after start they are all this process's live sessions, which memory has newer.
   */
  spans(from: number, to: number, playerId?: string): Promise<Span[]> {
    const [where, params] = overlapping(from, to, playerId);
    return this.#all<Span>(
      `SELECT player_id AS playerId, started_at AS startedAt, ended_at AS endedAt FROM sessions WHERE ${where} AND open = 0`,
      params,
    );
  }

  /** Sessions overlapping `[from, to)` (either may be open-ended), newest first. */
  async sessions(q: {from?: number; to?: number; playerId?: string; limit: number}): Promise<SessionRow[]> {
    const [where, params] = overlapping(q.from, q.to, q.playerId);
    const rows = await this.#all<Omit<SessionRow, "open"> & {open: number}>(
      `SELECT ${COLUMNS} FROM sessions WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT ?`,
      [...params, q.limit],
    );
    return rows.map((r) => ({...r, open: r.open === 1}));
  }

  /** Every player with history, by the name it had last. */
  players(): Promise<Array<{id: string; name: string}>> {
    return this.#all(
      "SELECT player_id AS id, player AS name FROM sessions WHERE id IN (SELECT MAX(id) FROM sessions GROUP BY player_id)",
    );
  }

  /** Reads fail as 503 with the reason: the history is there, it just cannot be read now. */
  async #all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const db = this.#db;
    if (!db) throw new AppError("history_closed", "The listening history is not open", {status: 503});
    try {
      return await new Promise<T[]>((resolve, reject) =>
        db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
      );
    } catch (err) {
      throw await this.#explain(err, "read");
    }
  }

  #write<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(fn).catch(async (err: unknown) => {
      throw await this.#explain(err, "save");
    });
    this.#writes = next.catch(() => undefined);
    return next;
  }

  #run(sql: string, params: unknown[] = []): Promise<{lastID: number; changes: number}> {
    const db = this.#db;
    if (!db) return Promise.reject(new Error("the listening history is closed"));
    return new Promise((resolve, reject) =>
      db.run(sql, params, function (err) {
        if (err) reject(err);
        else resolve({lastID: this.lastID, changes: this.changes});
      }),
    );
  }

  /** 507 for a full disk (the usual message), 503 for a lock held elsewhere, else SQLite's reason. */
  async #explain(err: unknown, doing: "open" | "save" | "read"): Promise<AppError> {
    if (err instanceof AppError) return err;
    const code = (err as {code?: unknown} | undefined)?.code;
    if (isDiskFull(err) || code === "SQLITE_FULL") return diskFullError(this.#opts.dataDir, err);
    // An I/O error on a disk this close to full is the same thing said less clearly.
    if (typeof code === "string" && code.startsWith("SQLITE_IOERR") && (await nearlyFull(this.#opts.dataDir)))
      return diskFullError(this.#opts.dataDir, err);
    const file = this.#opts.file;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED")
      return new AppError(
        "history_busy",
        `The listening history '${file}' is locked by another program (${code}): close whatever has it open (a backup, an sqlite3 shell, a second copy of this service) and retry`,
        {status: 503, expose: true, cause: err},
      );
    return new AppError("history_failed", `Could not ${doing} the listening history '${file}' (${errorMessage(err)})`, {
      status: doing === "read" ? 503 : 500,
      expose: true,
      cause: err,
    });
  }
}

async function nearlyFull(dir: string): Promise<boolean> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
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
