import type {Transferable, Worker} from "node:worker_threads";

/**
 * One worker thread that does jobs off the event loop (parsing a large rules file, a card list of
 * megabytes), started on the first job and ended once idle: it holds a heap of its own, and the next
 * large job is rare. Each job is posted with an `id`; the thread answers with the same `id`. Held
 * (ref'd) while a job is under way and unheld once none is, so a finished command can exit. A
 * thread that fails or exits fails the jobs under way: their callers do them in place or give up.
 */
export class JobThread<Job extends object, Answer extends {id: number}> {
  readonly #start: () => Worker;
  readonly #idleMs: number;
  readonly #name: string;
  #worker?: Worker;
  #nextId = 0;
  readonly #pending = new Map<number, {resolve: (answer: Answer) => void; reject: (err: Error) => void}>();
  #idle?: NodeJS.Timeout;

  /** `start` makes the thread; `name` says whose it is in errors ("the parse thread"). */
  constructor(opts: {start: () => Worker; idleMs: number; name: string}) {
    this.#start = opts.start;
    this.#idleMs = opts.idleMs;
    this.#name = opts.name;
  }

  /** Post `job` (its `transfer` list moved, not copied) and resolve with the thread's answer to it. */
  run(job: Job, transfer: readonly Transferable[] = []): Promise<Answer> {
    clearTimeout(this.#idle);
    const worker = this.#thread();
    worker.ref();
    const id = ++this.#nextId;
    return new Promise<Answer>((resolve, reject) => {
      this.#pending.set(id, {resolve, reject});
      try {
        worker.postMessage({...job, id}, [...transfer]);
      } catch (err) {
        // Not sent (a transfer list it cannot take): the job fails now and holds nothing.
        this.#pending.delete(id);
        if (this.#pending.size === 0) this.#idleAfter(worker);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** End the thread; jobs under way fail. A later job starts another. */
  async stop(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error(`${this.#name} was stopped`));
    await worker?.terminate();
  }

  #answered(worker: Worker, answer: Answer): void {
    // A thread ended already (idle, stopped) has no say: its jobs failed when it went.
    if (worker !== this.#worker) return;
    const pending = this.#pending.get(answer.id);
    this.#pending.delete(answer.id);
    pending?.resolve(answer);
    if (this.#pending.size === 0) this.#idleAfter(worker);
  }

  /** No job under way: the thread no longer holds the process, and is ended if none comes for a while. */
  #idleAfter(worker: Worker): void {
    worker.unref();
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => void this.stop(), this.#idleMs);
    this.#idle.unref();
  }

  #failAll(err: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const {reject} of pending) reject(err);
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#start();
    worker.on("message", (answer: Answer) => this.#answered(worker, answer));
    // Only the thread in use has a say: one ended on purpose (idle, stopped) fails nothing.
    const gone = (err: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(err);
    };
    worker.on("error", (err) => gone(err));
    worker.on("exit", (code) => gone(new Error(`${this.#name} exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}
