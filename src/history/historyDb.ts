import sqlite3 from "sqlite3";
import {diskFullError, isDiskFull, nearlyFull} from "../core/diskFull.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {makeStatePrivate} from "../store/privateFiles.js";

export interface HistoryDbOptions {
  file: string;
  /** The folder holding the file: what a full disk message names. */
  dataDir: string;
  log: Logger;
  /** How long a statement waits for a lock another program holds. */
  busyTimeoutMs: number;
}

/** Statements on the writing connection, inside one transaction. */
export interface Tx {
  run(sql: string, params?: unknown[]): Promise<{lastID: number; changes: number}>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The SQLite file under the history: WAL, private like state.sqlite, and two connections. Writes
 * are transactions on one, run one after another in the order asked (an update never overtakes
 * the insert it updates); a failing one is rolled back whole. Reads go to the other, read-only
 * one: it sees committed transactions only, never half of one that is still writing (statements
 * on a single connection interleave across awaits). Every failure is an AppError a user can act on.
 */
export class HistoryDb {
  readonly #opts: HistoryDbOptions;
  #db?: sqlite3.Database;
  #reader?: sqlite3.Database;
  #writes: Promise<unknown> = Promise.resolve();
  /** The writing connection's statements: given to transactions, and used while opening. */
  readonly #tx: Tx = {
    run: (sql, params = []) => {
      const db = this.#db;
      if (!db) return Promise.reject(new Error("the listening history is closed"));
      return new Promise((resolve, reject) =>
        db.run(sql, params, function (err) {
          if (err) reject(err);
          else resolve({lastID: this.lastID, changes: this.changes});
        }),
      );
    },
    all: <T>(sql: string, params: unknown[] = []) => {
      const db = this.#db;
      if (!db) return Promise.reject(new Error("the listening history is closed"));
      return query<T>(db, sql, params);
    },
  };

  constructor(opts: HistoryDbOptions) {
    this.#opts = opts;
  }

  get file(): string {
    return this.#opts.file;
  }

  /** Open, create what `schema` creates, run `prepare` (a write), then open the reader. */
  async open(schema: string[], prepare: () => Promise<void>): Promise<void> {
    const {file, dataDir, log, busyTimeoutMs} = this.#opts;
    await makeStatePrivate(dataDir, file, log);
    try {
      this.#db = await connect(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, busyTimeoutMs);
      await this.#tx.run("PRAGMA journal_mode=WAL");
      for (const statement of schema) await this.#tx.run(statement);
      await prepare();
      this.#reader = await connect(file, sqlite3.OPEN_READONLY, busyTimeoutMs);
    } catch (err) {
      await this.close();
      throw await this.#explain(err, "open");
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    const reader = this.#reader;
    this.#db = undefined;
    this.#reader = undefined;
    await this.#writes.catch(() => undefined);
    for (const conn of [reader, db]) if (conn) await new Promise<void>((resolve) => conn.close(() => resolve()));
  }

  /** Reads fail as 503 with the reason: the history is there, it just cannot be read now. */
  async read<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const db = this.#reader;
    if (!db) throw new AppError("history_closed", "The listening history is not open", {status: 503});
    try {
      return await query<T>(db, sql, params);
    } catch (err) {
      throw await this.#explain(err, "read");
    }
  }

  /** `fn`'s statements, committed together after every write asked before; or none of them. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const tx = this.#tx;
    const write = async () => {
      // IMMEDIATE takes the write lock first: waiting for another program happens before any change.
      await tx.run("BEGIN IMMEDIATE");
      try {
        const result = await fn(tx);
        await tx.run("COMMIT");
        return result;
      } catch (err) {
        await tx.run("ROLLBACK").catch(() => undefined);
        throw err;
      }
    };
    const next = this.#writes.then(write).catch(async (err: unknown) => {
      throw await this.#explain(err, "save");
    });
    this.#writes = next.catch(() => undefined);
    return next;
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

function connect(file: string, mode: number, busyTimeoutMs: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => {
      if (err) return reject(err);
      db.configure("busyTimeout", busyTimeoutMs);
      resolve(db);
    });
  });
}

function query<T>(db: sqlite3.Database, sql: string, params: unknown[]): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) =>
    db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
  );
}
