import {readdir, readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {flowSource} from "../test/helpers/flowSource.js";
import {sleep} from "./cloud.js";
import {forkService, MEASURE_SECONDS, SMOKE, sized, table} from "./lib.js";
import {soap} from "./upnpHttp.js";
import {type Ready, withOnePlayer} from "./upnpSetup.js";

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

/** Live casts at once (issue 99 counted ten), each to a renderer of its own. */
const LIVE_CASTS = sized(10, 2);
/** The 10 minutes in a full run (200 × BENCH_SECONDS: 600 s by default, 60 s in a smoke run). */
const LIVE_SPAN_SECONDS = Math.max(10, Math.round(MEASURE_SECONDS * 200));
/** Readings of the service's RSS while the casts play. */
const LIVE_READINGS = 20;
/** How long after Stop the last reading is taken (the 15 s). */
const AFTER_STOP_MS = 15_000;
/** Music Assistant's MP3: 320 kb/s, 44.1 kHz stereo. */
const MA_MP3_BYTES_PER_SECOND = 40_000;
const GOAL_MIB = 10;

/**
 * Memory of live casts held for long (issue 99): LIVE_CASTS renderers each casting an endless MP3
 * as Music Assistant's flow mode serves it (one answer, chunked, no Content-Length, paced as its
 * ffmpeg paces: a 10 s burst, then 1.1 × real time), read by the simulator's players for as long
 * as they play. The service's RSS idle first, then at LIVE_READINGS points over LIVE_SPAN_SECONDS
 * of casting (goal: flat within 10 MiB), then 15 s after Stop (goal: within 10 MiB of idle).
 */
export async function liveCastMemoryRows(root: string): Promise<Row[]> {
  const source = await flowHost(root);
  const players = Array.from({length: LIVE_CASTS}, (_, i) => ({
    deviceId: `ylive${String(i).padStart(5, "0")}`,
    name: `Live ${i}`,
    deviceType: "v3",
    deviceFamily: "v3",
  }));
  // Real time, and a player reads a live cast for as long as it plays (not 4 MiB and done).
  const sim = new YotoSimulator({speed: 1, players, fetchLimitBytes: Number.POSITIVE_INFINITY});
  await sim.start();
  const child = forkService("upnpService", [
    path.join(root, "live-service"),
    path.join(root, "media"),
    JSON.stringify(sim.endpoints),
    String(LIVE_CASTS),
    "true",
  ]);
  try {
    const ready = await child.ask<Ready>({}, "ready");
    const pid = child.child.pid as number;
    const base = `http://127.0.0.1:${ready.upnpPort}`;
    const call = (id: string, action: string, args: Record<string, string> = {}) =>
      soap(base, id, "AVTransport", action, {InstanceID: "0", ...args});
    await sleep(10_000);
    const idle = await rssOf(pid);
    for (const p of players) {
      await call(p.deviceId, "SetAVTransportURI", {
        CurrentURI: `${source.url}/${p.deviceId}.mp3`,
        CurrentURIMetaData: "",
      });
      await call(p.deviceId, "Play", {Speed: "1"});
    }
    const relayed = () =>
      players.reduce(
        (sum, p) => sum + (sim.player(p.deviceId).fetches.find((f) => f.url.includes("/relay/"))?.bytes ?? 0),
        0,
      );
    const during: number[] = [];
    for (let i = 0; i < LIVE_READINGS; i++) {
      await sleep((LIVE_SPAN_SECONDS * 1000) / LIVE_READINGS);
      during.push(await rssOf(pid));
    }
    const passed = relayed();
    for (const p of players) await call(p.deviceId, "Stop");
    await sleep(AFTER_STOP_MS);
    const stopped = await rssOf(pid);
    const mib = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
    // The first reading is taken once the casts have settled (their bursts in, their buffers full).
    const first = during[0] as number;
    const last = during.at(-1) as number;
    const spread = Math.max(...during) - Math.min(...during);
    const rows: Row[] = [
      {what: "idle, before (baseline)", "service RSS": mib(idle), change: "", goal: ""},
      {
        what: `${LIVE_CASTS} live casts, first reading (${LIVE_SPAN_SECONDS / LIVE_READINGS} s in)`,
        "service RSS": mib(first),
        change: `${mib(first - idle)} vs idle`,
        goal: "",
      },
      {
        what: `${LIVE_CASTS} live casts, last reading (${LIVE_SPAN_SECONDS} s in; ${mib(passed)} relayed)`,
        "service RSS": mib(last),
        change: `${mib(last - first)} vs first; spread ${mib(spread)}`,
        goal: `flat within ${GOAL_MIB} MiB: ${spread <= GOAL_MIB * MIB ? "met" : "NOT met"}`,
      },
      {
        what: `after Stop (${AFTER_STOP_MS / 1000} s later)`,
        "service RSS": mib(stopped),
        change: `${mib(stopped - idle)} vs idle`,
        goal: `within ${GOAL_MIB} MiB of idle: ${stopped - idle <= GOAL_MIB * MIB ? "met" : "NOT met"}`,
      },
    ];
    console.log(
      `\nMemory of ${LIVE_CASTS} live casts (Music Assistant's flow mode) over ${LIVE_SPAN_SECONDS} s\n${table(rows)}`,
    );
    return rows;
  } finally {
    await child.stop();
    await sim.stop();
    await source.stop();
  }
}

/**
 * An endless MP3 as Music Assistant's flow mode serves it (music-assistant/server,
 * `controllers/streams.py`: `serve_queue_flow_stream`): its stream headers, `audio/mpeg` with no
 * Content-Length (chunked), a 10 s burst and then 1.1 × real time (its ffmpeg's `-readrate 1.1
 * -readrate_initial_burst 10`), each write waiting while the socket is full (`await resp.write`):
 * the tests' double of it (test/helpers/flowSource.ts), sending a minute of tone at MA's 320 kb/s
 * again and again.
 */
async function flowHost(root: string): Promise<{url: string; stop(): Promise<void>}> {
  const file = path.join(root, "flow.mp3");
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    ...["-f", "lavfi", "-i", "sine=frequency=440:duration=60:sample_rate=44100"],
    ...["-ac", "2", "-c:a", "libmp3lame", "-b:a", "320k", file],
  ]);
  const audio = await readFile(file);
  return flowSource({
    audio,
    loop: true,
    pace: {bytesPerSecond: MA_MP3_BYTES_PER_SECOND, burstSeconds: 10, rate: 1.1},
  });
}
