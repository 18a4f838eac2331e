import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {CastItem, CastTrack} from "./castTrack.js";

export interface CastNextDeps {
  /** Make a track's audio (the queue's own making: a source that arrives plays as it comes). */
  make(item: CastItem, signal: AbortSignal): Promise<CastTrack>;
  /** A track made and never played: its audio goes. */
  forget(track: CastTrack): void;
  /** The track set to follow is ready: a run waiting for it goes on. */
  ready(): void;
  changed(): void;
  log: Logger;
}

interface Pending {
  item: CastItem;
  abort: AbortController;
  ready?: CastTrack;
  made?: Promise<unknown>;
}

/**
 * The track a control point set to follow (SetNextAVTransportURI): its audio made as soon as it is
 * set, so it follows the one playing with no gap; replaced, cleared or stopped, what was made goes.
 */
export class CastNext {
  #pending?: Pending;

  constructor(private readonly deps: CastNextDeps) {}

  /** What is set to follow, made or not. */
  get item(): CastItem | undefined {
    return this.#pending?.item;
  }

  /** The track set to follow, once made. */
  get ready(): CastTrack | undefined {
    return this.#pending?.ready;
  }

  /** Something is set to follow, whether or not it is made yet. */
  get isSet(): boolean {
    return this.#pending !== undefined;
  }

  /** The track set to follow is still being made. */
  get making(): boolean {
    return this.#pending !== undefined && this.#pending.ready === undefined;
  }

  /** Set what follows (its audio made now); undefined clears it. What was set before goes. */
  set(item: CastItem | undefined): void {
    this.clear();
    if (!item) {
      this.deps.changed();
      return;
    }
    const pending: Pending = {item, abort: new AbortController()};
    this.#pending = pending;
    pending.made = this.deps.make(item, pending.abort.signal).then(
      (track) => {
        if (this.#pending !== pending) {
          this.deps.forget(track);
          return;
        }
        pending.ready = track;
        this.deps.ready();
        this.deps.changed();
      },
      (err) => {
        if (this.#pending !== pending) return;
        this.#pending = undefined;
        this.deps.log.warning(`The next track (${item.title}) cannot be played: ${errorMessage(err)}`);
        this.deps.changed();
      },
    );
    this.deps.changed();
  }

  /** Once the track set to follow is made (or could not be), at most `ms` from now. */
  async made(ms: number): Promise<void> {
    const made = this.#pending?.made;
    if (!made) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([made, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** The track set to follow, made and ready now, taken (Next plays it at once). */
  take(): CastTrack | undefined {
    const ready = this.#pending?.ready;
    if (ready) this.#pending = undefined;
    return ready;
  }

  /** Stop: one still being made stops converting, and stays set as an item (`unopened`) for Play. */
  halt(unopened: (item: CastItem) => CastTrack): void {
    const pending = this.#pending;
    if (pending && !pending.ready) {
      pending.abort.abort();
      this.#pending = {item: pending.item, abort: new AbortController(), ready: unopened(pending.item)};
    }
  }

  /** Nothing follows: one being made stops, one made goes (it is no track for Previous or a repeat). */
  clear(): void {
    this.#pending?.abort.abort();
    if (this.#pending?.ready) this.deps.forget(this.#pending.ready);
    this.#pending = undefined;
  }
}
