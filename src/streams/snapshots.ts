import {createHash} from "node:crypto";
import type {FileHandle} from "node:fs/promises";
import {forEachLimited} from "../core/concurrency.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {OpenFiles} from "../files/openFiles.js";
import type {Segment} from "../files/segment.js";
import type {Library} from "../library/library.js";
import {analyzeMp3, type Mp3Payload} from "../library/mp3.js";
import {isLooping, playOrder, type StreamState} from "./model.js";
import {PayloadBytes} from "./payloadBytes.js";
import {totalLength} from "./slice.js";

const MAX_CACHED_PAYLOADS = 20_000;
// Files are opened to find their frames; a 2000-item queue must not open 2000 at once (EMFILE).
const ANALYSIS_CONCURRENCY = 16;
// 128 kb/s, what uploads are converted to: the rate assumed when no file says how long it plays.
const DEFAULT_BYTES_PER_SECOND = 16_000;
// MP3 spans 8 to 320 kb/s: a file whose tags claim a far shorter duration cannot unpace a stream.
const MIN_BYTES_PER_SECOND = 1_000;
const MAX_BYTES_PER_SECOND = 40_000;
// Files whose audio is at most this long are served from memory (stories, chimes, short songs)…
const IN_MEMORY_FILE_BYTES = 1024 * 1024;
// …within this much memory in all, least recently used out first.
const IN_MEMORY_TOTAL_BYTES = 32 * 1024 * 1024;

/** What one request plays: fixed at request time, so later queue changes never alter it. */
export interface Snapshot {
  stream: StreamState;
  looping: boolean;
  /** Segments of the first (for finite modes, only) pass, in play order. */
  segments: Segment[];
  /** Item ids in `segments` order. */
  itemIds: string[];
  size: number;
  /** Audio bytes per second of playback over the first pass, to pace endless streams by. */
  bytesPerSecond: number;
  etag: string;
  /** Segments of pass `cycle` (shuffle_loop reshuffles each pass). */
  cycle(cycle: number): Segment[];
}

interface Playable {
  segment: Segment;
  /** Path, size and mtime: part of the ETag, since a file replaced in place changes the bytes. */
  fileKey: string;
  format: string;
  /** Playing time in seconds, as the library measured it. */
  seconds: number;
}

/** Turns a stream's queue into byte segments of its files, skipping what cannot be played. */
export class SnapshotBuilder {
  readonly #library: Library;
  readonly #files: OpenFiles;
  readonly #log: Logger;
  readonly #payloads = new Map<string, Promise<Mp3Payload>>();
  readonly #bytes = new PayloadBytes(IN_MEMORY_TOTAL_BYTES);

  constructor(library: Library, files: OpenFiles, log: Logger) {
    this.#library = library;
    this.#files = files;
    this.#log = log;
  }

  /** Bytes of short files held in memory. */
  get memoryBytes(): number {
    return this.#bytes.bytes;
  }

  async build(state: StreamState): Promise<Snapshot> {
    const stream = structuredClone(state);
    const playable = new Map<string, Playable>();
    await forEachLimited([...new Set(stream.items)], ANALYSIS_CONCURRENCY, async (id) => {
      const found = await this.#playable(stream.name, id);
      if (found) playable.set(id, found);
    });
    this.#warnIfMixed(
      stream,
      [...playable.values()].map((p) => p.format),
    );
    const cycle = (n: number) =>
      playOrder(stream, n)
        .filter((id) => playable.has(id))
        .map((id) => playable.get(id)?.segment as Segment);
    const itemIds = playOrder(stream, 0).filter((id) => playable.has(id));
    const segments = cycle(0);
    const size = totalLength(segments);
    const seconds = itemIds.reduce((sum, id) => sum + (playable.get(id)?.seconds ?? 0), 0);
    const fingerprint = createHash("sha256").update(`${stream.name}\0${stream.version}\0${stream.mode}`);
    for (const id of itemIds) fingerprint.update(`\0${playable.get(id)?.fileKey}`);
    return {
      stream,
      looping: isLooping(stream.mode),
      segments,
      itemIds,
      size,
      bytesPerSecond: audioRate(size, seconds),
      etag: `"s-${fingerprint.digest("hex").slice(0, 20)}"`,
      cycle,
    };
  }

  clear(): void {
    this.#payloads.clear();
    this.#bytes.clear();
  }

  async #playable(stream: string, id: string): Promise<Playable | undefined> {
    const entry = this.#library.get(id) ? this.#library.resolve(id) : undefined;
    if (!entry) {
      this.#log.warning(`Stream '${stream}': skipping '${id}', which is no longer in the library`);
      return undefined;
    }
    let file: Awaited<ReturnType<OpenFiles["acquire"]>> | undefined;
    try {
      file = await this.#files.acquire(entry.absPath);
      const key = `${entry.absPath}\0${file.key}`;
      let payload = this.#payloads.get(key);
      if (!payload) {
        if (this.#payloads.size >= MAX_CACHED_PAYLOADS) this.#payloads.clear();
        payload = analyzeMp3(file.handle);
        this.#payloads.set(key, payload);
        payload.catch(() => this.#payloads.delete(key));
      }
      const {start, end, sampleRate, channels} = await payload;
      const handle = file.handle;
      const data =
        end - start <= IN_MEMORY_FILE_BYTES
          ? await this.#bytes.get(key, end - start, () => readExactly(handle, start, end))
          : undefined;
      const memory = data ? {data, offset: start} : undefined;
      return {
        segment: {file: entry.absPath, start, end: end - 1, identity: file.key, memory},
        fileKey: key,
        format: `${sampleRate} Hz ${channels === 1 ? "mono" : "stereo"}`,
        seconds: entry.item.duration,
      };
    } catch (err) {
      this.#log.warning(`Stream '${stream}': skipping '${entry.item.relPath}' (${errorMessage(err)})`);
      return undefined;
    } finally {
      file?.release();
    }
  }

  /** Some players stutter or go silent where the sample rate or channel count changes mid-stream. */
  #warnIfMixed(stream: StreamState, formats: string[]): void {
    const distinct = [...new Set(formats)].sort();
    if (distinct.length > 1) {
      this.#log.warning(
        `Stream '${stream.name}' mixes ${distinct.join(", ")} audio; some players stumble where it changes: upload the files with audio_normalize on`,
      );
    }
  }
}

function audioRate(bytes: number, seconds: number): number {
  if (!(seconds > 0) || bytes <= 0) return DEFAULT_BYTES_PER_SECOND;
  return Math.min(MAX_BYTES_PER_SECOND, Math.max(MIN_BYTES_PER_SECOND, bytes / seconds));
}

/** Bytes `start..end` (end exclusive) of an open file; a file cut short is an error, not a short read. */
async function readExactly(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const data = Buffer.allocUnsafe(end - start);
  let filled = 0;
  while (filled < data.length) {
    const {bytesRead} = await handle.read(data, filled, data.length - filled, start + filled);
    if (bytesRead === 0) throw new Error(`the file ended before byte ${end}`);
    filled += bytesRead;
  }
  return data;
}
