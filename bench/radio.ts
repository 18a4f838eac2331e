import http from "node:http";
import path from "node:path";
import {App} from "../src/app/app.js";
import {defaultConfig} from "../src/config/schema.js";
import {requireFfmpeg} from "../src/core/ffmpeg.js";
import {Logger} from "../src/core/logger.js";
import {DemoStation} from "../src/demo/demoStation.js";
import {ensureSampleAudio} from "../src/demo/sampleAudio.js";
import {quantile} from "./cloud.js";
import {MEASURE_SECONDS, sized, table} from "./lib.js";

type Row = Record<string, string | number>;
const ROUNDS = sized(5, 1);
const LISTENERS = sized(50, 3);

/**
 * Internet radio (#37), the whole service (App on loopback) and a local station sending MP3 at
 * real-time pace with ICY metadata (the demo's), both in this process:
 * - first byte after the first listener joins (nobody listening before: the station is connected
 *   then), against a direct GET of the station;
 * - 1 and 50 listeners for BENCH_SECONDS: the process's CPU and RSS per listener and the station's
 *   connections (one, whatever the listeners), against 50 listeners of the station itself.
 */
export async function radioBench(workDir: string): Promise<Row[]> {
  const seconds = MEASURE_SECONDS;
  const root = path.join(workDir, "radio");
  const ffmpeg = requireFfmpeg().path;
  await ensureSampleAudio(path.join(root, "media"), ffmpeg);
  const station = new DemoStation();
  const stationUrl = await station.start(path.join(root, "media"));
  const app = new App({
    config: {
      ...defaultConfig(false),
      data_dir: path.join(root, "data"),
      media_dirs: [path.join(root, "media")],
      rules_dir: path.join(root, "rules"),
      audio_port: 0,
      ingress_port: 0,
      embedded_broker_port: 0,
      media_discovery: false,
      fetch_allow: ["127.0.0.1"],
    },
    log: new Logger({level: "error"}),
    host: "127.0.0.1",
    ffmpegPath: ffmpeg,
    radio: {lingerMs: 50},
  });
  await app.start();
  try {
    await app.radio.setStation("bench-radio", stationUrl);
    const signed = app.links.signed("/streams/bench-radio.mp3");
    const ours = `${app.audio.url}${signed}`;
    const firstOurs: number[] = [];
    const firstBare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await idle(app);
      firstOurs.push(await firstByte(ours));
      firstBare.push(await firstByte(stationUrl));
    }
    await idle(app);
    const one = await listeners(ours, 1, seconds, station);
    await idle(app);
    const many = await listeners(ours, LISTENERS, seconds, station);
    const bare = await listeners(stationUrl, LISTENERS, seconds, station);
    const rows: Row[] = [
      {
        case: "first byte, first listener (ms p50 / max)",
        ours: `${quantile(firstOurs, 0.5).toFixed(1)} / ${Math.max(...firstOurs).toFixed(1)}`,
        baseline: `${quantile(firstBare, 0.5).toFixed(1)} / ${Math.max(...firstBare).toFixed(1)} (direct GET of the station)`,
        ratio: (quantile(firstOurs, 0.5) / quantile(firstBare, 0.5)).toFixed(2),
      },
      {
        case: "1 listener: CPU ms/s, RSS growth MB, station connections",
        ours: `${one.cpuPerSecond.toFixed(1)}, ${one.rssMb.toFixed(1)}, ${one.connections}`,
        baseline: "",
        ratio: "",
      },
      {
        case: `${LISTENERS} listeners: CPU ms/s per listener`,
        ours: (many.cpuPerSecond / LISTENERS).toFixed(2),
        baseline: `${(bare.cpuPerSecond / LISTENERS).toFixed(2)} (${LISTENERS} direct listeners of the station)`,
        ratio: (many.cpuPerSecond / bare.cpuPerSecond).toFixed(2),
      },
      {
        case: `${LISTENERS} listeners: RSS growth MB per listener`,
        ours: (many.rssMb / LISTENERS).toFixed(3),
        baseline: (bare.rssMb / LISTENERS).toFixed(3),
        ratio: "",
      },
      {
        case: `${LISTENERS} listeners: station connections, KB received per listener`,
        ours: `${many.connections}, ${(many.bytesPerListener / 1024).toFixed(0)}`,
        baseline: `${bare.connections}, ${(bare.bytesPerListener / 1024).toFixed(0)}`,
        ratio: "",
      },
    ];
    console.log(`\nInternet radio (${seconds} s per case)\n${table(rows)}`);
    return rows;
  } finally {
    await app.stop();
    await station.stop();
  }
}

/** Nobody listens and the station is let go: the next listener connects it afresh. */
async function idle(app: App): Promise<void> {
  for (let i = 0; i < 100 && app.radio.view("bench-radio")?.state !== "idle"; i++)
    await new Promise((r) => setTimeout(r, 20));
}

function firstByte(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.once("data", () => {
        resolve(performance.now() - started);
        req.destroy();
      });
    });
    req.on("error", (err) => (req.destroyed ? undefined : reject(err)));
  });
}

async function listeners(url: string, count: number, seconds: number, station: DemoStation) {
  const before = station.connections;
  const rss = process.memoryUsage().rss;
  const requests: http.ClientRequest[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const req = http.get(url, (res) => res.on("data", (chunk: Buffer) => (bytes += chunk.length)));
    req.on("error", () => undefined);
    requests.push(req);
  }
  await new Promise((r) => setTimeout(r, 500)); // all connected
  const cpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const rssMb = (process.memoryUsage().rss - rss) / 1024 / 1024;
  for (const req of requests) req.destroy();
  return {
    cpuPerSecond: (used.user + used.system) / 1000 / seconds,
    rssMb: Math.max(0, rssMb),
    connections: station.connections - before,
    bytesPerListener: bytes / count,
  };
}
