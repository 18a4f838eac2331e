import {mkdir} from "node:fs/promises";
import path from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import Keyv from "keyv";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";

export const STATE_FILE = "state.sqlite";
// Namespaces are table names too: one concern, one table.
const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,40}$/;

/**
 * Persistent state in `<data_dir>/state.sqlite`, one Keyv per concern (tokens, library, streams…).
 * Keyv writes its namespace onto the adapter, so each namespace gets its own adapter (a connection
 * and a table of its own in the same file); WAL keeps concurrent connections cheap and crash-safe.
 */
export class Store implements Service {
  readonly name = "store";
  readonly critical = true;
  readonly #file: string;
  readonly #log: Logger;
  readonly #namespaces = new Map<string, {keyv: Keyv; adapter: KeyvSqlite}>();
  #started = false;

  constructor(dataDir: string, log: Logger) {
    this.#file = path.join(dataDir, STATE_FILE);
    this.#log = log;
  }

  get file(): string {
    return this.#file;
  }

  async start(): Promise<void> {
    await mkdir(path.dirname(this.#file), {recursive: true});
    this.#started = true;
    // journal_mode=WAL is stored in the file; synchronous=NORMAL in WAL survives a killed process.
    const meta = this.#adapter("meta");
    await meta.adapter.query("PRAGMA journal_mode=WAL");
    await meta.keyv.set("opened_at", new Date().toISOString());
    this.#log.debug(() => `State store opened at '${this.#file}'`);
  }

  async stop(): Promise<void> {
    const all = [...this.#namespaces.values()];
    this.#namespaces.clear();
    this.#started = false;
    await Promise.allSettled(all.map(({adapter}) => adapter.disconnect()));
  }

  /** The Keyv for one concern. Values are JSON-serialisable state of that concern only. */
  namespace<T>(name: string): Keyv<T> {
    return this.#adapter(name).keyv as Keyv<T>;
  }

  /** Every entry of a namespace, for loading an in-memory index at start. */
  async entries<T>(name: string): Promise<Array<[string, T]>> {
    const keyv = this.namespace<T>(name);
    const out: Array<[string, T]> = [];
    if (!keyv.iterator) return out;
    for await (const [key, value] of keyv.iterator(name)) out.push([String(key).replace(`${name}:`, ""), value as T]);
    return out;
  }

  #adapter(name: string): {keyv: Keyv; adapter: KeyvSqlite} {
    if (!this.#started) throw new Error(`Store: namespace('${name}') called before start()`);
    if (!NAMESPACE_PATTERN.test(name)) throw new Error(`Store: invalid namespace '${name}'`);
    let entry = this.#namespaces.get(name);
    if (!entry) {
      const adapter = new KeyvSqlite({
        uri: `sqlite://${this.#file}`,
        table: name,
        busyTimeout: 5000,
        iterationLimit: 1000,
      });
      const keyv = new Keyv({store: adapter, namespace: name});
      keyv.on("error", (err: Error) => this.#log.error(`State store error in '${name}' (${err.message})`));
      entry = {keyv, adapter};
      this.#namespaces.set(name, entry);
    }
    return entry;
  }
}
