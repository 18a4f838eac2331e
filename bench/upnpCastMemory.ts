import {readdir, readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {sleep} from "./cloud.js";
import {MEASURE_SECONDS, SMOKE, table} from "./lib.js";
import {soap} from "./upnpHttp.js";
import {withOnePlayer} from "./upnpSetup.js";

/** Casts in the row, each an hour-long source taken as a track (issue 86 counted ten). */
const CASTS = SMOKE ? 2 : 10;
/**
 * The issue measured ten casts over 5 minutes; a whole bench cannot wait that long, so the span
 * follows BENCH_SECONDS (20 × it: 60 s by default, 300 s with BENCH_SECONDS=15). What was used is printed.
 */
const SPAN_SECONDS = Math.max(4, Math.round(MEASURE_SECONDS * 20));
const SOURCE_SECONDS = SMOKE ? 120 : 3600;
const MIB = 1024 * 1024;
type Row = Record<string, string | number>;

/**
 * Memory of casts taken as tracks (issue 86): CASTS hour-long sources cast one after another to
 * one renderer over SPAN_SECONDS (SetAVTransportURI + Play each), then Stop. The service's RSS
 * and its ffmpeg children (count and RSS) after the casts and after Stop, beside the same service
 * idle for the same span first (the baseline, in the same run and process).
 */
export async function castMemoryRows(root: string): Promise<Row[]> {
  const host = await hourHost(root);
  const id = "ymemory000";
  try {
    return await withOnePlayer(root, {deviceId: id, name: "Memory"}, async (ready, _sim, child) => {
      const pid = child.child.pid as number;
      const call = (action: string, args: Record<string, string> = {}) =>
        soap(`http://127.0.0.1:${ready.upnpPort}`, id, "AVTransport", action, {InstanceID: "0", ...args});
      await sleep(SPAN_SECONDS * 1000);
      const idle = await reading(pid);
      for (let cast = 0; cast < CASTS; cast++) {
        const url = `${host.url}?cast=${cast}`;
        await call("SetAVTransportURI", {CurrentURI: url, CurrentURIMetaData: ""});
        await call("Play", {Speed: "1"});
        await sleep((SPAN_SECONDS * 1000) / CASTS);
      }
      const casting = await reading(pid);
      await call("Stop");
      // Whatever Stop ends has a moment to go (a killed ffmpeg, a collection).
      await sleep(3000);
      const stopped = await reading(pid);
      const rows: Row[] = [
        {what: `idle ${SPAN_SECONDS} s (baseline)`, ...shown(idle, idle)},
        {what: `${CASTS} casts of ${SOURCE_SECONDS / 60} min sources over ${SPAN_SECONDS} s`, ...shown(casting, idle)},
        {what: "after Stop (3 s later)", ...shown(stopped, idle)},
      ];
      console.log(`\nMemory of casts taken as tracks (${CASTS} casts over ${SPAN_SECONDS} s)\n${table(rows)}`);
      return rows;
    });
  } finally {
    await host.stop();
  }
}

interface Reading {
  rss: number;
  ffmpegs: number;
  ffmpegRss: number;
}

function shown(r: Reading, idle: Reading): Row {
  return {
    "service RSS": `${(r.rss / MIB).toFixed(1)} MiB`,
    "vs idle": `${((r.rss - idle.rss) / MIB).toFixed(1)} MiB`,
    "ffmpeg processes": r.ffmpegs,
    "their RSS": `${(r.ffmpegRss / MIB).toFixed(1)} MiB`,
  };
}

/** The service's RSS, and its ffmpeg children's count and RSS, as the kernel has them. */
async function reading(pid: number): Promise<Reading> {
  const rss = await rssOf(pid);
  let ffmpegs = 0;
  let ffmpegRss = 0;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[1]) !== pid || !stat.includes("(ffmpeg)")) continue;
    ffmpegs++;
    ffmpegRss += await rssOf(Number(name));
  }
  return {rss, ffmpegs, ffmpegRss};
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** An hour of a tone as MP3, served whole and at once to each request (as a NAS or a file server does). */
async function hourHost(root: string): Promise<{url: string; stop(): Promise<void>}> {
  const file = path.join(root, "hour.mp3");
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    ...["-f", "lavfi", "-i", `sine=frequency=500:duration=${SOURCE_SECONDS}:sample_rate=22050`],
    ...["-ac", "1", "-b:a", "32k", file],
  ]);
  const bytes = await readFile(file);
  const server = http.createServer((req, res) => {
    res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": bytes.length});
    res.end(req.method === "HEAD" ? undefined : bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hour.mp3`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
