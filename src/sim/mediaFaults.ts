import type {EventEmitter} from "node:events";
import {type MediaOptions, type MediaRequest, MediaStore} from "./media.js";
import type {UploadSettings} from "./uploads.js";

/**
 * The simulator's media side as tests and the demo drive it: audio put straight into Yoto's
 * store, and the faults of the CDN, the upload flow and the API's rate limiter. YotoSimulator
 * extends this; it is a separate class only to keep each file readable.
 */
export class SimulatorMedia {
  protected readonly media: MediaStore;
  protected readonly uploadSettings: UploadSettings = {refuseUploads: undefined, transcodeMs: 300};
  protected readonly rateLimit: {next: number; retryAfterSeconds: number; path?: string} = {
    next: 0,
    retryAfterSeconds: 1,
  };
  protected readonly limits: {cardLimit: number | undefined} = {cardLimit: undefined};

  constructor(signedLinkSeconds = 3600) {
    this.media = new MediaStore(signedLinkSeconds);
  }

  /** Store audio as an upload would; returns its lowercase hex sha256 (what `yoto:#<sha>` names). */
  addMedia(bytes: Buffer, opts?: MediaOptions): string {
    return this.media.add(bytes, opts);
  }

  /** Generated audio of `sizeBytes`, never held whole in memory (500 MB is fine); resolves to its sha. */
  addLargeMedia(sizeBytes: number, opts?: MediaOptions): Promise<string> {
    return this.media.addLarge(sizeBytes, opts);
  }

  /** Every media GET answered so far, in order. */
  get mediaRequests(): MediaRequest[] {
    return this.media.requests;
  }

  /** "request" with {sha, status} as each media answer starts, before its body. */
  get mediaEvents(): EventEmitter {
    return this.media.events;
  }

  /** Lifetime of links read back from now on (Yoto: about an hour). */
  get signedLinkSeconds(): number {
    return this.media.signedLinkSeconds;
  }
  set signedLinkSeconds(seconds: number) {
    this.media.signedLinkSeconds = seconds;
  }

  /** Every link issued before this call answers 403 from now on; links read back afterwards work. */
  expireSignedLinks(): void {
    this.media.expireLinks();
  }

  /** That media is served with its first byte changed (same length). */
  corruptMedia(sha: string): void {
    this.media.corrupted.add(sha);
  }

  /** That media is served as stored again. */
  repairMedia(sha: string): void {
    this.media.corrupted.delete(sha);
  }

  /** The next n media GETs answer 503. */
  failMediaNext(n: number): void {
    this.media.failNext = n;
  }

  /**
   * The next n API requests answer 429 with `Retry-After: <retryAfterSeconds>`; with `path`, only
   * requests to it (a test aims the refusals at one service, not whichever asks first).
   */
  rateLimitNext(n: number, retryAfterSeconds = 1, path?: string): void {
    this.rateLimit.next = n;
    this.rateLimit.retryAfterSeconds = retryAfterSeconds;
    this.rateLimit.path = path;
  }

  /** When set, media bodies are paced to this many bytes per second (read again on every slice). */
  get mediaBytesPerSecond(): number | undefined {
    return this.media.bytesPerSecond;
  }
  set mediaBytesPerSecond(rate: number | undefined) {
    this.media.bytesPerSecond = rate;
  }

  /** A new card (POST /content without cardId) beyond this many answers 403 card-limit. */
  get cardLimit(): number | undefined {
    return this.limits.cardLimit;
  }
  set cardLimit(limit: number | undefined) {
    this.limits.cardLimit = limit;
  }

  /** "put": the upload PUT answers 403; "transcode": the transcode ends failed. */
  get refuseUploads(): "put" | "transcode" | undefined {
    return this.uploadSettings.refuseUploads;
  }
  set refuseUploads(what: "put" | "transcode" | undefined) {
    this.uploadSettings.refuseUploads = what;
  }

  /** How long a transcode takes (default 300 ms: a client polls at least twice). */
  get transcodeMs(): number {
    return this.uploadSettings.transcodeMs;
  }
  set transcodeMs(ms: number) {
    this.uploadSettings.transcodeMs = ms;
  }

  /** The same faults from the /sim/faults JSON body (fields named as the methods and fields here). */
  applyMediaFaults(f: Record<string, unknown>): void {
    if (f.expireSignedLinks === true) this.expireSignedLinks();
    if (typeof f.corruptMedia === "string") this.corruptMedia(f.corruptMedia);
    if (typeof f.failMediaNext === "number") this.failMediaNext(f.failMediaNext);
    if (typeof f.rateLimitNext === "number")
      this.rateLimitNext(f.rateLimitNext, typeof f.retryAfterSeconds === "number" ? f.retryAfterSeconds : 1);
    if (typeof f.signedLinkSeconds === "number") this.signedLinkSeconds = f.signedLinkSeconds;
    if (typeof f.transcodeMs === "number") this.transcodeMs = f.transcodeMs;
    // null clears the next three.
    if (typeof f.mediaBytesPerSecond === "number" || f.mediaBytesPerSecond === null)
      this.mediaBytesPerSecond = f.mediaBytesPerSecond ?? undefined;
    if (typeof f.cardLimit === "number" || f.cardLimit === null) this.cardLimit = f.cardLimit ?? undefined;
    if (f.refuseUploads === "put" || f.refuseUploads === "transcode" || f.refuseUploads === null)
      this.refuseUploads = f.refuseUploads ?? undefined;
  }
}
