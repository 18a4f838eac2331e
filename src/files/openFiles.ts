import {type FileHandle, open, stat} from "node:fs/promises";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";

/** A file held open for one use; `release()` once done (more calls are harmless). */
export interface OpenFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  readonly mtime: Date;
  /** Which file this is: device, inode, size and mtime. Another file at the same path has another key. */
  readonly key: string;
  release(): void;
}

interface Entry {
  path: string;
  handle: FileHandle;
  size: number;
  mtime: Date;
  key: string;
  users: number;
  /** When the path was last confirmed to still be this file. */
  checkedAt: number;
  lastUsed: number;
  /** No longer handed out (replaced, forgotten, evicted): closed once its last user is done. */
  retired: boolean;
}

// Idle handles are closed after this, so a deleted file's space is not held for long.
const IDLE_CLOSE_MS = 30_000;
// A file confirmed this recently is used without another stat: a player seeking makes a burst of
// range requests, and every thread-pool round trip costs the event loop (bench/rangeServing.ts).
// A change made through this service (upload, delete) or seen by the library's folder watchers is
// noticed at once (`forgetChecks`); one made behind both within this window, on the next request after it.
const RECHECK_MS = 1000;
const MAX_OPEN = 256;

/**
 * Open audio files, shared by the requests that read them: a player seeking makes a burst of range
 * requests, and each used to open, stat and close its file (three thread-pool round trips); now
 * most need none. A handle keeps reading the file it opened even when the path is replaced (an
 * atomic save, a re-upload): a response started on one version never gets bytes of the next.
 */
export class OpenFiles implements Service {
  readonly name = "open-files";
  readonly #log: Logger;
  readonly #bus: EventBus;
  readonly #entries = new Map<string, Entry>();
  readonly #opening = new Map<string, Promise<Entry>>();
  #sweeper?: NodeJS.Timeout;
  #stopped = true;

  constructor(bus: EventBus, log: Logger) {
    this.#bus = bus;
    this.#log = log;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#bus.on(this, "library.changed", () => this.forgetChecks());
    this.#sweeper = setInterval(() => this.#closeIdle(performance.now() - IDLE_CLOSE_MS), IDLE_CLOSE_MS);
    this.#sweeper.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#bus.off(this);
    clearInterval(this.#sweeper);
    await Promise.allSettled(this.#opening.values());
    for (const entry of [...this.#entries.values()]) this.#retire(entry);
  }

  health() {
    let inUse = 0;
    for (const entry of this.#entries.values()) if (entry.users > 0) inUse++;
    return {details: {open: this.#entries.size, inUse}};
  }

  /** The file at `path`, opened (or already open and still the file at that path). Rejects as `open` does. */
  async acquire(path: string): Promise<OpenFile> {
    let entry = this.#entries.get(path);
    if (entry && performance.now() - entry.checkedAt > RECHECK_MS) entry = await this.#recheck(entry);
    entry ??= await this.#open(path);
    entry.users++;
    entry.lastUsed = performance.now();
    // Most recently used last: eviction walks from the front.
    if (!entry.retired) {
      this.#entries.delete(path);
      this.#entries.set(path, entry);
    }
    return this.#lease(entry);
  }

  /**
   * Something changed on disk: every path is stat-ed again before its next use, and idle handles
   * are closed, so a deleted file's space is given back at once.
   */
  forgetChecks(): void {
    for (const entry of this.#entries.values()) entry.checkedAt = Number.NEGATIVE_INFINITY;
    this.#closeIdle(Number.POSITIVE_INFINITY);
  }

  async #recheck(entry: Entry): Promise<Entry | undefined> {
    let current: import("node:fs").Stats | undefined;
    try {
      current = await stat(entry.path);
    } catch {
      // Gone or unreadable now: open() below reports it the way callers expect.
    }
    if (this.#entries.get(entry.path) !== entry) return this.#entries.get(entry.path);
    if (current && identity(current) === entry.key) {
      entry.checkedAt = performance.now();
      return entry;
    }
    this.#retire(entry);
    return undefined;
  }

  #open(path: string): Promise<Entry> {
    let opening = this.#opening.get(path);
    if (!opening) {
      opening = openEntry(path).finally(() => this.#opening.delete(path));
      this.#opening.set(path, opening);
      opening.then(
        (entry) => {
          // After stop, or when a newer open won: used once, then closed.
          if (this.#stopped || this.#entries.has(path)) entry.retired = true;
          else {
            this.#entries.set(path, entry);
            this.#evictOverflow();
          }
        },
        () => undefined,
      );
    }
    return opening;
  }

  #lease(entry: Entry): OpenFile {
    let released = false;
    return {
      path: entry.path,
      handle: entry.handle,
      size: entry.size,
      mtime: entry.mtime,
      key: entry.key,
      release: () => {
        if (released) return;
        released = true;
        entry.users--;
        entry.lastUsed = performance.now();
        if (entry.retired && entry.users === 0) this.#close(entry);
      },
    };
  }

  #retire(entry: Entry): void {
    entry.retired = true;
    if (this.#entries.get(entry.path) === entry) this.#entries.delete(entry.path);
    if (entry.users === 0) this.#close(entry);
  }

  #closeIdle(usedBefore: number): void {
    for (const entry of [...this.#entries.values()]) {
      if (entry.users === 0 && entry.lastUsed < usedBefore) this.#retire(entry);
    }
  }

  #evictOverflow(): void {
    for (const entry of this.#entries.values()) {
      if (this.#entries.size <= MAX_OPEN) return;
      if (entry.users === 0) this.#retire(entry);
    }
  }

  #close(entry: Entry): void {
    entry.handle
      .close()
      .catch((err: Error) => this.#log.debug(() => `Closing '${entry.path}' failed (${err.message})`));
  }
}

async function openEntry(path: string): Promise<Entry> {
  const handle = await open(path, "r");
  try {
    const st = await handle.stat();
    const now = performance.now();
    return {
      path,
      handle,
      size: st.size,
      mtime: st.mtime,
      key: identity(st),
      users: 0,
      checkedAt: now,
      lastUsed: now,
      retired: false,
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function identity(st: {dev: number; ino: number; size: number; mtimeMs: number}): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}
