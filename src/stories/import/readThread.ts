import {Worker} from "node:worker_threads";
import {AppError} from "../../core/errors.js";
import {refuseUnloadableInk} from "./inkLimits.js";
import {type ReadHeap, readHeap} from "./readHeap.js";
import type {ReadAnswer, ReadJob} from "./readWorker.js";
import type {StoryToWrite} from "./storyRead.js";
import type {ImportedStory} from "./types.js";
import {importError} from "./types.js";

/** A file this large has its thread ended after it, so its heap (hundreds of MB) goes with it. */
const LARGE_BYTES = 1024 * 1024;
/** A thread kept after a small file is ended when no other file comes this soon: it costs memory. */
const IDLE_MS = 10_000;
/**
 * A read that takes longer is given up (the thread ended): a 5 MB ink source compiles in about
 * 30 s on a 2-core machine, so this is a file that never ends, not a slow one.
 */
const READ_TIMEOUT_MS = 10 * 60_000;

/**
 * Reads story files in a worker thread, one at a time (the next waits its turn): a 10,000-passage
 * Twine story held the event loop for 2.3 s and a 5 MB ink source for half a minute. Under the
 * TypeScript loader (tests, the demo) the thread loads its source through tsx; built, the compiled file.
 */
export class ReadThread {
  #worker?: Worker;
  #turn: Promise<unknown> = Promise.resolve();
  /** The read under way: failed when the thread fails or the service stops. */
  #current?: {filename: string; fail: (err: Error) => void};
  #idle?: NodeJS.Timeout;
  /** Counts stops: a read that waited its turn across a stop is not started. */
  #generation = 0;
  readonly #timeoutMs: number;
  readonly #heap: ReadHeap;
  #threadsStarted = 0;

  /**
   * `heapMb` sets the thread's heap outright; else it is a share of `machineBytes` (the memory this
   * machine, or the container it runs in, has: measured when not given).
   */
  constructor(opts: {timeoutMs?: number; heapMb?: number; machineBytes?: number} = {}) {
    this.#timeoutMs = opts.timeoutMs ?? READ_TIMEOUT_MS;
    this.#heap = opts.heapMb !== undefined ? {mb: opts.heapMb} : readHeap(opts.machineBytes);
  }

  /** How many threads were started: what reading has cost (a file refused before reading costs none). */
  get threadsStarted(): number {
    return this.#threadsStarted;
  }

  /** Read and check a story file in the thread, after any read before it (storyRead's readStoryFile). */
  read(filename: string, bytes: Buffer): Promise<ImportedStory> {
    return this.#queue({filename, bytes, purpose: "read"}) as Promise<ImportedStory>;
  }

  /** What an import of the file writes, made in the thread (storyRead's storyToWrite). */
  toWrite(filename: string, bytes: Buffer): Promise<StoryToWrite> {
    return this.#queue({filename, bytes, purpose: "write"}) as Promise<StoryToWrite>;
  }

  #queue(job: ReadJob): Promise<unknown> {
    try {
      // What could never load is refused here, in milliseconds, before a thread (and its heap) is spent on it.
      if (/\.ink$/i.test(job.filename)) refuseUnloadableInk(job.filename, asBuffer(job.bytes));
    } catch (err) {
      return Promise.reject(err);
    }
    const generation = this.#generation;
    const turn = this.#turn.then(() => {
      if (generation !== this.#generation) throw stopping();
      return this.#read(job);
    });
    this.#turn = turn.catch(() => undefined);
    return turn;
  }

  /** End the thread; a read under way, or waiting, fails with "the service is stopping". */
  async stop(): Promise<void> {
    this.#generation++;
    this.#current?.fail(stopping());
    await this.#end();
  }

  async #read(job: ReadJob): Promise<unknown> {
    clearTimeout(this.#idle);
    const worker = this.#thread();
    worker.ref();
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await new Promise<ReadAnswer>((resolve, reject) => {
        this.#current = {filename: job.filename, fail: reject};
        worker.once("message", resolve);
        timer = setTimeout(
          () =>
            reject(
              importError(
                `Reading '${job.filename}' took over ${spoken(this.#timeoutMs)} and was stopped: split the story into smaller files. Nothing was imported`,
                "import_timeout",
                413,
              ),
            ),
          this.#timeoutMs,
        );
        worker.postMessage(job);
      });
      if (answer.ok) return answer.result;
      const {message, code, status} = answer.error;
      // The readers' own refusals cross whole; anything else is this service's failure, said as one.
      if (code !== undefined) throw new AppError(code, message, {status: status ?? 400});
      throw failed(`Reading '${job.filename}' failed (${message}). Nothing was imported`);
    } catch (err) {
      // Whatever went wrong, the thread may be in the middle of it: a next read starts a fresh one.
      if (!(err instanceof AppError) || err.code === "import_failed" || err.code === "import_timeout")
        await this.#end();
      throw err;
    } finally {
      clearTimeout(timer);
      this.#current = undefined;
      worker.removeAllListeners("message");
      if (this.#worker === worker) this.#rest(worker, job.bytes.length);
    }
  }

  /** After a read: a large one's thread ends now (its heap with it); a small one's waits a while for the next. */
  #rest(worker: Worker, size: number): void {
    if (size >= LARGE_BYTES) {
      void this.#end();
      return;
    }
    // Unheld, so a command-line import exits when its one read is done.
    worker.unref();
    this.#idle = setTimeout(() => void this.#end(), IDLE_MS);
    this.#idle.unref();
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const fromSource = import.meta.url.endsWith(".ts");
    const file = new URL(fromSource ? "./readWorker.ts" : "./readWorker.js", import.meta.url);
    const options = {resourceLimits: {maxOldGenerationSizeMb: this.#heap.mb}};
    const worker = fromSource
      ? new Worker(
          `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(file.href)}); })`,
          {...options, eval: true},
        )
      : new Worker(file, options);
    this.#threadsStarted++;
    // Only the thread in use fails a read: one ended on purpose (after a large file, a stop) has no say.
    worker.on("error", (err: NodeJS.ErrnoException) => {
      if (this.#worker !== worker) return;
      const current = this.#current;
      if (!current) return;
      current.fail(
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? importError(
              `'${current.filename}' needs more than ${this.#heap.mb} MB to read${this.#heap.why ? `, ${this.#heap.why}` : ""}: split it into smaller files. Nothing was imported`,
              "story_too_large",
              413,
            )
          : failed(`Reading '${current.filename}' failed (${err.message}). Nothing was imported`),
      );
    });
    worker.on("exit", (code) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      const current = this.#current;
      current?.fail(
        failed(
          `Reading '${current.filename}' stopped unexpectedly (exit code ${code}). Nothing was imported: try again`,
        ),
      );
    });
    this.#worker = worker;
    return worker;
  }

  async #end(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}

/** The same bytes as a Buffer, not a copy (a file may be 5 MB). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** This service's own failure (not the file's), said to the author: a 500 whose words are shown. */
function failed(message: string): AppError {
  return new AppError("import_failed", message, {status: 500, expose: true});
}

function stopping(): AppError {
  return new AppError("service_stopping", "The service is stopping: import the story again once it is back", {
    status: 503,
    expose: true,
  });
}

/** 600000 -> "10 minutes", 5 -> "5 ms". */
function spoken(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
