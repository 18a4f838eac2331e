import type {SimTrack} from "./content.js";

export interface TrackFetch {
  url: string;
  status: number;
  bytes: number;
  at: string;
  /** performance.now() when the response headers arrived (benchmarks time requests with it). */
  answeredAt?: number;
  /** performance.now() when the first byte of the body arrived (what a player can start playing from). */
  firstByteAt?: number;
  /** The whole body arrived (false while downloading, and for good once a skip aborted it). */
  complete?: boolean;
  /**
   * The longest a player playing from the first byte at 128 kb/s would have waited for audio (ms):
   * 0 when every byte came before it was due. A queue's tracks in one answer should keep it at 0.
   */
  underrunMs?: number;
}

// The rate the service's own audio is made at (128 kb/s).
const BYTES_PER_SECOND = 16_000;

// A stream with no end (a looping queue) is read this far and then treated as endless.
export const MAX_FETCH_BYTES = 4 * 1024 * 1024;

/**
 * Download a track the way a player does, counting what arrives into `record`. Resolves with the
 * byte count when the body ended (undefined when it was endless or aborted by a skip).
 */
export async function downloadTrack(
  url: string,
  userAgent: string,
  record: TrackFetch,
  signal: AbortSignal,
  firstByte?: () => void,
  maxBytes = MAX_FETCH_BYTES,
): Promise<number | undefined> {
  const res = await fetch(url, {signal, headers: {"User-Agent": userAgent}});
  record.status = res.status;
  record.answeredAt = performance.now();
  for await (const chunk of res.body ?? []) {
    const now = performance.now();
    if (record.firstByteAt === undefined) {
      record.firstByteAt = now;
      firstByte?.();
    }
    const due = (now - record.firstByteAt) / 1000 - record.bytes / BYTES_PER_SECOND;
    record.underrunMs = Math.max(record.underrunMs ?? 0, due * 1000);
    record.bytes += (chunk as Uint8Array).length;
    if (record.bytes >= maxBytes) return undefined;
  }
  record.complete = true;
  return record.bytes;
}

/**
 * Players pull stream tracks themselves: a player fetches and consumes each track it plays, as
 * the hardware would, one at a time (a skip drops the download under way). Each fetch is kept
 * in `fetches`, where tests and the control API see what a player asked for.
 */
export class StreamFetcher {
  readonly #fetches: TrackFetch[];
  readonly #userAgent: string;
  readonly #maxBytes: number;
  #current?: AbortController;

  /** `maxBytes`: how far an endless stream is read (a live cast the player hears for hours: Infinity). */
  constructor(fetches: TrackFetch[], userAgent: string, maxBytes = MAX_FETCH_BYTES) {
    this.#fetches = fetches;
    this.#userAgent = userAgent;
    this.#maxBytes = maxBytes;
  }

  /**
   * Fetch `track` (only an http(s) URL); `started` is called at its first byte, `ended` gets the
   * byte count when its body ended.
   */
  fetch(track: SimTrack, ended: (bytes: number) => void, started?: () => void): void {
    this.#current?.abort();
    if (!/^https?:\/\//.test(track.trackUrl)) return;
    const controller = new AbortController();
    this.#current = controller;
    const record: TrackFetch = {url: track.trackUrl, status: 0, bytes: 0, at: new Date().toISOString()};
    this.#fetches.push(record);
    downloadTrack(track.trackUrl, this.#userAgent, record, controller.signal, started, this.#maxBytes)
      .then((bytes) => {
        controller.abort();
        if (bytes !== undefined) ended(bytes);
      })
      .catch(() => undefined);
  }

  abort(): void {
    this.#current?.abort();
  }
}
