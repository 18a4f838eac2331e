/**
 * Audio still being made (speech coming out of the encoder): the bytes so far, in memory, and
 * readers that follow them as they grow. The relay answers from it at once, so a player starts
 * fetching while the tail is still being encoded. An announcement is short (speech is at most a
 * few hundred KB), so keeping it in memory costs less than the file it used to be.
 */
export class LiveAudio {
  readonly #chunks: Buffer[] = [];
  readonly #waiters = new Set<() => void>();
  #size = 0;
  #state: "growing" | "done" | "failed" = "growing";
  #error?: Error;
  #whole?: Buffer;
  /** Settles when the audio is complete (or could not be made); never unhandled. */
  readonly finished: Promise<void>;
  #settle!: {resolve: () => void; reject: (err: Error) => void};

  /** It grew to `maxBytes` and, as asked, ended there (a cast track longer than an hour). */
  full = false;

  /** `atLimit`: what growing past `maxBytes` does: fail (speech gone wrong), or end with what there is. */
  constructor(
    readonly maxBytes: number,
    readonly atLimit: "fail" | "end" = "fail",
  ) {
    this.finished = new Promise<void>((resolve, reject) => {
      this.#settle = {resolve, reject};
    });
    this.finished.catch(() => undefined);
  }

  get size(): number {
    return this.#size;
  }

  get done(): boolean {
    return this.#state !== "growing";
  }

  append(chunk: Buffer): void {
    if (this.#state !== "growing") return;
    if (this.#size + chunk.length > this.maxBytes) {
      if (this.atLimit === "fail") this.fail(new Error(`the audio grew past ${this.maxBytes} bytes`));
      else {
        this.full = true;
        this.end();
      }
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    this.#wake();
  }

  end(): void {
    if (this.#state !== "growing") return;
    this.#state = "done";
    this.#settle.resolve();
    this.#wake();
  }

  fail(err: Error): void {
    if (this.#state !== "growing") return;
    this.#state = "failed";
    this.#error = err;
    this.#settle.reject(err);
    this.#wake();
  }

  /** Resolves once there is a first byte, or the audio is settled (complete or failed). */
  async started(): Promise<void> {
    while (this.#size === 0 && this.#state === "growing")
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
  }

  /** Every byte, once done (one buffer, made once). */
  bytes(): Buffer {
    if (this.#state !== "done") throw this.#error ?? new Error("the audio is still being made");
    this.#whole ??= Buffer.concat(this.#chunks, this.#size);
    return this.#whole;
  }

  /**
   * The chunks from the first on, each as soon as it exists; ends when the audio is complete or
   * failed (a reader gets what there was: the player hears a shorter clip, never a hang), or when
   * `signal` aborts.
   */
  async *follow(signal?: AbortSignal): AsyncGenerator<Buffer> {
    let next = 0;
    for (;;) {
      while (next < this.#chunks.length) yield this.#chunks[next++] as Buffer;
      if (this.#state !== "growing" || signal?.aborted) return;
      // A reader that stops (`signal`) stops waiting too: a source may send nothing for a while.
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener("abort", wake);
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
        signal?.addEventListener("abort", wake, {once: true});
      });
    }
  }

  #wake(): void {
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiting) resolve();
  }
}
