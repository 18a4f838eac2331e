import type {ReactiveController, ReactiveControllerHost} from "lit";
import type {LiveEventMap, LiveEventName, LiveEvents} from "./live.js";
import {afterNextPaint} from "./paint.js";

const RELOAD_COALESCE_MS = 100;

type Patches<T> = {[K in LiveEventName]?: (value: T, payload: LiveEventMap[K]) => T | "reload"};

export interface ResourceOptions<T> {
  load: () => Promise<T>;
  /** The host's live events; read when the host connects (it is a property set by the parent). */
  live: () => LiveEvents | undefined;
  /** Events after which the data is loaded again (coalesced: one reload per burst). */
  reloadOn?: LiveEventName[];
  /** Events applied to the data in place, without a round trip. */
  patch?: Patches<T>;
  /**
   * When the host connects, its first load waits until the next frame is painted: for data shown
   * beside the view's main data, which the first paint can do without. Reloads after it are not
   * held back.
   */
  afterPaint?: boolean;
}

/**
 * Data from the admin API that stays current: loaded when the host connects, reloaded or patched
 * on live events, and kept on screen while it reloads (@lit/task would blank it on every event).
 * `error` is the last failure; the last good `value` stays alongside it.
 */
export class LiveResource<T> implements ReactiveController {
  value?: T;
  error?: Error;
  loading = false;
  readonly #host: ReactiveControllerHost;
  readonly #opts: ResourceOptions<T>;
  #unsubscribe: Array<() => void> = [];
  #queued = false;
  #generation = 0;
  #connected = false;
  /** A first load waits for the next paint: events meanwhile change nothing (it reads after them). */
  #firstLoadWaiting = false;

  constructor(host: ReactiveControllerHost, opts: ResourceOptions<T>) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostConnected(): void {
    const live = this.#opts.live();
    if (live) {
      for (const event of this.#opts.reloadOn ?? []) this.#unsubscribe.push(live.on(event, () => this.reload()));
      for (const [event, apply] of Object.entries(this.#opts.patch ?? {})) {
        this.#unsubscribe.push(live.on(event as LiveEventName, (payload) => this.#patch(apply, payload)));
      }
      this.#unsubscribe.push(live.onResync(() => this.reload()));
    }
    this.#connected = true;
    if (!this.#opts.afterPaint) {
      void this.#load();
      return;
    }
    const generation = ++this.#generation;
    this.#firstLoadWaiting = true;
    void afterNextPaint().then(() => {
      if (!this.#connected || generation !== this.#generation) return;
      this.#firstLoadWaiting = false;
      void this.#load();
    });
  }

  hostDisconnected(): void {
    this.#connected = false;
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }

  /** Load again soon; a burst of calls (each live event is its own task) becomes one request. */
  reload(): void {
    if (this.#queued || this.#firstLoadWaiting) return;
    this.#queued = true;
    window.setTimeout(() => {
      this.#queued = false;
      void this.#load();
    }, RELOAD_COALESCE_MS);
  }

  /** Replace the value after a call that answered with the new state. */
  set(value: T): void {
    // Newer than any load still in flight (or waiting to start): that answer must not overwrite this one.
    this.#generation++;
    this.#firstLoadWaiting = false;
    this.loading = false;
    this.value = value;
    this.error = undefined;
    this.#host.requestUpdate();
  }

  async #load(): Promise<void> {
    const generation = ++this.#generation;
    // No render for this: nothing shows `loading` (the last value stays on screen meanwhile).
    this.loading = true;
    try {
      const value = await this.#opts.load();
      // A slower, older request must not overwrite a newer answer.
      if (generation !== this.#generation) return;
      this.value = value;
      this.error = undefined;
    } catch (err) {
      if (generation !== this.#generation) return;
      this.error = err instanceof Error ? err : new Error(String(err));
    } finally {
      if (generation === this.#generation) this.loading = false;
      this.#host.requestUpdate();
    }
  }

  #patch(apply: (value: T, payload: never) => T | "reload", payload: unknown): void {
    if (this.#firstLoadWaiting) return;
    // A load in flight would overwrite the patch with an older snapshot: load again instead.
    if (this.value === undefined || this.loading) {
      this.reload();
      return;
    }
    const next = apply(this.value, payload as never);
    if (next === "reload") this.reload();
    else this.set(next);
  }
}
