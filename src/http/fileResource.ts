import type {Stats} from "node:fs";
import {stat} from "node:fs/promises";
import {notFound} from "../core/errors.js";
import type {IndexEntry} from "../library/types.js";
import type {FileSender} from "./fileSender.js";
import type {RangedResource} from "./sendRanged.js";

// As fresh as the library watcher's debounce: a file edited in place is served correctly within a
// second, and a player's burst of range requests costs one stat instead of one each.
const STAT_TTL_MS = 1000;
const MAX_CACHED = 5000;

/** Library files as ranged resources, with their stat results reused for a moment. */
export class FileResources {
  readonly #stats = new Map<string, {at: number; stats: Promise<Stats>}>();
  readonly #sender: FileSender;

  constructor(sender: FileSender) {
    this.#sender = sender;
  }

  async resource(entry: IndexEntry): Promise<RangedResource> {
    const st = await this.#stat(entry.absPath).catch(() => {
      throw notFound(`The file of '${entry.item.relPath}' is gone; rescan the library`, "file_missing");
    });
    return {
      size: st.size,
      etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      lastModified: st.mtime,
      contentType: entry.item.mime,
      send: (out, start, end) => this.#sender.send(out, [{path: entry.absPath, start, end}]),
    };
  }

  #stat(file: string): Promise<Stats> {
    const now = performance.now();
    const cached = this.#stats.get(file);
    if (cached && now - cached.at < STAT_TTL_MS) return cached.stats;
    if (this.#stats.size >= MAX_CACHED) this.#stats.clear();
    const stats = stat(file);
    this.#stats.set(file, {at: now, stats});
    stats.catch(() => this.#stats.delete(file));
    return stats;
  }
}
