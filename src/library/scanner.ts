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
  onFolder: (dir: string) => void = () => {},
  ids: Map<string, string> = new Map(),
): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const sourceKey = source === "upload" ? "upload" : `media:${root}`;
  // Paths are joined by hand, and ids remembered between scans: a rescan of 10,000 unchanged files
  // is then little more than its stats.
  const idOf = (relPath: string) => {
    const key = `${sourceKey}\0${relPath}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = itemId(sourceKey, relPath);
      ids.set(key, id);
    }
    return id;
  };
  // As path.join would make them, so cached entries keep matching.
  const top = path.join(root);
  const walk = async (dir: string, relDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, {withFileTypes: true});
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (dir !== top) onSkip(dir, err as NodeJS.ErrnoException);
      else if (code === "ENOTDIR")
        throw new Error(
          `Media folder '${root}' is a file, not a folder: set media_dirs to the folder that holds your audio`,
        );
      else if (code === "EACCES")
        throw new Error(`Media folder '${root}' cannot be read (permission denied): let this service read it`);
      else if (code !== "ENOENT") throw err;
      return;
    }
    onFolder(dir);
    const files: Promise<void>[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const abs = dir.endsWith(path.sep) ? `${dir}${entry.name}` : `${dir}${path.sep}${entry.name}`;
      const relPath = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
      if (entry.isDirectory()) {
        await walk(abs, relPath);
      } else if (entry.isFile() && AUDIO_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        files.push(
          stat(abs).then(
            (st) => {
              found.push({
                id: idOf(relPath),
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
  await walk(top, "");
  return found;
}
