import {type LoadResult, load, MEASURE_SECONDS, type ServerProcess, sized, table} from "./lib.js";
import {findWrk, wrkLoad} from "./wrk.js";

const SECONDS = MEASURE_SECONDS;
const CONCURRENCY = 8;
const ROUNDS = sized(3, 1);
const RANGE_BYTES = 256 * 1024;

export interface Scenario {
  name: string;
  headers?: (size: number) => () => Record<string, string>;
  /** The same requests for wrk: a Lua `request()` function. */
  lua?: (size: number) => string;
  /** Keep-alive clients at once (default 8). */
  concurrency?: number;
  /** Each request for one of the server's URLs at random (many streams at once), whole bodies. */
  spread?: boolean;
}

export const WHOLE: Scenario = {name: "whole body"};
/** The whole body at each of these client counts, as scenarios. */
export function wholeAt(...concurrencies: number[]): Scenario[] {
  return concurrencies.map((concurrency) => ({name: `whole body, c = ${concurrency}`, concurrency}));
}

export const RANDOM_RANGES: Scenario = {
  name: "random 256 KiB ranges",
  headers: (size) => () => {
    const start = Math.floor(Math.random() * (size - RANGE_BYTES));
    return {Range: `bytes=${start}-${start + RANGE_BYTES - 1}`};
  },
  lua: (size) => `math.randomseed(os.time())
request = function()
  local start = math.random(0, ${size - RANGE_BYTES})
  return wrk.format("GET", nil, {["Range"] = "bytes=" .. start .. "-" .. (start + ${RANGE_BYTES - 1})})
end`,
};

interface Measure {
  mbps: number;
  cpuPerGb: number;
  rps: number;
}

/**
 * Serve the same bytes from each server and compare with the first (the baseline): median of
 * alternating rounds, because on two cores order and warm caches otherwise favour one side.
 */
export async function compareServers(
  title: string,
  servers: Array<[string, ServerProcess]>,
  size: number,
  scenarios: Scenario[],
): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  const baseline = servers[0]?.[0] as string;
  for (const scenario of scenarios) {
    const samples: Record<string, Measure[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const [name, server] of order)
        samples[name] = [...(samples[name] ?? []), await measure(server, scenario, size, name)];
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, median(ms)]));
    const base = medians[baseline] as Measure;
    for (const [name, m] of Object.entries(medians)) {
      rows.push({
        scenario: scenario.name,
        server: name,
        "MB/s": m.mbps.toFixed(0),
        "req/s": m.rps.toFixed(0),
        "CPU s/GB": m.cpuPerGb.toFixed(2),
        [`throughput vs ${baseline}`]: `${(m.mbps / base.mbps).toFixed(2)}×`,
        [`CPU/GB vs ${baseline}`]: `${(m.cpuPerGb / base.cpuPerGb).toFixed(2)}×`,
      });
    }
  }
  console.log(
    `\n${title} — ${(size / 1e6).toFixed(2)} MB, ${CONCURRENCY} keep-alive clients unless said, median of ${ROUNDS} × ${SECONDS} s, load from ${LOAD_CLIENT}\n`,
  );
  console.log(table(rows));
  return rows;
}

const WRK = findWrk();

/** The load client: wrk when installed (it leaves the cores to the servers), else Node's http. */
export const LOAD_CLIENT = WRK
  ? "wrk, one thread"
  : "a Node client in the bench process (install wrk for figures not bound by it)";

function drive(server: ServerProcess, scenario: Scenario, size: number, seconds: number): Promise<LoadResult> {
  const concurrency = scenario.concurrency ?? CONCURRENCY;
  const urls = scenario.spread ? server.urls : [server.url];
  if (WRK) return wrkLoad(WRK, server.url, {concurrency, seconds, request: scenario.lua?.(size) ?? spreadLua(urls)});
  return load(server.url, {concurrency, seconds, headers: scenario.headers?.(size), urls});
}

/** wrk asking for one of `urls` (same host) at random each time. */
function spreadLua(urls: string[]): string | undefined {
  if (urls.length < 2) return undefined;
  const paths = urls.map((u) => {
    const url = new URL(u);
    return JSON.stringify(`${url.pathname}${url.search}`);
  });
  return `math.randomseed(os.time())
local paths = {${paths.join(", ")}}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end`;
}

async function measure(server: ServerProcess, scenario: Scenario, size: number, name: string): Promise<Measure> {
  await drive(server, scenario, size, 1); // warm-up
  const cpuBefore = await server.cpuSeconds();
  const r = await drive(server, scenario, size, SECONDS);
  const cpu = (await server.cpuSeconds()) - cpuBefore;
  if (r.errors > 0) throw new Error(`${name}: ${r.errors} failed requests in '${scenario.name}'`);
  return {mbps: r.bytes / 1e6 / r.seconds, cpuPerGb: cpu / (r.bytes / 1e9), rps: r.requests / r.seconds};
}

function median(samples: Measure[]): Measure {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return {
    mbps: mid(samples.map((s) => s.mbps)),
    cpuPerGb: mid(samples.map((s) => s.cpuPerGb)),
    rps: mid(samples.map((s) => s.rps)),
  };
}
