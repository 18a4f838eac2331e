/**
 * A bounded window over audio still being made (a cast track, an hour long): what readers have not
 * read yet, at most `ahead` bytes (the encoder is held back past it), and `behind` bytes before the
 * furthest byte read (kept so a reader may start again a little before it); the rest is let go.
 */
export interface AudioWindow {
  ahead: number;
  behind: number;
}

/**
 * Audio still being made (speech coming out of the encoder): the bytes so far, in memory, and
 * readers that follow them as they grow. The relay answers from it at once, so a player starts
 * fetching while the tail is still being encoded. An announcement is short (speech is at most a
 * few hundred KB), so keeping it in memory costs less than the file it used to be; a cast track
 * (an hour) is kept as a window instead (AudioWindow).
 */
export class LiveAudio {
  readonly #chunks: Buffer[] = [];
  readonly #waiters = new Set<() => void>();
  #size = 0;
  /** With a window: the byte offset of the first chunk kept, and the furthest byte a reader has read. */
  #base = 0;
  #readTo = 0;
  /** How many chunks were let go of (counted, so readers keep their place). */
  #dropped = 0;
  /** The writer held back until readers make room (a window's `ahead` is full). */
  #room?: () => void;
  #exit!: () => void;
  #state: "growing" | "done" | "failed" = "growing";
  #error?: Error;
  #whole?: Buffer;
  /** Settles when the audio is complete (or could not be made); never unhandled. */
  readonly finished: Promise<void>;
  #settle!: {resolve: () => void; reject: (err: Error) => void};

  /** It grew to `maxBytes` and, as asked, ended there (a cast track longer than an hour). */
  full = false;

  /**
   * Resolves once the process making it has exited (`processExited`): a converter counts as running
   * until then, not merely until its output ended.
   */
  readonly exited = new Promise<void>((resolve) => {
    this.#exit = resolve;
  });

  /**
   * `atLimit`: what growing past `maxBytes` does: fail (speech gone wrong), or end with what there is.
   * `window`: keep only that much of it (AudioWindow); without one every byte is kept.
   */
  constructor(
    readonly maxBytes: number,
    readonly atLimit: "fail" | "end" = "fail",
    readonly window?: AudioWindow,
  ) {
    this.finished = new Promise<void>((resolve, reject) => {
      this.#settle = {resolve, reject};
    });
    this.finished.catch(() => undefined);
  }

  /** The process making it exited (or never started). */
  processExited(): void {
    this.#exit();
  }

  /** Whether a reader may start at byte `offset`: a window lets go of what lies behind it. */
  has(offset: number): boolean {
    return offset >= this.#base;
  }

  /** The writer waits for readers (a window full ahead of them): what makes it comes faster than it is read. */
  get heldBack(): boolean {
    return this.#room !== undefined;
  }

  /** Bytes held in memory now. */
  get held(): number {
    return this.#size - this.#base;
  }

  /**
   * Call `resume` once readers have made room (at once if there is room now): a writer told by
   * `append` to wait. Only the last one asked is kept (there is one writer).
   */
  whenRoom(resume: () => void): void {
    if (this.#roomy()) resume();
    else this.#room = resume;
  }

  /** Every byte let go of: the audio is not wanted any more (its reader will not come back). */
  drop(): void {
    this.#dropped += this.#chunks.length;
    this.#chunks.length = 0;
    this.#base = this.#size;
    this.#whole = undefined;
  }
  get size(): number {
    return this.#size;
  }

  get done(): boolean {
    return this.#state !== "growing";
  }

  /** Returns false when the writer should wait for room (`whenRoom`): a window is full ahead of its readers. */
  append(chunk: Buffer): boolean {
    if (this.#state !== "growing") return true;
    if (this.#size + chunk.length > this.maxBytes) {
      if (this.atLimit === "fail") this.fail(new Error(`the audio grew past ${this.maxBytes} bytes`));
      else {
        this.full = true;
        this.end();
      }
      return true;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    // A reader that starts further on (a track opened again to go on from there) is not waited for.
    this.#letGoBehind();
    this.#wake();
    return this.#roomy();
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

  /** Every byte, once done (one buffer, made once); never for a window, which holds only part of it. */
  bytes(): Buffer {
    if (this.#state !== "done") throw this.#error ?? new Error("the audio is still being made");
    if (this.window) throw new Error("a windowed audio holds only what its reader reads next");
    this.#whole ??= Buffer.concat(this.#chunks, this.#size);
    return this.#whole;
  }

  /**
   * The chunks from byte `from` on (the first one cut there), each as soon as it exists; ends when
   * the audio is complete or failed (a reader gets what there was: the player hears a shorter clip,
   * never a hang), or when `signal` aborts. With a window, what a reader has been given lets the
   * window move on, and a start it has already let go of fails (`has` tells beforehand).
   */
  async *follow(signal?: AbortSignal, from = 0): AsyncGenerator<Buffer> {
    if (!this.has(from)) throw new Error(`byte ${from} of the audio is no longer kept`);
    this.#advance(from);
    // `next` counts chunks from the very first (dropped ones included); `at` is where it starts.
    let next = this.#dropped;
    let at = this.#base;
    for (;;) {
      for (;;) {
        const first = this.#dropped;
        if (next < first) {
          // Let go of while this reader waited: only bytes before where it starts may have gone.
          if (this.#base > Math.max(at, from)) throw new Error(`byte ${at} of the audio is no longer kept`);
          next = first;
          at = this.#base;
        }
        const chunk = this.#chunks[next - first];
        if (!chunk) break;
        next++;
        const start = at;
        at += chunk.length;
        if (at <= from) continue;
        yield start < from ? chunk.subarray(from - start) : chunk;
        // The reader asked for more: what it was given is read.
        this.#advance(at);
      }
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

  #roomy(): boolean {
    return !this.window || this.#size - this.#readTo < this.window.ahead;
  }

  /** A reader has read up to `to`: a window lets go of what lies more than `behind` before it, and the writer may go on. */
  #advance(to: number): void {
    if (to <= this.#readTo) return;
    this.#readTo = to;
    this.#letGoBehind();
    const room = this.#room;
    if (room && this.#roomy()) {
      this.#room = undefined;
      room();
    }
  }

  #letGoBehind(): void {
    const keepFrom = this.window ? this.#readTo - this.window.behind : 0;
    for (let head = this.#chunks[0]; head && this.#base + head.length <= keepFrom; head = this.#chunks[0]) {
      this.#chunks.shift();
      this.#dropped++;
      this.#base += head.length;
    }
  }

  #wake(): void {
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    for (const resolve of waiting) resolve();
  }
}
