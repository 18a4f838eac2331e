import type {Readable} from "node:stream";
import type {Segment} from "../files/segment.js";
import {memorySegment} from "../files/segment.js";

/**
 * A live cast's source, read for one answer of the player's at a time: when the player goes (an
 * announcement took the relay card), the source is left unread where it was, so the next answer
 * goes on from the same byte (Music Assistant's flow stream is one endless answer: asked again, it
 * would start its queue item again). While the player is paused nothing is read either.
 *
 * It is pulled (`read()` once it says it is readable), never raced against the answer's end: each
 * `Promise.race` left a reaction on the one promise that outlived the answer, and with it the chunk,
 * so an endless stream kept every byte it relayed (issue 99). Nothing here grows with the bytes
 * passed: one listener per event for the source's life, one waiter at a time, and what is not read
 * stays in the source's own buffer (its highWaterMark), the rest held back upstream by TCP.
 */
export class HeldSource {
  /** The answer reading now: a new one takes over (the player asked again before the last closed). */
  #reader?: AbortController;
  /** Ends the one wait under way: the source has something, ended, failed, or the pause changed. */
  #wake?: () => void;
  #paused = false;
  #failure?: Error;

  constructor(readonly source: Readable) {
    const wake = () => this.#wake?.();
    source.on("readable", wake);
    source.on("end", wake);
    source.on("close", wake);
    // Kept for the answer that reads next: a source failing while held (no answer) must not throw.
    source.on("error", (err: Error) => {
      this.#failure ??= err;
      wake();
    });
  }

  /**
   * The player paused (true) or plays again: while paused the source is not read, so the upstream
   * (a station, Music Assistant's flow stream) is held back where the player is, and the titles in
   * its metadata with it; a pause is not the source's silence (the idle limit does not run).
   */
  hold(paused: boolean): void {
    this.#paused = paused;
    this.#wake?.();
  }

  /**
   * Send what comes until the source ends (resolves), fails or sends nothing for `idleMs` while it is
   * waited for (rejects), or the player goes (resolves, the source kept). `taken`: another answer
   * reads it now.
   */
  async pipe(
    send: (segments: Segment[]) => Promise<void>,
    gone: AbortSignal,
    idleMs: number,
  ): Promise<"ended" | "gone" | "taken"> {
    this.#reader?.abort();
    const reader = new AbortController();
    this.#reader = reader;
    const stop = AbortSignal.any([gone, reader.signal]);
    for (;;) {
      if (stop.aborted) return gone.aborted ? "gone" : "taken";
      if (this.#paused) {
        await this.#wait(stop);
        continue;
      }
      const chunk = this.source.read() as Buffer | null;
      if (chunk !== null) {
        await send([memorySegment(chunk, "the live stream")]);
        continue;
      }
      // `errored` at once (a destroy's error event comes a tick later).
      const failure = this.#failure ?? this.source.errored;
      if (failure) throw failure;
      if (this.source.readableEnded) return "ended";
      if (this.source.destroyed) throw new Error("it closed before its end");
      await this.#wait(stop, idleMs);
    }
  }

  /** Until the source says something (or `stop`, or a pause changes); silent for `idleMs` meanwhile, it has failed. */
  #wait(stop: AbortSignal, idleMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const idle =
        idleMs === undefined
          ? undefined
          : setTimeout(() => this.source.destroy(new Error(`nothing came for ${idleMs / 1000} s`)), idleMs);
      const done = () => {
        clearTimeout(idle);
        stop.removeEventListener("abort", done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      stop.addEventListener("abort", done, {once: true});
    });
  }

  destroy(): void {
    this.source.destroy();
  }
}
