import {copyFile, mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {compareServers, RANDOM_RANGES, type Scenario, WHOLE, wholeAt} from "./compare.js";
import {type ServerProcess, sized, startServer} from "./lib.js";
import {findNginx, startNginx} from "./nginx.js";

const FILES = sized(10, 2);

interface QueueShape {
  /** Folder name and title. */
  name: string;
  title: string;
  /** Seconds of audio per file, its bitrate and channels. */
  seconds: number;
  bitrate: string;
  channels: 1 | 2;
  scenarios: Scenario[];
}

/** Songs: two minutes each at 128 kb/s ≈ 1.9 MB. */
const LONG_TRACKS: QueueShape = {
  name: "long",
  title: "10 × 1.9 MB",
  seconds: sized(120, 10),
  bitrate: "128k",
  channels: 2,
  scenarios: [WHOLE, RANDOM_RANGES],
};

/** Stories, chimes, short songs: four seconds each at 192 kb/s mono ≈ 96 KB — what families queue most. */
const SHORT_TRACKS: QueueShape = {
  name: "short",
  title: "10 × 96 KB",
  seconds: 4,
  bitrate: "192k",
  channels: 1,
  scenarios: [...wholeAt(1, 10, 50), RANDOM_RANGES],
};

export const streamServing = (workDir: string) => queueServing(workDir, LONG_TRACKS);
export const shortTrackServing = (workDir: string) => queueServing(workDir, SHORT_TRACKS);

const MANY_QUEUES = sized(40, 2);

/**
 * 40 queues of 10 short tracks each, every track its own file (400 files, 38 MB: more than the
 * 32 MiB the service keeps in memory), played together: 40 clients each asking for one queue at
 * random. Against a bare Node server sending each queue's same bytes pre-joined (40 files).
 */
export async function manyQueuesServing(workDir: string): Promise<Array<Record<string, string | number>>> {
  const mediaDir = path.join(workDir, "many-queues-media");
  const first = path.join(workDir, "many-queues-track.mp3");
  await runFfmpeg(requireFfmpeg().path, [
    ...["-y", "-f", "lavfi", "-i", `sine=frequency=440:duration=${SHORT_TRACKS.seconds}`],
    ...["-ac", "1", "-b:a", SHORT_TRACKS.bitrate, first],
  ]);
  for (let q = 0; q < MANY_QUEUES; q++) {
    const folder = path.join(mediaDir, `q${String(q).padStart(2, "0")}`);
    await mkdir(folder, {recursive: true});
    for (let i = 0; i < FILES; i++) await copyFile(first, path.join(folder, `track${String(i).padStart(2, "0")}.mp3`));
  }
  const ours = await startServer("yss", [mediaDir, path.join(workDir, "data-many-queues"), "streams"]);
  const joinedDir = path.join(workDir, "many-queues-joined");
  await mkdir(joinedDir, {recursive: true});
  let size = 0;
  for (const url of ours.urls) {
    const joined = Buffer.from(await (await fetch(url)).arrayBuffer());
    size = joined.length;
    await writeFile(path.join(joinedDir, path.basename(new URL(url).pathname)), joined);
  }
  const servers: Array<[string, ServerProcess]> = [
    ["bare node (pre-joined)", await startServer("bareNode", [joinedDir])],
    ["yoto-smart-stream", ours],
  ];
  try {
    return await compareServers(
      `${MANY_QUEUES} queues of ${SHORT_TRACKS.title} (${((size * MANY_QUEUES) / 1e6).toFixed(0)} MB of short files) played at once`,
      servers,
      size,
      [{name: `whole bodies, ${MANY_QUEUES} queues, c = ${MANY_QUEUES}`, concurrency: MANY_QUEUES, spread: true}],
    );
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}

/**
 * Stream serving: a 10-file queue joined on the fly, against a bare Node server (and nginx when
 * installed) sending the very same bytes pre-joined into one file — the cost of joining is the difference.
 */
async function queueServing(workDir: string, shape: QueueShape): Promise<Array<Record<string, string | number>>> {
  const mediaDir = path.join(workDir, `stream-media-${shape.name}`);
  await mkdir(mediaDir, {recursive: true});
  const first = path.join(mediaDir, "track00.mp3");
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:duration=${shape.seconds}`,
    "-ac",
    String(shape.channels),
    "-b:a",
    shape.bitrate,
    first,
  ]);
  for (let i = 1; i < FILES; i++) await copyFile(first, path.join(mediaDir, `track${String(i).padStart(2, "0")}.mp3`));

  const ours = await startServer("yss", [mediaDir, path.join(workDir, `data-stream-${shape.name}`), "stream"]);
  const joined = Buffer.from(await (await fetch(ours.url)).arrayBuffer());
  const joinedFile = path.join(workDir, `joined-${shape.name}.mp3`);
  await writeFile(joinedFile, joined);
  const servers: Array<[string, ServerProcess]> = [
    ["bare node (pre-joined)", await startServer("bareNode", [joinedFile])],
    ["yoto-smart-stream", ours],
  ];
  const nginx = findNginx();
  if (nginx) servers.push(["nginx (pre-joined)", await startNginx(nginx, joinedFile, workDir)]);
  else console.log("\nnginx is not installed: the stream benchmark compares with bare Node only.");
  try {
    return await compareServers(`Stream serving (${shape.title} joined)`, servers, joined.length, shape.scenarios);
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}
