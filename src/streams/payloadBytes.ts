// Bytes played in the last minute are what is being played now: they are not evicted for others.
const IN_PLAY_MS = 60_000;

interface Entry {
  bytes: Buffer;
  usedAt: number;
}

/**
 * The audio of short files, kept in memory by file identity (path, device, inode, size, mtime).
 * A queue of short tracks is otherwise an open, a read and a close per file per request — ten
 * thread-pool round trips for a ten-story queue, where a bare server reading one joined file makes
 * four. Bytes are immutable: a snapshot that holds them plays exactly the version it measured.
 *
 * What is being played stays: when more is played at once than fits, the newcomers are served
 * from their files instead of pushing out bytes that are still in use. Plain LRU did that, and
 * with 40 queues of short tracks a little past the limit every request missed and read every file
 * into fresh memory (0.4× a bare server).
 */
export class PayloadBytes {
  readonly #maxBytes: number;
  readonly #inPlayMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<Buffer>>();
  #bytes = 0;

  constructor(maxBytes: number, inPlayMs = IN_PLAY_MS) {
    this.#maxBytes = maxBytes;
    this.#inPlayMs = inPlayMs;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The cached bytes for `key`, or what `load` reads when `size` bytes can be kept; undefined when
   * they cannot (the caller reads the file as it sends it).
   */
  async get(key: string, size: number, load: () => Promise<Buffer>): Promise<Buffer | undefined> {
    const cached = this.#entries.get(key);
    if (cached) {
      this.#entries.delete(key);
      cached.usedAt = Date.now();
      this.#entries.set(key, cached);
      return cached.bytes;
    }
    let loading = this.#loading.get(key);
    if (!loading) {
      if (!this.#makeRoom(size)) return undefined;
      loading = load().finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
      loading.then(
        (bytes) => this.#keep(key, bytes),
        () => undefined,
      );
    }
    return loading;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** Evict bytes not played for a while (oldest first) until `size` more fit; false if they cannot. */
  #makeRoom(size: number): boolean {
    if (size > this.#maxBytes) return false;
    const playedSince = Date.now() - this.#inPlayMs;
    // The map is in order of use, so the first entry still in play ends the search.
    for (const [key, entry] of this.#entries) {
      if (this.#bytes + size <= this.#maxBytes) break;
      if (entry.usedAt > playedSince) return false;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes.length;
    }
    return this.#bytes + size <= this.#maxBytes;
  }

  #keep(key: string, bytes: Buffer): void {
    if (this.#entries.has(key) || !this.#makeRoom(bytes.length)) return;
    this.#entries.set(key, {bytes, usedAt: Date.now()});
    this.#bytes += bytes.length;
  }
}
