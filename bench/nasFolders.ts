import {copyFile, mkdir} from "node:fs/promises";
import path from "node:path";
import {runFfmpeg} from "../src/core/ffmpeg.js";
import type {SourceItem} from "../src/mediaServers/mediaServer.js";

/**
 * A media server's folders for the benchmarks: one two-second MP3 made once, copied as many times
 * as each folder holds (`Track 0000.mp3`, …), under `<mediaRoot>/<folder>`.
 */
export async function toneFolders(
  ffmpeg: string,
  mediaRoot: string,
  folders: Array<{name: string; count: number; prefix: string}>,
): Promise<void> {
  await mkdir(mediaRoot, {recursive: true});
  const tone = path.join(mediaRoot, "..", "tone.mp3");
  await runFfmpeg(ffmpeg, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=2",
    "-ac",
    "2",
    "-b:a",
    "128k",
    tone,
  ]);
  for (const {name, count, prefix} of folders) {
    const dir = path.join(mediaRoot, name);
    await mkdir(dir, {recursive: true});
    for (let i = 0; i < count; i++) await copyFile(tone, path.join(dir, `${prefix} ${String(i).padStart(4, "0")}.mp3`));
  }
}

/** Walk a media server's folders by title from its root (MiniDLNA's "Music" → "Folders" → …). */
export async function findFolder(
  browse: (object: string) => Promise<SourceItem[]>,
  titles: string[],
): Promise<SourceItem> {
  let items = await browse("0");
  let found: SourceItem | undefined;
  for (const title of titles) {
    found = items.find((i) => i.kind === "folder" && i.title === title);
    if (!found) throw new Error(`bench: no folder '${title}' among ${items.map((i) => i.title).join(", ")}`);
    items = await browse(found.id);
  }
  return found as SourceItem;
}
