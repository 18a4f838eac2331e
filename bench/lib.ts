import {type ChildProcess, fork} from "node:child_process";
import http from "node:http";
import path from "node:path";
import {fileURLToPath} from "node:url";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/**
 * `BENCH_SMOKE=1`: every section at the smallest size that still takes all its steps, with short
 * measurements: proof that the bench runs (CI's smoke test), not figures to read.
 */
export const SMOKE = process.env.BENCH_SMOKE === "1";
/** A section's count: `full` for figures, `smoke` for a smoke run. */
export function sized(full: number, smoke: number): number {
  return SMOKE ? smoke : full;
}
/** How long each timed measurement runs: BENCH_SECONDS, else 3 s (0.3 s in a smoke run). */
export const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 0.3 : 3));
/** Node flags the service runs with, as the add-on's run script and `npm start` give them. */
export const SERVICE_NODE_FLAGS = ["--max-semi-space-size=2"];
/** …and the environment the add-on's run script sets. */
export const SERVICE_ENV = {MALLOC_ARENA_MAX: "2"};

/** A server under test in its own process, so its CPU time is its own. */
export interface ServerProcess {
  url: string;
  /** Every URL it serves, when it serves several (one per stream); else just `url`. */
  urls: string[];
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/** A forked bench process: `ask` sends `message` (if any) and resolves with the next answer under `key`. */
export interface BenchChild {
  child: ChildProcess;
  ask<T>(message: object, key: string): Promise<T>;
  stop(): Promise<void>;
}

/** Fork `file` with an IPC channel; answers are messages like `{<key>: value}`. */
export function forkBench(
  file: string,
  args: string[],
  options: {execArgv: string[]; env: NodeJS.ProcessEnv},
): BenchChild {
  const child = fork(file, args, {...options, stdio: ["ignore", "ignore", "inherit", "ipc"]});
  const name = path.basename(file);
  return {
    child,
    ask: <T>(message: object, key: string) =>
      new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${name} exited (${code})`));
        const onMessage = (m: Record<string, T>) => {
          if (key in m) {
            child.off("message", onMessage);
            child.off("exit", onExit);
            resolve(m[key] as T);
          }
        };
        child.on("message", onMessage);
        child.once("exit", onExit);
        if (Object.keys(message).length > 0) child.send(message);
      }),
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Fork the TypeScript service child `bench/servers/<name>.ts` as the service runs (its Node flags
 * and environment), profiled into BENCH_PROF when that is set.
 */
export function forkService(name: string, args: string[]): BenchChild {
  return forkBench(path.join(BENCH_DIR, "servers", `${name}.ts`), args, {
    execArgv: [
      "--import",
      "tsx",
      ...SERVICE_NODE_FLAGS,
      ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    ],
    env: {...process.env, ...SERVICE_ENV},
  });
}

/** Fork `bench/servers/<name>.ts`; it answers {url} when listening and {cpu} when asked. */
export async function startServer(name: string, args: string[]): Promise<ServerProcess> {
  const {ask, stop} = forkBench(path.join(BENCH_DIR, "servers", `${name}.ts`), args, {
    execArgv: [
      "--import",
      "tsx",
      ...(name === "yss" ? SERVICE_NODE_FLAGS : []),
      ...(process.env.BENCH_PROF && name === "yss" ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    ],
    env: name === "yss" ? {...process.env, ...SERVICE_ENV} : process.env,
  });
  // Both asked before the child can answer: it sends `urls`, then `url`.
  const urls = ask<string[]>({}, "urls");
  const url = await ask<string>({}, "url");
  return {url, urls: await urls, cpuSeconds: () => ask<number>({cmd: "cpu"}, "cpu"), stop};
}

/** Called by a server process: report the URL (and all it serves), then answer CPU questions. */
export function serveBenchProtocol(url: string, stop: () => Promise<void>, urls = [url]): void {
  process.send?.({urls});
  process.send?.({url});
  process.on("message", (m: {cmd?: string}) => {
    if (m.cmd === "cpu") {
      const {user, system} = process.cpuUsage();
      process.send?.({cpu: (user + system) / 1e6});
    }
  });
  process.on("SIGTERM", () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

export interface LoadResult {
  requests: number;
  bytes: number;
  seconds: number;
  errors: number;
}

/**
 * `concurrency` keep-alive clients fetching for `seconds`; `headers()` gives each request's headers
 * (e.g. a random Range). Bodies are counted and dropped.
 */
export async function load(
  url: string,
  opts: {concurrency: number; seconds: number; headers?: () => Record<string, string>; urls?: string[]},
): Promise<LoadResult> {
  const agent = new http.Agent({keepAlive: true, maxSockets: opts.concurrency});
  const result: LoadResult = {requests: 0, bytes: 0, seconds: 0, errors: 0};
  const deadline = performance.now() + opts.seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const target = opts.urls?.[Math.floor(Math.random() * opts.urls.length)] ?? url;
      const req = http.get(target, {agent, headers: opts.headers?.()}, (res) => {
        if ((res.statusCode ?? 0) >= 400) result.errors++;
        res.on("data", (chunk: Buffer) => {
          result.bytes += chunk.length;
        });
        res.on("end", () => {
          result.requests++;
          resolve();
        });
      });
      req.on("error", () => {
        result.errors++;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({length: opts.concurrency}, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  return [
    line(cols),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(cols.map((c) => String(r[c])))),
  ].join("\n");
}
