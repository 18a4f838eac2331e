import {createHash} from "node:crypto";
import type {Dirent} from "node:fs";
import {readdir, stat} from "node:fs/promises";
import path from "node:path";
import {AUDIO_EXTENSIONS} from "./metadata.js";

export interface FoundFile {
  id: string;
  source: "media" | "upload";
  absPath: string;
  relPath: string;
  size: number;
  mtimeMs: number;
}

/** Ids hash the source root and relative path, so they survive restarts and never encode a path. */
export function itemId(sourceKey: string, relPath: string): string {
  return createHash("sha256").update(`${sourceKey}\0${relPath}`).digest("hex").slice(0, 16);
}

/**
 * Every audio file below `root`, skipping dot-folders (uploads in progress live in one). A missing
 * root yields nothing; the caller decides whether to warn.
 */
export async function findAudioFiles(root: string, source: "media" | "upload"): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const sourceKey = source === "upload" ? "upload" : `media:${root}`;
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, {withFileTypes: true});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && dir === root) return;
      throw err;
    }
    const files: Promise<void>[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(abs);
      } else if (entry.isFile() && AUDIO_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        files.push(
          stat(abs).then((st) => {
            const relPath = path.relative(root, abs).split(path.sep).join("/");
            found.push({
              id: itemId(sourceKey, relPath),
              source,
              absPath: abs,
              relPath,
              size: st.size,
              mtimeMs: st.mtimeMs,
            });
          }, skipVanished),
        );
      }
    }
    await Promise.all(files);
  };
  await walk(root);
  return found;
}

// A file deleted between readdir and stat is simply not there any more.
function skipVanished(err: NodeJS.ErrnoException): void {
  if (err.code !== "ENOENT") throw err;
}
