/**
 * The audio of short files, kept in memory by file identity (path, device, inode, size, mtime).
 * A queue of short tracks is otherwise an open, a read and a close per file per request — ten
 * thread-pool round trips for a ten-story queue, where a bare server reading one joined file makes
 * four. Bytes are immutable: a snapshot that holds them plays exactly the version it measured.
 */
export class PayloadBytes {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Buffer>();
  readonly #loading = new Map<string, Promise<Buffer>>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The cached bytes for `key`, or what `load` reads (kept if they fit, least recently used out first). */
  async get(key: string, load: () => Promise<Buffer>): Promise<Buffer> {
    const cached = this.#entries.get(key);
    if (cached) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    let loading = this.#loading.get(key);
    if (!loading) {
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

  #keep(key: string, bytes: Buffer): void {
    if (bytes.length > this.#maxBytes || this.#entries.has(key)) return;
    this.#entries.set(key, bytes);
    this.#bytes += bytes.length;
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldKey);
      this.#bytes -= old.length;
    }
  }
}
