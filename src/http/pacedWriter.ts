import {Writable} from "node:stream";

export interface Pace {
  /** Audio bytes per second of playback. */
  bytesPerSecond: number;
  /** Seconds of audio sent at full speed first, so a player starts at once and fills its buffer. */
  burstSeconds: number;
  /** How many times faster than real time the stream may run after that. */
  speedUp: number;
}

/**
 * The pace of an endless stream: 30 s of audio at once, then three times real time. A player never
 * needs more to stay ahead; a client that reads as fast as it can (one pulled 1 GB in 5 s) gets no
 * more, so it cannot eat the machine's bandwidth and disk.
 */
export const ENDLESS_STREAM_PACE = {burstSeconds: 30, speedUp: 3} as const;

// Once paced, bytes go out in slices of a quarter of a second's worth: smooth for the player, and
// only a few timers a second per client.
const SLICES_PER_SECOND = 4;
const MIN_SLICE_BYTES = 1024;

/**
 * A Writable in front of a response that passes bytes on no faster than a token bucket allows:
 * full up with the burst, refilled at `speedUp` × the audio's rate, never holding more than the
 * burst (a client that paused for an hour gets one burst, not an hour's worth at once).
 *
 * A write's callback fires only once its last byte is handed to the target, so a writer that
 * waits for callbacks (FileSender, which reuses its buffers) is held back too, without copying.
 * Waiting is a timer, never a loop; it stops as soon as the target closes.
 *
 * A target that closes or fails a write is a client that left, which listeners do all the time (a
 * player switched off, a phone off the Wi-Fi): this writer is then destroyed without an error, so
 * nothing emits an 'error' nobody listens for (that stopped the whole service), its timer is
 * cleared, and the write under way is called back with the reason, so whoever awaits it stops.
 */
export class PacedWriter extends Writable {
  readonly #target: Writable;
  readonly #rate: number;
  readonly #burst: number;
  readonly #slice: number;
  #tokens: number;
  #refilledAt = performance.now();
  #timer?: NodeJS.Timeout;
  /** The callback of the write under way (one at a time: Writable waits for it). */
  #pending?: (err?: Error | null) => void;
  /** Why the client is gone: the target's own error, when a write to it failed. */
  #gone?: Error;

  constructor(target: Writable, pace: Pace) {
    super();
    this.#target = target;
    this.#rate = pace.bytesPerSecond * pace.speedUp;
    this.#slice = Math.max(MIN_SLICE_BYTES, Math.floor(this.#rate / SLICES_PER_SECOND));
    this.#burst = Math.max(pace.bytesPerSecond * pace.burstSeconds, this.#slice);
    this.#tokens = this.#burst;
    if (target.destroyed) this.destroy();
    else target.once("close", () => this.destroy());
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.#pending = callback;
    this.#pass(chunk);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Destroyed already, so the failed write can no longer turn into an 'error' event.
    this.#settle(this.#gone ?? new Error("the client left"));
    callback(err);
  }

  #settle(err?: Error): void {
    const callback = this.#pending;
    this.#pending = undefined;
    callback?.(err);
  }

  #pass(chunk: Buffer): void {
    if (this.destroyed) return;
    if (chunk.length === 0) {
      this.#settle();
      return;
    }
    this.#refill();
    const wanted = Math.min(chunk.length, this.#slice);
    if (this.#tokens < wanted) {
      const waitMs = Math.ceil(((wanted - this.#tokens) / this.#rate) * 1000);
      this.#timer = setTimeout(() => this.#pass(chunk), waitMs);
      return;
    }
    const length = Math.min(chunk.length, Math.floor(this.#tokens));
    this.#tokens -= length;
    this.#target.write(chunk.subarray(0, length), (err) => {
      // Destroyed meanwhile (the target closed first): the write was settled then.
      if (this.destroyed) return;
      if (err) this.#left(err);
      else this.#pass(chunk.subarray(length));
    });
  }

  /** The target failed a write (a reset, a broken pipe): the client left. */
  #left(err: Error): void {
    this.#gone = err;
    this.destroy();
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) / 1000) * this.#rate);
    this.#refilledAt = now;
  }
}
