import {type ChildProcessWithoutNullStreams, spawn} from "node:child_process";

// After this long unused, the processes waiting for a command line are let go.
const IDLE_MS = 10 * 60_000;
// A refill waits for the processes at work to finish, but not for one that hangs.
const MAX_DEFER_MS = 2000;

interface Waiting {
  child: ChildProcessWithoutNullStreams;
  idle: NodeJS.Timeout;
}

/**
 * Programs started before they are needed, waiting on their standard input: ffmpeg takes 50–150
 * ms to start here and espeak-ng 15–20 ms (loading its voice), most of what an announcement waited
 * before the player heard anything; one already running answers in 1–10 ms. `take` hands over one
 * that has started (or starts one) and starts another for next time once no process it handed
 * over is still at work and no `hold` is on: starting a process blocks this thread while the kernel
 * copies it (15–30 ms of a loaded 2-core machine), which in the middle of an announcement delayed
 * its first audio by as much. Nothing waits until a command line is first used, and after ten idle
 * minutes those waiting are let go.
 */
export class WarmProcesses {
  readonly #waiting = new Map<string, Waiting[]>();
  /** Handed over and still running: while any is, refills wait. */
  readonly #working = new Set<ChildProcessWithoutNullStreams>();
  /** Command lines whose waiting processes are to be started again, by key. */
  readonly #due = new Map<string, {program: string; args: string[]; keep: number}>();
  readonly #idleMs: number;
  readonly #maxDeferMs: number;
  #deferTimer?: NodeJS.Timeout;
  #holds = 0;
  #stopped = false;

  constructor(opts: {idleMs?: number; maxDeferMs?: number} = {}) {
    this.#idleMs = opts.idleMs ?? IDLE_MS;
    this.#maxDeferMs = opts.maxDeferMs ?? MAX_DEFER_MS;
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
    const taken = child;
    this.#working.add(taken);
    this.#due.set(key, {program, args, keep});
    taken.once("close", () => {
      this.#working.delete(taken);
      this.#refillWhenQuiet();
    });
    return child;
  }

  /**
   * Refills wait until the returned release is called (an announcement's audio has gone out: its
   * processes may be done in 20 ms, before the player has even fetched it), or at most the defer limit.
   */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#refillWhenQuiet();
    };
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#deferTimer);
    for (const list of this.#waiting.values())
      for (const {child, idle} of list.splice(0)) {
        clearTimeout(idle);
        child.kill("SIGKILL");
      }
  }

  /** Start the processes due once none handed over is at work and none is held (or after the limit). */
  #refillWhenQuiet(): void {
    if (this.#due.size === 0) return;
    if (this.#working.size > 0 || this.#holds > 0) {
      this.#deferTimer ??= setTimeout(() => this.#refill(), this.#maxDeferMs);
      this.#deferTimer.unref();
      return;
    }
    this.#refill();
  }

  #refill(): void {
    clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    for (const [key, {program, args, keep}] of this.#due) this.#fill(key, program, args, keep);
    this.#due.clear();
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
