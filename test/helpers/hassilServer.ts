import {type ChildProcess, spawn} from "node:child_process";
import path from "node:path";
import {createInterface} from "node:readline";

const SERVER = path.join(import.meta.dirname, "hassilServer.py");

interface Pending {
  resolve(out: string): void;
  reject(err: Error): void;
}

/**
 * One python per worker process for the voice tests' scripts (hassilServer.py): a python started per
 * request paid its start, hassil's import and the family's templates compiled again each time, some
 * two hundred times a run. Requests go one at a time, in order; the python is kept for the worker's
 * next file, as the shared browser is, and ends when the worker does (its standard input closes).
 * A request that fails is that request's error; a python that dies or overruns fails what it was
 * asked, and the next request starts another.
 */
class HassilServer {
  readonly #child: ChildProcess;
  readonly #waiting: Pending[] = [];
  #gone: Error | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(python: string, env: NodeJS.ProcessEnv) {
    this.#child = spawn(python, [SERVER], {env, stdio: ["pipe", "pipe", "pipe"]});
    let stderr = "";
    this.#child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    createInterface({input: this.#child.stdout as NodeJS.ReadableStream}).on("line", (line) => {
      const pending = this.#waiting.shift();
      if (!pending) return;
      const answer = JSON.parse(line) as {out?: string; error?: string};
      if (answer.error !== undefined) pending.reject(new Error(answer.error));
      else pending.resolve(answer.out ?? "");
    });
    const fail = (why: string) => {
      this.#gone ??= new Error(`${why}${stderr ? `: ${stderr}` : ""}`);
      for (const pending of this.#waiting.splice(0)) pending.reject(this.#gone);
    };
    this.#child.on("error", (err) => fail(`hassil's python could not start (${err.message})`));
    this.#child.on("exit", (code, signal) => fail(`hassil's python exited (${signal ?? code})`));
    this.#child.stdin?.on("error", () => undefined);
    // The worker may end with the python idle: neither keeps the other running.
    this.#child.unref();
    for (const stream of [this.#child.stdin, this.#child.stdout, this.#child.stderr])
      (stream as unknown as {unref?: () => void} | null)?.unref?.();
  }

  get usable(): boolean {
    return this.#gone === undefined;
  }

  /** What `script` prints for `input`, as it would alone; the python is ended if it takes past `timeoutMs`. */
  request(script: string, args: string[], input: string, timeoutMs: number): Promise<string> {
    const turn = this.#tail.then(() => this.#ask(script, args, input, timeoutMs));
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  #ask(script: string, args: string[], input: string, timeoutMs: number): Promise<string> {
    if (this.#gone) return Promise.reject(this.#gone);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        const overran = new Error(`${script} took more than ${timeoutMs / 1000} s; hassil's python was ended`);
        // Given up at once, not when its exit comes: the next request starts another python rather
        // than write to this one as it dies.
        this.#gone ??= overran;
        this.#child.kill("SIGKILL");
        reject(overran);
      }, timeoutMs);
      timer.unref();
      this.#waiting.push({
        resolve: (out) => {
          clearTimeout(timer);
          resolve(out);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.#child.stdin?.write(`${JSON.stringify({script, args, input})}\n`);
    });
  }
}

const servers = new Map<string, HassilServer>();

/** The worker's python for `python` with `env` (a dead one replaced), which runs the voice tests' scripts. */
export function hassilServer(python: string, env: NodeJS.ProcessEnv): HassilServer {
  const key = `${python}\0${env.HASSIL_CACHE ?? ""}`;
  let server = servers.get(key);
  if (!server?.usable) {
    server = new HassilServer(python, env);
    servers.set(key, server);
  }
  return server;
}
