import {copyFile, mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/library/ffmpeg.js";
import {compareServers, RANDOM_RANGES, WHOLE} from "./compare.js";
import {type ServerProcess, startServer} from "./lib.js";
import {findNginx, startNginx} from "./nginx.js";

const FILES = 10;

/**
 * Stream serving: a 10-file queue joined on the fly, against a bare Node server sending the very
 * same bytes pre-joined into one file — the cost of joining is the difference.
 */
export async function streamServing(workDir: string): Promise<Array<Record<string, string | number>>> {
  const mediaDir = path.join(workDir, "stream-media");
  await mkdir(mediaDir, {recursive: true});
  const first = path.join(mediaDir, "track00.mp3");
  // Two minutes each at 128 kb/s ≈ 1.9 MB: a queue of songs.
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=120",
    "-b:a",
    "128k",
    first,
  ]);
  for (let i = 1; i < FILES; i++) await copyFile(first, path.join(mediaDir, `track${String(i).padStart(2, "0")}.mp3`));

  const ours = await startServer("yss", [mediaDir, path.join(workDir, "data-stream"), "stream"]);
  const joined = Buffer.from(await (await fetch(ours.url)).arrayBuffer());
  const joinedFile = path.join(workDir, "joined.mp3");
  await writeFile(joinedFile, joined);
  const servers: Array<[string, ServerProcess]> = [
    ["bare node (pre-joined)", await startServer("bareNode", [joinedFile])],
    ["yoto-smart-stream", ours],
  ];
  const nginx = findNginx();
  if (nginx) servers.push(["nginx (pre-joined)", await startNginx(nginx, joinedFile, workDir)]);
  else console.log("\nnginx is not installed: the stream benchmark compares with bare Node only.");
  try {
    return await compareServers(`Stream serving (${FILES} files joined)`, servers, joined.length, [
      WHOLE,
      RANDOM_RANGES,
    ]);
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}
