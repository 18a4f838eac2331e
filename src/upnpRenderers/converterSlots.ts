import {transitionNotAvailable} from "../upnp/soap.js";

/**
 * ffmpeg processes one renderer may have converting at once: the track heard and the one set to
 * follow (SetNextAVTransportURI). A track kept for Previous converts nothing (it is opened again
 * when played), and a live cast's one converter takes the first. Issue 86 saw 17 at once (669 MB)
 * for two renderers: each track kept for Previous still converting its hour.
 */
export const MAX_CONVERTERS_PER_RENDERER = 2;
/**
 * …and for all renderers together: three players each playing a cast with its next track set. An
 * ffmpeg converting a cast is about 50 MB of memory (measured: 52 MB), so this bounds them near
 * 300 MB. Beside them the announcer keeps two ffmpeg started ahead, idle (about 10 MB each), for
 * the next casts: a Play right after a Stop finds one that has finished starting.
 */
export const MAX_CONVERTERS = 6;
/** How long a cast waits for a converter to be free before it is refused. */
export const CONVERTER_WAIT_MS = 10_000;

interface Waiter {
  owner: string;
  grant: (release: () => void) => void;
}

/**
 * The renderers' converters, counted where they are spent: one is taken before an ffmpeg starts
 * for a renderer and given back when that process has exited (not when its output ended), so the
 * count is the processes there are. Owned by the renderers' service and shared by its renderers.
 */
export class ConverterSlots {
  readonly #held = new Map<string, number>();
  readonly #waiting: Waiter[] = [];
  #total = 0;

  constructor(
    readonly perRenderer = MAX_CONVERTERS_PER_RENDERER,
    readonly total = MAX_CONVERTERS,
    readonly waitMs = CONVERTER_WAIT_MS,
  ) {}

  /** Converters running now, for `owner` (a player id) or in all. */
  count(owner?: string): number {
    return owner === undefined ? this.#total : (this.#held.get(owner) ?? 0);
  }

  /**
   * A converter for `owner`, once one is free (first come, first served, within both ceilings):
   * resolves with its release (call it once the process exited; calling it again does nothing).
   * Refused after `waitMs` with the reason in words, or as `signal` aborts.
   */
  take(owner: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        grant: (release) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
      };
      const leave = (err: unknown) => {
        const at = this.#waiting.indexOf(waiter);
        if (at >= 0) this.#waiting.splice(at, 1);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      };
      const onAbort = () => leave(signal?.reason);
      const timer = setTimeout(() => leave(this.#busy(owner)), this.waitMs);
      signal?.addEventListener("abort", onAbort, {once: true});
      this.#waiting.push(waiter);
      this.#next();
    });
  }

  #free(owner: string): boolean {
    return this.#total < this.total && this.count(owner) < this.perRenderer;
  }

  #grant(owner: string): () => void {
    this.#total++;
    this.#held.set(owner, this.count(owner) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = this.count(owner) - 1;
      if (left > 0) this.#held.set(owner, left);
      else this.#held.delete(owner);
      this.#next();
    };
  }

  /** A converter came free: the first waiting whose renderer is under its own ceiling has it. */
  #next(): void {
    for (let i = 0; i < this.#waiting.length && this.#total < this.total; i++) {
      const waiter = this.#waiting[i] as Waiter;
      if (!this.#free(waiter.owner)) continue;
      this.#waiting.splice(i--, 1);
      waiter.grant(this.#grant(waiter.owner));
    }
  }

  #busy(owner: string): Error {
    return this.count(owner) >= this.perRenderer
      ? transitionNotAvailable(
          `This player already converts ${this.perRenderer} tracks (the one playing and the next): try again once one has ended`,
        )
      : transitionNotAvailable(
          `${this.total} casts are being converted on the players already, as many as run at once: stop one, then try again`,
        );
  }
}
