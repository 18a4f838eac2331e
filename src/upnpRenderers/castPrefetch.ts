import type {Clip} from "../announce/clips.js";
import type {CastItem} from "./castTrack.js";

/**
 * How long audio fetched at SetAVTransportURI waits for its Play. Music Assistant asks whether Play
 * is offered (for up to 10 s) and then plays; Home Assistant plays at once; a URI set and never
 * played is let go of after this, its source connection and converter with it.
 */
export const PREFETCH_WAIT_MS = 15_000;

/**
 * A cast's first track, fetched and converting from SetAVTransportURI on: by the time Play comes
 * (Music Assistant asks whether Play is offered first: a round trip or more), the source has
 * answered, its first bytes said what it is and an encoder is at work, where Play waited for all
 * three. Play takes it (`claim`) and judges it as it judged audio made after it: what could not be
 * fetched or converted is refused then, with the same words, before the player leaves its card.
 */
export class CastPrefetch {
  readonly #abort = new AbortController();
  readonly #made: Promise<Clip>;
  readonly #timer: NodeJS.Timeout;
  #claimed = false;

  /** `make` fetches and converts `item` (the renderer's castAudio), stopped by the signal it is given. */
  constructor(
    readonly item: CastItem,
    make: (item: CastItem, signal: AbortSignal) => Promise<Clip>,
    readonly discard: (clip: Clip) => Promise<void>,
    waitMs = PREFETCH_WAIT_MS,
  ) {
    this.#made = make(item, this.#abort.signal);
    // Refused or failed before Play: Play says so (claim); nothing is told before it.
    this.#made.catch(() => undefined);
    this.#timer = setTimeout(() => this.drop(), waitMs);
    this.#timer.unref();
  }

  /**
   * Play takes the audio for `item` (the same cast's): from now its `signal` stops it, as it stops
   * audio made after Play. Undefined when it was let go of or taken already.
   */
  claim(item: CastItem, signal: AbortSignal): Promise<Clip> | undefined {
    if (this.#claimed || this.#abort.signal.aborted || item !== this.item) return undefined;
    this.#claimed = true;
    clearTimeout(this.#timer);
    if (signal.aborted) this.#abort.abort(signal.reason);
    else signal.addEventListener("abort", () => this.#abort.abort(signal.reason), {once: true});
    return this.#made;
  }

  /** Not played (another URI, a Stop, no Play in time): the source and its converter go. */
  drop(): void {
    if (this.#claimed || this.#abort.signal.aborted) return;
    clearTimeout(this.#timer);
    this.#abort.abort();
    this.#made.then((clip) => this.discard(clip)).catch(() => undefined);
  }

  get dropped(): boolean {
    return !this.#claimed && this.#abort.signal.aborted;
  }
}
