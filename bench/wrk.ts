import {execFile, execFileSync} from "node:child_process";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {promisify} from "node:util";
import type {LoadResult} from "./lib.js";

const run = promisify(execFile);

/** wrk on PATH (Debian's `wrk`), or undefined: the benchmarks then load the servers from Node. */
export function findWrk(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v wrk"], {encoding: "utf8"}).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `concurrency` keep-alive connections from one wrk thread for `seconds`. A client in C takes far
 * less of the two cores than a Node one, so what is measured is the servers, not the client (with
 * the Node client, whole-body throughput was bound by the client's own callbacks per chunk).
 * `request` is a Lua `request()` function (a random Range each time, say); the counts come back
 * as JSON from a `done()` hook. Bytes include the response headers (about 0.1 % of a 256 KiB range).
 */
export async function wrkLoad(
  wrk: string,
  url: string,
  opts: {concurrency: number; seconds: number; request?: string},
): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "yss-wrk-"));
  const script = path.join(dir, "load.lua");
  try {
    await writeFile(
      script,
      `${opts.request ?? ""}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nRESULT {"requests":%d,"bytes":%d,"us":%d,"errors":%d}\\n',
    summary.requests, summary.bytes, summary.duration, e.connect + e.read + e.write + e.status + e.timeout))
end
`,
    );
    const {stdout} = await run(wrk, [
      "-t1",
      `-c${opts.concurrency}`,
      `-d${Math.max(1, Math.round(opts.seconds))}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      url,
    ]);
    const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    const r = JSON.parse(line.slice("RESULT ".length)) as {requests: number; bytes: number; us: number; errors: number};
    return {requests: r.requests, bytes: r.bytes, seconds: r.us / 1e6, errors: r.errors};
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}
