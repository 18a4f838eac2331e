import type {IncomingMessage} from "node:http";
import {AppError, errorMessage} from "../core/errors.js";
import {HttpRequestError} from "../core/httpRequest.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {DirectoryEntry} from "./contentDirectory.js";
import {downloadGuard} from "./downloadGuard.js";
import {type ServerAccess, serverRequest} from "./serverFetch.js";

/** A track that sends nothing for this long is given up (and nothing of it kept). */
export const DOWNLOAD_IDLE_MS = 30_000;
/**
 * A track still arriving this long after it was asked for is given up: room for a 1 GB audiobook
 * part over a slow Wi-Fi link, not for a server that drips it.
 */
export const DOWNLOAD_DEADLINE_MS = 15 * 60_000;
const RETRIES = 2;
/** Bigger than any audiobook part: a "track" past this is not one (and could fill the disk). */
export const MAX_TRACK_BYTES = 1024 * 1024 * 1024;

/** A cached track: the library item it became, its size, and when it was last queued. */
export interface CachedTrack {
  itemId: string;
  bytes: number;
  lastUsed: number;
}

export interface TrackCacheOptions {
  library: Library;
  store: () => StoreNamespace<CachedTrack>;
  entries: Map<string, CachedTrack>;
  limitBytes: number;
  normalize: boolean;
  ffmpegPath: () => string | undefined;
  /** Library items something still plays (streams, presets, cards): never evicted. */
  inUse: () => Set<string>;
  /**
   * Tracks queued this recently are kept too: a folder's first tracks are fetched before the
   * stream that will hold them is saved, and must still be there when it is.
   */
  pinMs: number;
  /** A download that sends nothing for this long is given up. */
  idleMs: number;
  /** A download still under way this long after it began is given up. */
  deadlineMs: number;
  /** Where a server's fetches may go (its description's host and port); undefined once it is gone. */
  access: (serverId: string) => ServerAccess | undefined;
  log: Logger;
}

/**
 * Media server tracks fetched on first use into the library's uploads (checked and made MP3 as
 * uploads are, so streams serve them with ranges and signatures), kept by last use within
 * `media_server_cache_mb`. Two first plays of one track share its download; a download that fails
 * leaves nothing (the library's upload removes what it wrote).
 */
export class TrackCache {
  readonly #opts: TrackCacheOptions;
  readonly #fetching = new Map<string, Promise<string>>();

  constructor(opts: TrackCacheOptions) {
    this.#opts = opts;
  }

  /** The library id of a server's track, fetched when not cached yet. */
  itemFor(key: string, serverId: string, entry: DirectoryEntry, signal: AbortSignal): Promise<string> {
    const cached = this.#opts.entries.get(key);
    if (cached && this.#opts.library.get(cached.itemId)) {
      void this.#touch(key, cached);
      return Promise.resolve(cached.itemId);
    }
    const running = this.#fetching.get(key);
    if (running !== undefined) return running;
    const fetching = this.#fetch(key, serverId, entry, signal).finally(() => this.#fetching.delete(key));
    this.#fetching.set(key, fetching);
    return fetching;
  }

  async #fetch(key: string, serverId: string, entry: DirectoryEntry, signal: AbortSignal): Promise<string> {
    if (!entry.audioUrl)
      throw new AppError("no_audio", `'${entry.title}' has no audio this service can fetch`, {status: 422});
    if (entry.size && entry.size > MAX_TRACK_BYTES) throw tooLarge(entry.title);
    const url = new URL(entry.audioUrl);
    const server = this.#opts.access(serverId);
    if (!server)
      throw new AppError("unknown_source", `The media server of '${entry.title}' is no longer known`, {status: 404});
    const startedAt = Date.now();
    const res = await this.#open(url, server, signal);
    if (res.statusCode !== 200) {
      res.destroy();
      throw new AppError("source_fetch_failed", `The media server answered ${res.statusCode} for '${entry.title}'`, {
        status: 502,
        expose: true,
      });
    }
    const declared = Number(res.headers["content-length"]);
    if (declared > MAX_TRACK_BYTES) {
      res.destroy();
      throw tooLarge(entry.title);
    }
    const limits = {idleMs: this.#opts.idleMs, deadlineMs: this.#opts.deadlineMs, startedAt};
    const body = res.pipe(downloadGuard(limits, entry.title));
    res.on("error", (err) => body.destroy(err));
    const type = String(res.headers["content-type"] ?? "");
    const mp3 = type.includes("mpeg") || url.pathname.toLowerCase().endsWith(".mp3");
    let item: Awaited<ReturnType<Library["upload"]>>;
    try {
      item = await this.#opts.library.upload({
        body,
        filename: `${entry.title.replaceAll("/", "-").slice(0, 100)}${extension(url.pathname, mp3)}`,
        title: entry.title,
        maxBytes: MAX_TRACK_BYTES,
        declaredBytes: Number.isFinite(declared) ? declared : undefined,
        // Streams join MP3 only: a FLAC or AAC track is made MP3 whatever audio_normalize says,
        // while with it off an MP3 (by its frames, whatever the server calls it) is kept as it is.
        normalize: true,
        keepMp3: !this.#opts.normalize,
        channels: "stereo",
        ffmpegPath: this.#opts.ffmpegPath(),
        folder: ["media-servers", serverId],
      });
    } catch (err) {
      res.destroy();
      if (err instanceof AppError && err.code === "upload_too_large") throw tooLarge(entry.title);
      throw err;
    }
    const record = {itemId: item.id, bytes: item.size ?? 0, lastUsed: Date.now()};
    this.#opts.entries.set(key, record);
    await this.#opts.store().set(key, record);
    await this.#evict(key);
    return item.id;
  }

  /**
   * The track's answer, asked again twice when the server is busy or not there for a moment: a NAS
   * spinning up its disks, or MiniDLNA answering 503 while it still indexes. A refusal (404, another
   * host) is not retried.
   */
  async #open(url: URL, server: ServerAccess, signal: AbortSignal): Promise<IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= RETRIES;
      try {
        const res = await serverRequest(url.toString(), {server, signal, timeoutMs: this.#opts.idleMs});
        if (last || (res.statusCode ?? 0) < 500) return res;
        res.destroy();
      } catch (err) {
        if (last || signal.aborted || !(err instanceof HttpRequestError) || err.kind !== "unreachable") throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * 3 ** attempt));
    }
  }

  async #touch(key: string, cached: CachedTrack): Promise<void> {
    cached.lastUsed = Date.now();
    await this.#opts
      .store()
      .set(key, cached)
      .catch((err: unknown) =>
        this.#opts.log.warning(`The media server cache could not note a use (${errorMessage(err)})`),
      );
  }

  /** Oldest use first, down to the limit; what something plays stays whatever the size. */
  async #evict(justFetched: string): Promise<void> {
    let total = [...this.#opts.entries.values()].reduce((sum, e) => sum + e.bytes, 0);
    if (total <= this.#opts.limitBytes) return;
    const inUse = this.#opts.inUse();
    const oldest = [...this.#opts.entries.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key, entry] of oldest) {
      if (total <= this.#opts.limitBytes) break;
      if (key === justFetched || inUse.has(entry.itemId) || Date.now() - entry.lastUsed < this.#opts.pinMs) continue;
      await this.#opts.library.remove(entry.itemId).catch(() => undefined);
      this.#opts.entries.delete(key);
      await this.#opts.store().delete(key);
      total -= entry.bytes;
    }
  }
}

function tooLarge(title: string): AppError {
  return new AppError(
    "source_track_too_large",
    `'${title}' is larger than ${MAX_TRACK_BYTES / 1024 / 1024 / 1024} GB, more than any track: it was not fetched`,
    {status: 413},
  );
}

function extension(pathname: string, mp3: boolean): string {
  const ext = /\.([a-z0-9]{2,5})$/i.exec(pathname)?.[1];
  return ext ? `.${ext.toLowerCase()}` : mp3 ? ".mp3" : ".audio";
}
