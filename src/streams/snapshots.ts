import {createHash} from "node:crypto";
import {stat} from "node:fs/promises";
import {forEachLimited} from "../core/concurrency.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {Segment} from "../http/fileSender.js";
import type {Library} from "../library/library.js";
import {isLooping, playOrder, type StreamState} from "./model.js";
import {analyzeMp3, type Mp3Payload} from "./mp3.js";
import {totalLength} from "./slice.js";

const MAX_CACHED_PAYLOADS = 20_000;
// Files are opened to find their frames; a 2000-item queue must not open 2000 at once (EMFILE).
const ANALYSIS_CONCURRENCY = 16;
// 128 kb/s, what uploads are converted to: the rate assumed when no file says how long it plays.
const DEFAULT_BYTES_PER_SECOND = 16_000;
// MP3 spans 8 to 320 kb/s: a file whose tags claim a far shorter duration cannot unpace a stream.
const MIN_BYTES_PER_SECOND = 1_000;
const MAX_BYTES_PER_SECOND = 40_000;

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
  readonly #log: Logger;
  readonly #payloads = new Map<string, Promise<Mp3Payload>>();

  constructor(library: Library, log: Logger) {
    this.#library = library;
    this.#log = log;
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
  }

  async #playable(stream: string, id: string): Promise<Playable | undefined> {
    const entry = this.#library.get(id) ? this.#library.resolve(id) : undefined;
    if (!entry) {
      this.#log.warning(`Stream '${stream}': skipping '${id}', which is no longer in the library`);
      return undefined;
    }
    try {
      const st = await stat(entry.absPath);
      const key = `${entry.absPath}\0${st.size}\0${st.mtimeMs}`;
      let payload = this.#payloads.get(key);
      if (!payload) {
        if (this.#payloads.size >= MAX_CACHED_PAYLOADS) this.#payloads.clear();
        payload = analyzeMp3(entry.absPath);
        this.#payloads.set(key, payload);
        payload.catch(() => this.#payloads.delete(key));
      }
      const {start, end, sampleRate, channels} = await payload;
      return {
        segment: {file: entry.absPath, start, end: end - 1},
        fileKey: key,
        format: `${sampleRate} Hz ${channels === 1 ? "mono" : "stereo"}`,
        seconds: entry.item.duration,
      };
    } catch (err) {
      this.#log.warning(`Stream '${stream}': skipping '${entry.item.relPath}' (${errorMessage(err)})`);
      return undefined;
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
