import {Worker} from "node:worker_threads";
import {JobThread} from "../core/jobThread.js";
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
  readonly #thread = new JobThread<Omit<ParseJob, "id">, ParseAnswer>({
    start: startParseWorker,
    idleMs: IDLE_MS,
    name: "the parse thread",
  });

  parse(text: string): Promise<ParseAnswer> {
    return this.#thread.run({text});
  }

  /** End the thread; a parse under way fails (its reader parses the text itself). */
  stop(): Promise<void> {
    return this.#thread.stop();
  }
}

function startParseWorker(): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const file = new URL(fromSource ? "./parseWorker.ts" : "./parseWorker.js", import.meta.url);
  return fromSource
    ? new Worker(
        `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(file.href)}); })`,
        {eval: true},
      )
    : new Worker(file);
}
