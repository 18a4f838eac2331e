import {mkdir, stat} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/library/ffmpeg.js";
import {load, type ServerProcess, startServer, table} from "./lib.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = 8;
const RANGE_BYTES = 256 * 1024;
const ROUNDS = 3;

interface Measure {
  mbps: number;
  cpuPerGb: number;
  rps: number;
}

interface Scenario {
  name: string;
  headers?: (size: number) => () => Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  {name: "whole file"},
  {
    name: "random 256 KiB ranges",
    headers: (size) => () => {
      const start = Math.floor(Math.random() * (size - RANGE_BYTES));
      return {Range: `bytes=${start}-${start + RANGE_BYTES - 1}`};
    },
  },
];

/** Per-file serving: the product's audio listener against a bare Node server on the same file. */
export async function rangeServing(workDir: string): Promise<Array<Record<string, string | number>>> {
  const mediaDir = path.join(workDir, "media");
  const file = path.join(mediaDir, "long.mp3");
  await mkdir(mediaDir, {recursive: true});
  // 20 minutes at 128 kb/s ≈ 19 MB: larger than socket buffers, like a real audiobook chapter.
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=1200",
    "-b:a",
    "128k",
    file,
  ]);
  const size = (await stat(file)).size;

  const servers: Array<[string, ServerProcess]> = [
    ["bare node", await startServer("bareNode", [file])],
    ["yoto-smart-stream", await startServer("yss", [mediaDir, path.join(workDir, "data")])],
  ];
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const scenario of SCENARIOS) {
      const samples: Record<string, Measure[]> = {};
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate who goes first: on two cores, order and warm caches otherwise favour one side.
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const [name, server] of order) {
          const m = await measure(server, scenario, size, name);
          samples[name] = [...(samples[name] ?? []), m];
        }
      }
      const medians = Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, median(ms)]));
      const base = medians["bare node"] as Measure;
      for (const [name, m] of Object.entries(medians)) {
        rows.push({
          scenario: scenario.name,
          server: name,
          "MB/s": m.mbps.toFixed(0),
          "req/s": m.rps.toFixed(0),
          "CPU s/GB": m.cpuPerGb.toFixed(2),
          "throughput vs bare": `${(m.mbps / base.mbps).toFixed(2)}×`,
          "CPU/GB vs bare": `${(m.cpuPerGb / base.cpuPerGb).toFixed(2)}×`,
        });
      }
    }
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
  console.log(
    `\nPer-file serving, ${(size / 1e6).toFixed(1)} MB MP3, ${CONCURRENCY} keep-alive clients, median of ${ROUNDS} × ${SECONDS} s\n`,
  );
  console.log(table(rows));
  return rows;
}

async function measure(server: ServerProcess, scenario: Scenario, size: number, name: string): Promise<Measure> {
  const headers = scenario.headers?.(size);
  await load(server.url, {concurrency: CONCURRENCY, seconds: 0.5, headers}); // warm-up
  const cpuBefore = await server.cpuSeconds();
  const r = await load(server.url, {concurrency: CONCURRENCY, seconds: SECONDS, headers});
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
