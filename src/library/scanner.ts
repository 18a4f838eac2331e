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

export type SkipReporter = (path: string, err: NodeJS.ErrnoException) => void;

/**
 * Every audio file below `root`, skipping dot-folders (uploads in progress live in one). A missing
 * root yields nothing; a folder or file below it that cannot be read (permissions, removed mid-walk)
 * is reported and skipped, so one bad folder never hides the rest of the library.
 */
export async function findAudioFiles(
  root: string,
  source: "media" | "upload",
  onSkip: SkipReporter = () => {},
): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const sourceKey = source === "upload" ? "upload" : `media:${root}`;
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, {withFileTypes: true});
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (dir !== root) onSkip(dir, err as NodeJS.ErrnoException);
      else if (code === "ENOTDIR")
        throw new Error(
          `Media folder '${root}' is a file, not a folder: set media_dirs to the folder that holds your audio`,
        );
      else if (code === "EACCES")
        throw new Error(`Media folder '${root}' cannot be read (permission denied): let this service read it`);
      else if (code !== "ENOENT") throw err;
      return;
    }
    const files: Promise<void>[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(abs);
      } else if (entry.isFile() && AUDIO_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        files.push(
          stat(abs).then(
            (st) => {
              const relPath = path.relative(root, abs).split(path.sep).join("/");
              found.push({
                id: itemId(sourceKey, relPath),
                source,
                absPath: abs,
                relPath,
                size: st.size,
                mtimeMs: st.mtimeMs,
              });
            },
            (err: NodeJS.ErrnoException) => {
              if (err.code !== "ENOENT") onSkip(abs, err);
            },
          ),
        );
      }
    }
    await Promise.all(files);
  };
  await walk(root);
  return found;
}
