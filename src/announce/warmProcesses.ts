import {type ChildProcessWithoutNullStreams, spawn} from "node:child_process";

// After this long unused, the processes waiting for a command line are let go.
const IDLE_MS = 10 * 60_000;

interface Waiting {
  child: ChildProcessWithoutNullStreams;
  idle: NodeJS.Timeout;
}

/**
 * Programs started before they are needed, waiting on their standard input: ffmpeg takes 50–150
 * ms to start here and espeak-ng 15–20 ms (loading its voice), most of what an announcement waited
 * before the player heard anything; one already running answers in 1–10 ms. `take` hands over one
 * that has started (or starts one) and, once it is done, starts another for next time. Nothing
 * waits until a command line is first used, and after ten idle minutes those waiting are let go.
 */
export class WarmProcesses {
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #idleMs: number;
  #stopped = false;

  constructor(idleMs = IDLE_MS) {
    this.#idleMs = idleMs;
  }

  /** A started `program args` (`keep` of them wait between uses), stdio piped. */
  take(program: string, args: string[], keep = 1): ChildProcessWithoutNullStreams {
    const key = JSON.stringify([program, ...args]);
    const list = this.#waiting.get(key) ?? [];
    let child: ChildProcessWithoutNullStreams | undefined;
    while (!child && list.length > 0) {
      const waiting = list.shift() as Waiting;
      clearTimeout(waiting.idle);
      if (waiting.child.pid !== undefined && waiting.child.exitCode === null && !waiting.child.killed)
        child = waiting.child;
      else waiting.child.kill("SIGKILL");
    }
    child ??= spawn(program, args, {stdio: "pipe"});
    // The next ones start once this one is done, so they do not slow it down.
    child.once("close", () => this.#fill(key, program, args, keep));
    return child;
  }

  stop(): void {
    this.#stopped = true;
    for (const list of this.#waiting.values())
      for (const {child, idle} of list.splice(0)) {
        clearTimeout(idle);
        child.kill("SIGKILL");
      }
  }

  #fill(key: string, program: string, args: string[], keep: number): void {
    if (this.#stopped) return;
    const list = this.#waiting.get(key) ?? [];
    this.#waiting.set(key, list);
    while (list.length < keep) {
      const child = spawn(program, args, {stdio: "pipe"});
      // One that could not start (or died waiting) is simply not there next time.
      child.on("error", () => undefined);
      child.stdin.on("error", () => undefined);
      const idle = setTimeout(() => child.kill("SIGKILL"), this.#idleMs);
      idle.unref();
      const waiting = {child, idle};
      child.once("close", () => {
        clearTimeout(idle);
        const at = list.indexOf(waiting);
        if (at !== -1) list.splice(at, 1);
      });
      list.push(waiting);
    }
  }
}
