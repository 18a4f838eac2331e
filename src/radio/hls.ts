import type {Writable} from "node:stream";
import {policyGet, readBody, type StationPolicy, shownUrl} from "./policyGet.js";

const PLAYLIST_BYTES = 1024 * 1024;
/** A live segment is a few seconds of audio: 16 MB is far past any. */
const SEGMENT_BYTES = 16 * 1024 * 1024;
/** Segment URIs remembered as played, to fetch only new ones at each refresh. */
const REMEMBERED = 256;

export interface HlsOptions {
  policy: StationPolicy;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * An HLS live station read here, not by ffmpeg: the master playlist's first variant, then the
 * media playlist refreshed every half target duration, each new segment fetched in order through
 * the fetch policy (so no segment host escapes it) and written to `out` (ffmpeg's stdin) with its
 * backpressure. Resolves when the playlist ends; rejects when a fetch fails.
 */
export async function readHls(url: string, firstText: string, out: Writable, opts: HlsOptions): Promise<void> {
  let playlistUrl = new URL(url);
  let text = firstText;
  if (/^#EXT-X-STREAM-INF/m.test(text)) {
    const variant = variants(text)[0];
    if (!variant) throw new Error(`The HLS playlist at ${shownUrl(url)} lists no stream`);
    playlistUrl = new URL(variant, playlistUrl);
    text = await fetchText(playlistUrl, opts);
  }
  const played: string[] = [];
  for (;;) {
    const {segments, targetSeconds, ended} = mediaPlaylist(text);
    for (const segment of segments) {
      const segmentUrl = new URL(segment, playlistUrl).toString();
      if (played.includes(segmentUrl)) continue;
      played.push(segmentUrl);
      if (played.length > REMEMBERED) played.shift();
      const bytes = await fetchBytes(new URL(segmentUrl), SEGMENT_BYTES, opts, "An HLS segment");
      if (!out.write(bytes)) await drained(out, opts.signal);
    }
    if (ended) return;
    await sleep(Math.max(500, (targetSeconds * 1000) / 2), opts.signal);
    text = await fetchText(playlistUrl, opts);
  }
}

async function fetchText(url: URL, opts: HlsOptions): Promise<string> {
  return (await fetchBytes(url, PLAYLIST_BYTES, opts, "The HLS playlist")).toString("utf8");
}

async function fetchBytes(url: URL, max: number, opts: HlsOptions, what: string): Promise<Buffer> {
  const {res} = await policyGet(url.toString(), opts);
  return readBody(res, max, opts.timeoutMs, `${what} at ${shownUrl(url)}`);
}

/** The variant playlists of a master playlist, in its order (each follows its `#EXT-X-STREAM-INF`). */
function variants(text: string): string[] {
  const out: string[] = [];
  let expect = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("#EXT-X-STREAM-INF")) expect = true;
    else if (expect && line && !line.startsWith("#")) {
      out.push(line);
      expect = false;
    }
  }
  return out;
}

export function mediaPlaylist(text: string): {segments: string[]; targetSeconds: number; ended: boolean} {
  const segments: string[] = [];
  let targetSeconds = 6;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const target = /^#EXT-X-TARGETDURATION:(\d{1,4})/.exec(line);
    if (target) targetSeconds = Math.max(1, Number(target[1]));
    else if (line && !line.startsWith("#")) segments.push(line);
  }
  return {segments, targetSeconds, ended: /^#EXT-X-ENDLIST/m.test(text)};
}

function drained(out: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      signal.removeEventListener("abort", done);
      if (signal.aborted) reject(signal.reason);
      else resolve();
    };
    out.once("drain", done);
    out.once("close", done);
    signal.addEventListener("abort", done, {once: true});
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", stop, {once: true});
  });
}
