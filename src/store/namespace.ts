import type Keyv from "keyv";
import type {AppError} from "../core/errors.js";

/** How a namespace tells its store what happened, so the store can show it in `/api/health`. */
export interface StoreOutcomes {
  /** Turn a failure into the error the caller gets (507 disk full, 503 locked, 500 otherwise). */
  explain(err: unknown, doing: "save" | "read" | "open"): Promise<AppError>;
  /** A write failed: the store is degraded until a write succeeds again. */
  writeFailed(error: AppError, what: string): void;
  writeSucceeded(): void;
}

export type SqlQuery = (sql: string, ...parameters: unknown[]) => Promise<unknown>;

// SQLite takes at most 32,766 parameters in a statement (two per row), and a few hundred rows are
// already one commit for many.
const ROWS_PER_STATEMENT = 500;

/**
 * One concern's slice of the state store. Unlike a bare Keyv, which reports a failed write as
 * `false` (or not at all) and so let callers acknowledge what was never saved, every method here
 * resolves only once SQLite committed, and otherwise rejects with an error that says why.
 */
export class StoreNamespace<T> {
  readonly name: string;
  readonly #keyv: Keyv<T>;
  readonly #outcomes: StoreOutcomes;
  readonly #query: SqlQuery;

  /** `query` runs SQL on the namespace's table (named after it), for writes Keyv has no batch for. */
  constructor(name: string, keyv: Keyv<T>, outcomes: StoreOutcomes, query: SqlQuery) {
    this.name = name;
    this.#keyv = keyv;
    this.#outcomes = outcomes;
    this.#query = query;
  }

  async get(key: string): Promise<T | undefined> {
    try {
      return await this.#keyv.get(key);
    } catch (err) {
      throw await this.#outcomes.explain(err, "read");
    }
  }

  /** Resolves once the value is committed to the database file. */
  async set(key: string, value: T): Promise<void> {
    await this.#write(key, async () => {
      // Keyv answers false when the adapter says the write did not happen: that is a failure too.
      if ((await this.#keyv.set(key, value)) === false) throw new Error("the database did not take the value");
    });
  }

  /**
   * Many values in one statement, so one commit: the first index of a large library saves its
   * entries a few hundred at a time instead of paying a transaction each. Stored exactly as `set`
   * stores them (Keyv's serialisation, `<namespace>:<key>`), so `get` and iteration read them back.
   */
  async setMany(entries: ReadonlyArray<readonly [string, T]>): Promise<void> {
    for (let from = 0; from < entries.length; from += ROWS_PER_STATEMENT) {
      const chunk = entries.slice(from, from + ROWS_PER_STATEMENT);
      const what = chunk.length === 1 ? String(chunk[0]?.[0]) : `${chunk[0]?.[0]} and ${chunk.length - 1} more`;
      await this.#write(what, async () => {
        const values: string[] = [];
        for (const [key, value] of chunk) {
          const serialized = await this.#keyv.serializeData({value, expires: undefined});
          values.push(`${this.name}:${key}`, String(serialized));
        }
        await this.#query(
          `INSERT INTO ${this.name} (key, value) VALUES ${chunk.map(() => "(?, ?)").join(", ")}
           ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          ...values,
        );
      });
    }
  }

  /** Resolves once the key is gone from the database file (or was never there). */
  async delete(key: string): Promise<void> {
    await this.#write(key, () => this.#keyv.delete(key));
  }

  async #write(key: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (err) {
      const error = await this.#outcomes.explain(err, "save");
      this.#outcomes.writeFailed(error, `${this.name}/${key}`);
      throw error;
    }
    this.#outcomes.writeSucceeded();
  }
}
