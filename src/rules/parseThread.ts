import {Worker} from "node:worker_threads";
import type {ParseAnswer, ParseJob} from "./parseWorker.js";

/** A thread idle this long is ended: it holds a heap of its own, and the next large file is rare. */
const IDLE_MS = 30_000;

/**
 * Parses rules-folder files in a worker thread (parseWorker.ts), so a large story file's YAML is
 * never parsed on the event loop. Under the TypeScript loader (tests, the demo) the thread loads
 * its source through tsx; built, the compiled file. A thread that fails or exits fails the parses
 * under way: the reader then parses them itself.
 */
export class ParseThread {
  #worker?: Worker;
  #nextId = 0;
  readonly #pending = new Map<number, {resolve: (answer: ParseAnswer) => void; reject: (err: Error) => void}>();
  #idle?: NodeJS.Timeout;

  parse(text: string): Promise<ParseAnswer> {
    clearTimeout(this.#idle);
    const worker = this.#thread();
    // Held while a parse is under way; unheld once none is, so a finished command can exit.
    worker.ref();
    const id = ++this.#nextId;
    return new Promise<ParseAnswer>((resolve, reject) => {
      this.#pending.set(id, {resolve, reject});
      worker.postMessage({id, text} satisfies ParseJob);
    });
  }

  /** End the thread; a parse under way fails (its reader parses the text itself). */
  async stop(): Promise<void> {
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error("the parse thread was stopped"));
    await worker?.terminate();
  }

  #answered(answer: ParseAnswer): void {
    const pending = this.#pending.get(answer.id);
    this.#pending.delete(answer.id);
    pending?.resolve(answer);
    if (this.#pending.size > 0 || !this.#worker) return;
    this.#worker.unref();
    this.#idle = setTimeout(() => void this.stop(), IDLE_MS);
    this.#idle.unref();
  }

  #failAll(err: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const {reject} of pending) reject(err);
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const fromSource = import.meta.url.endsWith(".ts");
    const file = new URL(fromSource ? "./parseWorker.ts" : "./parseWorker.js", import.meta.url);
    const worker = fromSource
      ? new Worker(
          `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(file.href)}); })`,
          {eval: true},
        )
      : new Worker(file);
    worker.on("message", (answer: ParseAnswer) => this.#answered(answer));
    // Only the thread in use has a say: one ended on purpose (idle, stopped) fails nothing.
    const gone = (err: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failAll(err);
    };
    worker.on("error", (err) => gone(err));
    worker.on("exit", (code) => gone(new Error(`the parse thread exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}
