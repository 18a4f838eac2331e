import {mkdir, stat} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {compareServers, RANDOM_RANGES, WHOLE} from "./compare.js";
import {type ServerProcess, sized, startServer} from "./lib.js";
import {findNginx, startNginx} from "./nginx.js";

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
    `sine=frequency=440:duration=${sized(1200, 20)}`,
    "-b:a",
    "128k",
    file,
  ]);
  const size = (await stat(file)).size;
  const servers: Array<[string, ServerProcess]> = [
    ["bare node", await startServer("bareNode", [file])],
    ["yoto-smart-stream", await startServer("yss", [mediaDir, path.join(workDir, "data-file")])],
  ];
  const nginx = findNginx();
  if (nginx) servers.push(["nginx", await startNginx(nginx, file, workDir)]);
  try {
    return await compareServers("Per-file serving", servers, size, [WHOLE, RANDOM_RANGES]);
  } finally {
    await Promise.all(servers.map(([, s]) => s.stop()));
  }
}
