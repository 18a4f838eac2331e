import type {Logger} from "../core/logger.js";
import type {OpenFiles} from "../files/openFiles.js";
import type {Library} from "../library/library.js";
import {emptyStream, type StreamState} from "./model.js";
import {type Snapshot, SnapshotBuilder} from "./snapshots.js";

// A player seeking makes a burst of range requests; they share one snapshot of the same version.
// Files edited in place are noticed within this window, as with the library watcher's debounce.
const SNAPSHOT_REUSE_MS = 1000;

/**
 * The snapshots of the last second, each reused by the requests that follow it: building one reads
 * every file's frames, which a seeking player's dozens of range requests must not each repeat.
 */
export class RecentSnapshots {
  readonly #builder: SnapshotBuilder;
  readonly #recent = new Map<string, {version: number; at: number; snapshot: Promise<Snapshot>}>();

  constructor(library: Library, files: OpenFiles, log: Logger) {
    this.#builder = new SnapshotBuilder(library, files, log);
  }

  /** Short files' audio kept in memory, for the service's health. */
  get memoryBytes(): number {
    return this.#builder.memoryBytes;
  }

  /** What the stream called `name` plays now, the one of the last second when its version is the same. */
  ofStream(name: string, stream: StreamState): Promise<Snapshot> {
    const now = performance.now();
    const recent = this.#recent.get(name);
    if (recent && recent.version === stream.version && now - recent.at < SNAPSHOT_REUSE_MS) return recent.snapshot;
    return this.#remember(name, stream.version, now, this.#builder.build(stream));
  }

  /**
   * A fixed list of library items as one MP3, like a stream with mode `once` (a story scene). Items
   * gone from the library are skipped with a warning, as in streams.
   */
  ofItems(label: string, ids: readonly string[]): Promise<Snapshot> {
    const key = `items:${label}\0${ids.join(",")}`;
    const now = performance.now();
    const recent = this.#recent.get(key);
    if (recent && now - recent.at < SNAPSHOT_REUSE_MS) return recent.snapshot;
    return this.#remember(
      key,
      0,
      now,
      this.#builder.build({...emptyStream(label, new Date(0).toISOString()), items: [...ids]}),
    );
  }

  /** Drop a reused snapshot, so the next request sees the files as they are. */
  forget(name: string): void {
    this.#recent.delete(name);
  }

  /** Every snapshot dropped (the library changed); with `andAudio`, the audio held in memory too. */
  clear(andAudio = false): void {
    this.#recent.clear();
    if (andAudio) this.#builder.clear();
  }

  /**
   * Keep a snapshot for reuse by the requests of the next second. Older ones are dropped as new
   * ones come: a snapshot holds short files' audio, which must not outlive its use.
   */
  #remember(key: string, version: number, now: number, snapshot: Promise<Snapshot>): Promise<Snapshot> {
    for (const [other, recent] of this.#recent) {
      if (now - recent.at >= SNAPSHOT_REUSE_MS) this.#recent.delete(other);
    }
    this.#recent.set(key, {version, at: now, snapshot});
    snapshot.catch(() => {
      if (this.#recent.get(key)?.snapshot === snapshot) this.#recent.delete(key);
    });
    return snapshot;
  }
}
