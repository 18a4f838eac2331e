import type {IncomingMessage} from "node:http";
import {PassThrough, type Readable} from "node:stream";
import {audioStart} from "../announce/liveClip.js";
import {AUDIO_SNIFF_LIMIT, startsAsMpeg} from "../announce/mpegFrames.js";
import {formatBytes} from "../core/bytes.js";
import {openDownload, shown} from "../core/download.js";
import {errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {withoutIcyMetadata} from "../radio/icy.js";
import {illegalMimeType} from "../upnp/soap.js";

export interface ArrivingLimits {
  policy: FetchPolicy;
  /** Bytes taken from the source at most: past them the track ends where it is. */
  maxBytes: number;
  /** Time for the answer's headers and first bytes. */
  answerMs: number;
  /** The source sending nothing this long ends the track (Music Assistant's forced length stalls). */
  idleMs: number;
  signal: AbortSignal;
  /** The track ended before its source did: why, in words (logged and told by the caller). */
  cut(why: string): void;
  /** The source is raw PCM (no header), named so by its type. */
  raw?: boolean;
  /**
   * The source closed before the Content-Length it announced: told here instead of `cut` when
   * given (Music Assistant's forced length is an estimate; the caller judges by what came).
   */
  short?(why: string): void;
}

/** An error page or a JSON answer where raw PCM was promised: printable ASCII from its first byte. */
function looksLikeText(head: Buffer): boolean {
  return head.length === 0 || head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09);
}

/** The least a source must send to be playing anything (audio's lowest rates are about 1 KB a second). */
const MIN_BYTES_PER_SECOND = 512;

/** Bytes enough to tell raw PCM from an error page. */
const PCM_SNIFF_BYTES = 12;

/** What a source's first bytes showed it to be: how the encoder is to read it. */
export type ArrivingKind = "flac" | "mpeg" | "other";

export interface Arriving {
  audio: Readable;
  kind: ArrivingKind;
  /** The first bytes of `audio`, as they came (a FLAC's STREAMINFO is in them). */
  head: Buffer;
}

/**
 * A cast track's audio as its server sends it, to be converted as it arrives: a server that
 * converts while it sends (Music Assistant) sends at play speed, so waiting for the whole of it
 * delayed a 12 s track by 11.6 s. Answers once the first bytes are in and show where audio starts
 * (what is not audio is refused before the player is touched; MPEG audio cut mid-frame starts at
 * its first whole frame, the bytes before it dropped). From then on anything wrong with the source
 * — it stops sending, closes early, sends more than `maxBytes` — ends the audio cleanly where it
 * is, with `cut` saying why: the player hears what came, and the queue goes on.
 */
export async function openArriving(url: string, limits: ArrivingLimits): Promise<Arriving> {
  const res = await openDownload(url, {
    policy: limits.policy,
    maxBytes: Number.MAX_SAFE_INTEGER,
    timeoutMs: limits.answerMs,
    signal: limits.signal,
  });
  const body = withoutIcyMetadata(res, () => undefined);
  // Raw PCM has no header to know it by: only what is plainly text is refused.
  const decide = limits.raw
    ? (head: Buffer, ended: boolean) =>
        head.length < PCM_SNIFF_BYTES && !ended ? "more" : looksLikeText(head) ? undefined : 0
    : (head: Buffer, ended: boolean) => audioStart(head, ended || head.length >= AUDIO_SNIFF_LIMIT);
  const {head, start} = await firstBytes(body, res, url, limits.answerMs, decide);
  if (start === undefined) {
    res.destroy();
    const type = String(res.headers["content-type"] ?? "no type");
    throw illegalMimeType(`${shown(url)} did not send audio (it served ${type.slice(0, 60)})`);
  }
  const audio = head.subarray(start);
  const kind = limits.raw ? "other" : kindOf(audio);
  return {audio: guarded(body, res, audio, head.length, url, limits), kind, head: audio};
}

function kindOf(audio: Buffer): ArrivingKind {
  if (audio.subarray(0, 4).toString("latin1") === "fLaC") return "flac";
  return startsAsMpeg(audio) ? "mpeg" : "other";
}

type Decide = (head: Buffer, ended: boolean) => number | "more" | undefined;

/**
 * The first bytes, until `decide` can tell where audio starts in them (at most AUDIO_SNIFF_LIMIT,
 * or all there is), read without losing the rest: the body is left paused for the guard (a
 * `for await` that stops early would destroy it).
 */
function firstBytes(
  body: Readable,
  res: IncomingMessage,
  url: string,
  ms: number,
  decide: Decide,
): Promise<{head: Buffer; start: number | undefined}> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => res.destroy(new Error(`no audio within ${ms / 1000} s`)), ms);
    const done = (ended: boolean, err?: Error) => {
      clearTimeout(timer);
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
      if (err) return reject(illegalMimeType(`${shown(url)} sent no audio: ${errorMessage(err)}`));
      const head = Buffer.concat(chunks, size);
      const start = decide(head, ended);
      resolve({head, start: start === "more" ? undefined : start});
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (decide(Buffer.concat(chunks, size), false) === "more") return;
      body.pause();
      done(false);
    };
    const onEnd = () => done(true);
    const onError = (err: Error) => done(true, err);
    body.on("data", onData);
    body.once("end", onEnd);
    body.once("error", onError);
  });
}

/**
 * The rest of the body behind a guard: counted, timed, and ended (never failed) when the source
 * misbehaves, so the encoder finishes what it was given.
 */
function guarded(
  body: Readable,
  res: IncomingMessage,
  head: Buffer,
  received: number,
  url: string,
  limits: ArrivingLimits,
): Readable {
  const out = new PassThrough();
  let bytes = received;
  let over = false;
  const declared = Number(res.headers["content-length"]);
  const finish = (why?: string, tell = limits.cut) => {
    if (over) return;
    over = true;
    clearInterval(idle);
    limits.signal.removeEventListener("abort", onAbort);
    body.off("data", onData);
    res.destroy();
    if (why) tell(why);
    out.end();
  };
  // Each window of idleMs must bring something playable: a source trickling a byte at a time would
  // otherwise hold a connection and an encoder for ever. A window we held it back in (the encoder
  // catching up) does not count against it.
  let windowFrom = bytes;
  let heldBack = false;
  const idle = setInterval(() => {
    const came = bytes - windowFrom;
    windowFrom = bytes;
    if (heldBack) heldBack = body.isPaused();
    else if (came === 0) finish(`${shown(url)} sent nothing for ${limits.idleMs / 1000} s`);
    else if (came < (limits.idleMs / 1000) * MIN_BYTES_PER_SECOND)
      finish(`${shown(url)} sent only ${came} bytes in ${limits.idleMs / 1000} s, too little to play`);
  }, limits.idleMs);
  const onData = (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) {
      finish(`${shown(url)} sent more than the ${formatBytes(limits.maxBytes)} a cast track may take`);
      return;
    }
    // Held back while the encoder catches up: a fast source is read no faster than it converts.
    if (!out.write(chunk)) {
      heldBack = true;
      body.pause();
    }
  };
  const onAbort = () => finish();
  out.on("drain", () => body.resume());
  // The encoder gone (a stop): nothing more to read.
  out.on("close", () => finish());
  limits.signal.addEventListener("abort", onAbort, {once: true});
  out.write(head);
  // A connection closed before the length it announced (Music Assistant's forced Content-Length) is
  // said in those words; any other failure in the source's own.
  const short = () =>
    Number.isFinite(declared) && bytes < declared
      ? `${shown(url)} ended after ${bytes} of the ${declared} bytes it announced`
      : undefined;
  const shortOr = (why: string) => {
    const shortWhy = short();
    if (shortWhy) finish(shortWhy, limits.short ?? limits.cut);
    else finish(why);
  };
  const onEnd = () => finish(short(), limits.short ?? limits.cut);
  // A short track may have come whole with its first bytes: its end is then already behind it.
  if (body.readableEnded) {
    onEnd();
    return out;
  }
  body.on("data", onData);
  body.resume();
  body.on("end", onEnd);
  body.on("error", (err) => shortOr(`${shown(url)} stopped sending: ${errorMessage(err)}`));
  body.on("close", () => shortOr(`${shown(url)} closed the connection after ${bytes} bytes`));
  return out;
}
