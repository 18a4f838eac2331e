import path from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import Keyv from "keyv";
import {type AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {StoreNamespace, type StoreOutcomes} from "./namespace.js";
import {makeStatePrivate} from "./privateFiles.js";
import {storeError} from "./storeErrors.js";

export const STATE_FILE = "state.sqlite";
/** How long a write waits for a lock another program holds before it fails with a 503. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
// Namespaces are table names too: one concern, one table.
const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,40}$/;

export interface StoreOptions {
  /** SQLite retries a locked database this long before giving up; tests shorten it. */
  busyTimeoutMs?: number;
}

/** What services need of the store; tests and tools may hand in their own. */
export interface StateStore {
  namespace<T>(name: string): StoreNamespace<T>;
  entries<T>(name: string): Promise<Array<[string, T]>>;
}

/**
 * Persistent state in `<data_dir>/state.sqlite`, one namespace per concern (tokens, library,
 * streams…). Keyv writes its namespace onto the adapter, so each namespace gets its own adapter (a
 * connection and a table of its own in the same file); WAL keeps concurrent connections cheap and
 * crash-safe. A write resolves only once committed; a failed one rejects with the reason and marks
 * the store degraded in `/api/health` until a write succeeds again.
 */
export class Store implements Service, StateStore {
  readonly name = "store";
  readonly critical = true;
  readonly #dataDir: string;
  readonly #file: string;
  readonly #log: Logger;
  readonly #busyTimeoutMs: number;
  readonly #namespaces = new Map<string, {space: StoreNamespace<unknown>; keyv: Keyv; adapter: KeyvSqlite}>();
  readonly #outcomes: StoreOutcomes;
  /** Why the last write failed, while no write has succeeded since. */
  #problem?: {error: AppError; what: string; since: string};
  #started = false;

  constructor(dataDir: string, log: Logger, options: StoreOptions = {}) {
    this.#dataDir = dataDir;
    this.#file = path.join(dataDir, STATE_FILE);
    this.#log = log;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.#outcomes = {
      explain: (err, doing) =>
        storeError(err, {dataDir: this.#dataDir, file: this.#file, busyTimeoutMs: this.#busyTimeoutMs, doing}),
      writeFailed: (error, what) => this.#writeFailed(error, what),
      writeSucceeded: () => this.#writeSucceeded(),
    };
  }

  get file(): string {
    return this.#file;
  }

  async start(): Promise<void> {
    await makeStatePrivate(this.#dataDir, this.#file, this.#log);
    this.#started = true;
    // journal_mode=WAL is stored in the file; in WAL every commit is appended and synced before
    // the statement returns, so a write that resolved survives a killed process.
    const meta = this.#adapter("meta");
    try {
      await meta.adapter.query("PRAGMA journal_mode=WAL");
    } catch (err) {
      throw await this.#outcomes.explain(err, "open");
    }
    try {
      await meta.space.set("opened_at", new Date().toISOString());
    } catch {
      // A full disk must not keep the service from starting: it runs degraded (see health) and
      // every later write says why it failed.
    }
    this.#log.debug(() => `State store opened at '${this.#file}'`);
  }

  async stop(): Promise<void> {
    const all = [...this.#namespaces.values()];
    this.#namespaces.clear();
    this.#started = false;
    this.#problem = undefined;
    // One at a time: the last connection to close folds the WAL back into the database file and
    // removes it, which it cannot do while another is still closing.
    for (const {adapter} of all) {
      await adapter
        .disconnect()
        .catch((err: unknown) => this.#log.warning(`Closing the state database: ${errorMessage(err)}`));
    }
  }

  /** Degraded, with the reason, while writes fail: the data shown may not survive a restart. */
  health() {
    const problem = this.#problem;
    return {
      ...(problem ? {degraded: true, error: problem.error.message} : {}),
      details: {file: this.#file, ...(problem ? {failingSince: problem.since, lastFailedWrite: problem.what} : {})},
    };
  }

  /** The namespace of one concern. Values are JSON-serialisable state of that concern only. */
  namespace<T>(name: string): StoreNamespace<T> {
    return this.#adapter(name).space as StoreNamespace<T>;
  }

  /** Every entry of a namespace, for loading an in-memory index at start. */
  async entries<T>(name: string): Promise<Array<[string, T]>> {
    const {keyv} = this.#adapter(name);
    const out: Array<[string, T]> = [];
    if (!keyv.iterator) return out;
    try {
      for await (const [key, value] of keyv.iterator(name)) out.push([String(key).replace(`${name}:`, ""), value as T]);
    } catch (err) {
      throw await this.#outcomes.explain(err, "read");
    }
    return out;
  }

  #adapter(name: string): {space: StoreNamespace<unknown>; keyv: Keyv; adapter: KeyvSqlite} {
    if (!this.#started) throw new Error(`Store: namespace('${name}') called before start()`);
    if (!NAMESPACE_PATTERN.test(name)) throw new Error(`Store: invalid namespace '${name}'`);
    let entry = this.#namespaces.get(name);
    if (!entry) {
      const adapter = new KeyvSqlite({
        uri: `sqlite://${this.#file}`,
        table: name,
        // SQLite's busy handler retries a locked database with short sleeps for this long.
        busyTimeout: this.#busyTimeoutMs,
        iterationLimit: 1000,
      });
      // Keyv swallows adapter errors unless told to throw; StoreNamespace turns them into answers.
      const keyv = new Keyv({store: adapter, namespace: name, throwOnErrors: true});
      // Keyv also emits each error; without a listener that emit would throw on its own.
      keyv.on("error", (err: unknown) => this.#log.debug(() => `SQLite error in '${name}' (${errorMessage(err)})`));
      entry = {
        space: new StoreNamespace(name, keyv, this.#outcomes, (sql, ...parameters) =>
          adapter.query(sql, ...parameters),
        ),
        keyv,
        adapter,
      };
      this.#namespaces.set(name, entry);
    }
    return entry;
  }

  #writeFailed(error: AppError, what: string): void {
    const known = this.#problem?.error.message === error.message;
    this.#problem = {error, what, since: known && this.#problem ? this.#problem.since : new Date().toISOString()};
    // The first failure of a kind is an error; a scan repeating it a thousand times is not news.
    if (known) this.#log.debug(() => `Could not save '${what}' (${error.message})`);
    else this.#log.error(`Could not save '${what}' to the state database: ${error.message}`);
  }

  #writeSucceeded(): void {
    if (!this.#problem) return;
    this.#log.info(`The state database takes writes again (failing since ${this.#problem.since})`);
    this.#problem = undefined;
  }
}
