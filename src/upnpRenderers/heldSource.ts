import type {Readable} from "node:stream";
import type {Segment} from "../files/segment.js";
import {memorySegment} from "../files/segment.js";

const GONE = Symbol("gone");

/**
 * A live cast's source, read for one answer of the player's at a time: when the player goes (an
 * announcement took the relay card), the source is left unread where it was, a read under way kept,
 * so the next answer goes on from the same byte (Music Assistant's flow stream is one endless answer:
 * asked again, it would start its queue item again).
 */
export class HeldSource {
  readonly #chunks: AsyncIterator<Buffer>;
  #pending?: Promise<IteratorResult<Buffer>>;
  /** The answer reading now: a new one takes over (the player asked again before the last closed). */
  #reader?: AbortController;

  constructor(readonly source: Readable) {
    this.#chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /**
   * Send what comes until the source ends (resolves), fails or sends nothing for `idleMs` (rejects),
   * or the player goes (resolves, the source kept). `taken`: another answer reads it now.
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
    const idle = setTimeout(() => this.source.destroy(new Error(`nothing came for ${idleMs / 1000} s`)), idleMs);
    const left = new Promise<typeof GONE>((resolve) => {
      if (stop.aborted) resolve(GONE);
      stop.addEventListener("abort", () => resolve(GONE), {once: true});
    });
    try {
      for (;;) {
        this.#pending ??= this.#chunks.next();
        const step = await Promise.race([this.#pending, left]);
        if (step === GONE || stop.aborted) return gone.aborted ? "gone" : "taken";
        this.#pending = undefined;
        if (step.done) return "ended";
        idle.refresh();
        await send([memorySegment(step.value, "the live stream")]);
      }
    } finally {
      clearTimeout(idle);
    }
  }

  destroy(): void {
    this.#pending?.catch(() => undefined);
    this.source.destroy();
  }
}
