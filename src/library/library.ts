import {rm, stat} from "node:fs/promises";
import path from "node:path";
import {forEachLimited} from "../core/concurrency.js";
import {AppError, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import {FolderWatchers} from "./folderWatchers.js";
import {probeAudio} from "./metadata.js";
import {inPlace, type LibraryPlace} from "./places.js";
import {type FoundFile, findAudioFiles, itemId} from "./scanner.js";
import type {IndexEntry, LibraryItem, ScanStats} from "./types.js";
import {removeStaleUploads, storeUpload, type UploadRequest} from "./upload.js";

const WATCH_DEBOUNCE_MS = 750;
// A safety net for folders that appear later or file systems where watching is not possible.
const PERIODIC_RESCAN_MS = 10 * 60_000;
// Probing reads the head of each file. Each file is a few thread-pool round trips and a little
// parsing: with 4 in flight the main thread waited for the disk a third of the time, with 16 it
// parses while the next heads are read (the pool still runs 4 at once, so the disk is not flooded).
const PROBE_CONCURRENCY = 16;
const SAVE_BATCH = 250;
const NO_SCAN: ScanStats = {files: 0, probed: 0, cached: 0, removed: 0, failed: 0, durationMs: 0};

export interface LibraryOptions {
  mediaDirs: string[];
  uploadsDir: string;
  store: StateStore;
  bus: EventBus;
  log: Logger;
}

export interface ListQuery {
  q?: string;
  limit?: number;
  offset?: number;
  /** The family's audio (the default), or the stories' narration kept out of it. */
  place?: LibraryPlace;
}

/**
 * The audio library: files from read-only media folders and from uploads, indexed with their
 * metadata. The index is cached in the store by (path, size, mtime) so restarts read nothing new.
 */
export class Library implements Service {
  readonly name = "library";
  readonly #opts: LibraryOptions;
  readonly #log: Logger;
  readonly #index = new Map<string, IndexEntry>();
  readonly #watchers: FolderWatchers;
  /** Item ids by source and path, so rescans do not hash every path again. */
  readonly #ids = new Map<string, string>();
  #keyv?: StoreNamespace<IndexEntry>;
  #debounce?: NodeJS.Timeout;
  #periodic?: NodeJS.Timeout;
  #scanning?: Promise<ScanStats>;
  #nextScan?: Promise<ScanStats>;
  #stopped = false;
  #lastScan?: ScanStats & {at: string};

  constructor(opts: LibraryOptions) {
    this.#opts = opts;
    this.#log = opts.log;
    this.#watchers = new FolderWatchers(() => this.#scheduleScan(), opts.log);
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#keyv = this.#opts.store.namespace<IndexEntry>("library");
    const stale = await removeStaleUploads(this.#opts.uploadsDir);
    if (stale > 0) this.#log.info(`Removed ${stale} unfinished upload(s) left by an earlier stop`);
    for (const [id, entry] of await this.#opts.store.entries<IndexEntry>("library")) this.#index.set(id, entry);
    await this.scan();
    this.#periodic = setInterval(() => this.#scheduleScan(), PERIODIC_RESCAN_MS);
    this.#periodic.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watchers.close();
    this.#ids.clear();
    clearTimeout(this.#debounce);
    clearInterval(this.#periodic);
    await this.#scanning?.catch(() => undefined);
    await this.#nextScan?.catch(() => undefined);
    this.#index.clear();
  }

  health() {
    const unreadable = [...this.#index.values()].filter((e) => e.error).length;
    return {details: {items: this.#index.size - unreadable, unreadable, lastScan: this.#lastScan}};
  }

  get lastScan(): (ScanStats & {at: string}) | undefined {
    return this.#lastScan;
  }

  list(query: ListQuery = {}): {items: LibraryItem[]; total: number} {
    const words = (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const place = query.place ?? "library";
    const matches = [...this.#index.values()]
      .filter((e) => !e.error && inPlace(e.item, place))
      .map((e) => e.item)
      .filter((item) => {
        if (words.length === 0) return true;
        const haystack = `${item.title} ${item.artist ?? ""} ${item.album ?? ""} ${item.relPath}`.toLowerCase();
        return words.every((w) => haystack.includes(w));
      })
      .sort((a, b) => a.relPath.localeCompare(b.relPath));
    const offset = query.offset ?? 0;
    return {items: matches.slice(offset, offset + (query.limit ?? 100)), total: matches.length};
  }

  /** Every readable item, unsorted (for lookups; `list` is for people). */
  items(): LibraryItem[] {
    return [...this.#index.values()].filter((e) => !e.error).map((e) => e.item);
  }

  get(id: string): LibraryItem | undefined {
    const entry = this.#index.get(id);
    return entry && !entry.error ? entry.item : undefined;
  }

  /** Internal: where the bytes of an item are. Throws a 404 AppError for unknown ids. */
  resolve(id: string): IndexEntry {
    const entry = this.#index.get(id);
    if (!entry || entry.error) throw notFound(`Library item '${id}' does not exist`, "unknown_item");
    return entry;
  }

  async upload(req: UploadRequest): Promise<LibraryItem> {
    const finalPath = await storeUpload(this.#opts.uploadsDir, req);
    const relPath = path.relative(this.#opts.uploadsDir, finalPath).split(path.sep).join("/");
    const st = await stat(finalPath);
    const file = {id: itemId("upload", relPath), source: "upload" as const, absPath: finalPath, relPath};
    const entry = await this.#probe({...file, size: st.size, mtimeMs: st.mtimeMs});
    if (entry.error) {
      await rm(finalPath, {force: true});
      throw new AppError("not_audio", `'${req.filename}' is not audio that can be played (${entry.error})`, {
        status: 415,
      });
    }
    await this.#put(entry);
    this.#opts.bus.emit("library.uploaded", {id: entry.item.id, title: entry.item.title});
    this.#opts.bus.emit("library.changed", {added: 1, removed: 0, updated: 0});
    this.#log.info(`Uploaded '${entry.item.relPath}' (${entry.item.duration.toFixed(1)} s)`);
    return entry.item;
  }

  async remove(id: string): Promise<void> {
    const entry = this.resolve(id);
    if (entry.item.source !== "upload") {
      throw new AppError(
        "read_only",
        `'${entry.item.relPath}' is in a read-only media folder; delete it from that folder instead`,
        {
          status: 409,
        },
      );
    }
    await rm(entry.absPath, {force: true});
    await this.#delete(id);
    this.#opts.bus.emit("library.changed", {added: 0, removed: 1, updated: 0});
  }

  /**
   * Re-index every source. A call during a scan gets the next scan, not the running one: that one
   * may have walked past the change the caller is waiting for. Calls during a scan share that next one.
   */
  scan(): Promise<ScanStats> {
    if (this.#scanning === undefined) {
      this.#scanning = this.#scanOnce().finally(() => {
        this.#scanning = undefined;
      });
      return this.#scanning;
    }
    this.#nextScan ??= this.#scanning
      .catch(() => undefined)
      .then(() => {
        this.#nextScan = undefined;
        return this.#stopped ? NO_SCAN : this.scan();
      });
    return this.#nextScan;
  }

  async #scanOnce(): Promise<ScanStats> {
    const started = performance.now();
    const sources: Array<[string, "media" | "upload"]> = [
      ...this.#opts.mediaDirs.map((d) => [d, "media"] as [string, "media"]),
      [this.#opts.uploadsDir, "upload"],
    ];
    // Only ids known now may be removed: an upload finishing during the walk is not in `found`.
    const knownAtStart = [...this.#index.keys()];
    const found = new Map<string, FoundFile>();
    const onSkip = (where: string, err: NodeJS.ErrnoException) =>
      this.#log.warning(`Skipping '${where}' (${err.code ?? err.message})`);
    const folders = new Set<string>();
    for (const [root, source] of sources) {
      const onFolder = source === "media" ? (dir: string) => folders.add(dir) : undefined;
      try {
        for (const file of await findAudioFiles(root, source, onSkip, onFolder, this.#ids)) found.set(file.id, file);
      } catch (err) {
        // One unusable folder (a file given as a folder, no permission) must not stop the others.
        this.#log.error(errorMessage(err));
      }
    }
    // Uploads arrive through this service; only media folders change behind its back.
    if (!this.#stopped)
      this.#watchers.sync(
        this.#opts.mediaDirs.map((d) => path.join(d)),
        folders,
      );
    // Renamed and deleted files leave ids behind; start over when they outnumber the living.
    if (this.#ids.size > 2 * found.size + 1000) this.#ids.clear();
    const stats: ScanStats = {files: found.size, probed: 0, cached: 0, removed: 0, failed: 0, durationMs: 0};
    const toProbe: FoundFile[] = [];
    for (const file of found.values()) {
      const known = this.#index.get(file.id);
      if (
        known &&
        known.absPath === file.absPath &&
        known.item.size === file.size &&
        known.item.mtimeMs === file.mtimeMs
      ) {
        stats.cached++;
        if (known.error) stats.failed++;
      } else {
        toProbe.push(file);
      }
    }
    const added = toProbe.filter((f) => !this.#index.has(f.id)).length;
    // Saved in batches: a first index of thousands of files is otherwise mostly commits.
    let unsaved: Array<[string, IndexEntry]> = [];
    const save = async () => {
      const batch = unsaved;
      unsaved = [];
      if (batch.length > 0) await this.#keyv?.setMany(batch).catch(cacheWriteFailed);
    };
    await forEachLimited(toProbe, PROBE_CONCURRENCY, async (file) => {
      const entry = await this.#probe(file);
      stats.probed++;
      if (entry.error) {
        stats.failed++;
        this.#log.warning(`Skipping '${file.relPath}': ${entry.error}`);
      }
      this.#index.set(entry.item.id, entry);
      unsaved.push([entry.item.id, entry]);
      if (unsaved.length >= SAVE_BATCH) await save();
    });
    await save();
    for (const id of knownAtStart) {
      if (!found.has(id) && this.#index.has(id)) {
        await this.#delete(id);
        stats.removed++;
      }
    }
    stats.durationMs = Math.round(performance.now() - started);
    this.#lastScan = {...stats, at: new Date().toISOString()};
    if (stats.probed > 0 || stats.removed > 0) {
      this.#opts.bus.emit("library.changed", {added, removed: stats.removed, updated: stats.probed - added});
    }
    this.#log.info(
      `Library scanned: ${stats.files} file(s), ${stats.probed} read, ${stats.cached} unchanged, ${stats.removed} removed, ${stats.failed} unreadable (${stats.durationMs} ms)`,
    );
    return stats;
  }

  async #probe(file: FoundFile): Promise<IndexEntry> {
    const base = {id: file.id, source: file.source, relPath: file.relPath, size: file.size, mtimeMs: file.mtimeMs};
    try {
      return {item: {...base, ...(await probeAudio(file.absPath, file.size))}, absPath: file.absPath};
    } catch (err) {
      const item: LibraryItem = {
        ...base,
        title: file.relPath,
        duration: 0,
        mime: "application/octet-stream",
        hasCover: false,
      };
      return {item, absPath: file.absPath, error: errorMessage(err)};
    }
  }

  async #put(entry: IndexEntry): Promise<void> {
    this.#index.set(entry.item.id, entry);
    await this.#keyv?.set(entry.item.id, entry).catch(cacheWriteFailed);
  }

  async #delete(id: string): Promise<void> {
    this.#index.delete(id);
    await this.#keyv?.delete(id).catch(cacheWriteFailed);
  }

  #scheduleScan(): void {
    if (this.#stopped) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.scan().catch((err) => this.#log.error(`Library scan failed (${errorMessage(err)})`));
    }, WATCH_DEBOUNCE_MS);
  }
}

/**
 * The index in the store is only a cache of what the files say: an entry whose write failed (full
 * disk, locked database) is missing or stale after a restart, and that start's scan compares every
 * file with it and reads again what differs. The store has already logged the failure and shows
 * degraded in `/api/health`; a scan or an upload must not fail over it.
 */
function cacheWriteFailed(): void {}
