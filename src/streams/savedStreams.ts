import {notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {checkName, emptyStream, type StreamState} from "./model.js";
import {playsRadio} from "./streamOwnership.js";

/**
 * The streams as saved, and every change to them made one at a time: rules, Home Assistant and
 * the panel edit the same queues at once, and none may overwrite another's change.
 */
export class SavedStreams {
  readonly #store: StateStore;
  readonly #bus: EventBus;
  readonly #streams = new Map<string, StreamState>();
  #keyv?: StoreNamespace<StreamState>;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(store: StateStore, bus: EventBus) {
    this.#store = store;
    this.#bus = bus;
  }

  async load(): Promise<void> {
    this.#keyv = this.#store.namespace<StreamState>("streams");
    for (const [name, state] of await this.#store.entries<StreamState>("streams")) this.#streams.set(name, state);
  }

  /** Once every change under way has ended, whatever its outcome. */
  async close(): Promise<void> {
    await this.#chain.catch(() => undefined);
    this.#streams.clear();
  }

  get size(): number {
    return this.#streams.size;
  }

  list(): StreamState[] {
    return [...this.#streams.values()];
  }

  get(name: string): StreamState {
    const stream = this.#streams.get(name);
    if (!stream) throw notFound(`Stream '${name}' does not exist`, "unknown_stream");
    return stream;
  }

  /** The stream, or undefined: for the checks that do not mind a stream not made yet. */
  find(name: string): StreamState | undefined {
    return this.#streams.get(name);
  }

  /**
   * Change the stream (made first when `create`), saved and then announced as `stream.changed`
   * with `reason`. A station takes no change but being one (`radio`).
   */
  mutate(
    name: string,
    reason: string,
    create: boolean,
    change: (current: StreamState) => Partial<StreamState>,
  ): Promise<StreamState> {
    return this.#serial(async () => {
      const now = new Date().toISOString();
      const current =
        this.#streams.get(name) ?? (create ? emptyStream(checkName("stream", name), now) : this.get(name));
      if (current.radio && reason !== "radio") throw playsRadio(name);
      const next: StreamState = {...current, ...change(current), version: current.version + 1, updatedAt: now};
      // Saved before it is shown: a failure (full disk, locked database) rejects with the store's reason.
      await this.#keyv?.set(next.name, next);
      this.#streams.set(name, next);
      this.#bus.emit("stream.changed", {name, version: next.version, reason, items: next.items.length});
      return next;
    });
  }

  /** Delete the stream, `alsoForget` dropping what else was kept for it before it is gone. */
  delete(name: string, alsoForget: () => void): Promise<void> {
    return this.#serial(async () => {
      this.get(name);
      // Gone from the database first: if that fails the stream stays, rather than coming back after a restart.
      await this.#keyv?.delete(name);
      alsoForget();
      this.#streams.delete(name);
      this.#bus.emit("stream.deleted", {name});
    });
  }

  /** Run `task` after every earlier mutation, whatever their outcome. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
