import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../../src/core/ffmpeg.js";
import {tempDir} from "./tmp.js";

/**
 * Music Assistant's stream server, as a renderer meets it. Every byte and header is taken from
 * music-assistant/server, not from what we wish it sent:
 * - routes `/single/{session}/{queue}/{item}/{player}.{fmt}` and `/flow/…` on any method, HEAD
 *   answering the headers alone (`controllers/streams/controller.py`: `setup()`,
 *   `serve_queue_item_stream`, `serve_queue_flow_stream`);
 * - `DEFAULT_STREAM_HEADERS` in their order (Server, transferMode.dlna.org, Cache-Control, Pragma,
 *   Accept-Ranges: none, Connection: close, icy-name), the item's name as `icy-name` on /single,
 *   `contentFeatures.dlna.org` bufferable for a track and sender-paced for the flow stream, then
 *   Content-Type (`constants.py`, `helpers/audio.py: get_mime_type`);
 * - FLAC as the default output codec (`output_codec`), `audio/mpeg` for MP3 (`audio/mp3` before
 *   2025, `"audio/" + fmt`), WAV with its layout as parameters;
 * - no Content-Length by default (`http_profile` "no_content_length"), so aiohttp sends HTTP/1.1
 *   chunked; "forced_content_length" declares `calculate_content_length` (FLAC: 0.747 of the PCM
 *   size; MP3: 40,000 bytes a second), a day for the flow stream, and closes after the real audio;
 * - ICY off by default (`enable_icy_metadata` "disabled"); on, only on /flow and only when asked
 *   (`Icy-MetaData: 1`): `icy-metaint` 16384 (basic), a metadata block after every 16,384 bytes,
 *   `StreamTitle='…';` zero-padded to 16, even when the title did not change;
 * - paced, not dumped: ffmpeg's `-readrate_initial_burst 10 -readrate 1.1` (before 2025; later 60
 *   and 1.2, or 30 and 4), so a burst of seconds, then a little faster than real time.
 * The audio is generated here (tones) in the codec asked for, stereo 44.1 kHz as Music Assistant
 * sends, one file per item and one for the flow stream (it is one encoding of the whole queue).
 */
export interface MaTrack {
  name: string;
  artist: string;
  album: string;
  /** The audio's own length. */
  seconds: number;
  frequency: number;
  /**
   * `QueueItem.duration` when it is not the audio's: whole seconds from the provider's metadata,
   * which MA puts in the DIDL-Lite (`helpers/didl_lite.py`) and, with a forced length, in
   * Content-Length (`controllers/streams.py`: `get_chunksize(output_format, queue_item.duration)`).
   */
  duration?: number;
}

export interface MaStreamOptions {
  codec?: "flac" | "mp3" | "aac" | "wav";
  /** What MP3 is called: `audio/mpeg` now, `audio/mp3` before 2025. */
  mp3Type?: "audio/mpeg" | "audio/mp3";
  profile?: "no_content_length" | "chunked" | "forced_content_length";
  icy?: "disabled" | "basic";
  /** Seconds sent at once, then the rate against real time (1 = exactly play speed). */
  pace?: {burstSeconds: number; rate: number};
  /**
   * Faults no Music Assistant means to send, as a network or a busy server makes them: one item's
   * answer stalls `forSeconds` once `atSeconds` of its audio went out; with `leaveOpen`, an answer
   * whose audio is all sent is left open instead of closed (a forced Content-Length then promises
   * bytes that never come, and nothing says so).
   */
  faults?: {stall?: {item: number; atSeconds: number; forSeconds: number}; leaveOpen?: boolean};
}

export interface MaStreams {
  origin: string;
  session: string;
  queue: string;
  player: string;
  tracks: MaTrack[];
  url(kind: "single" | "flow", item: number): string;
  /** Each request as the server saw it: path, method, and when its first and last bytes went out. */
  served: Array<{path: string; method: string; firstByteAt?: number; endedAt?: number; bytes: number}>;
  stop(): Promise<void>;
}

const ENCODERS: Record<NonNullable<MaStreamOptions["codec"]>, string[]> = {
  flac: ["-c:a", "flac", "-compression_level", "0", "-f", "flac"],
  mp3: ["-c:a", "libmp3lame", "-b:a", "320k", "-f", "mp3"],
  aac: ["-c:a", "aac", "-b:a", "256k", "-f", "adts"],
  wav: ["-c:a", "pcm_s16le", "-f", "wav"],
};

const ICY_INTERVAL = 16_384;

export async function musicAssistantStreams(tracks: MaTrack[], o: MaStreamOptions = {}): Promise<MaStreams> {
  const codec = o.codec ?? "flac";
  const dir = await tempDir("yss-ma-");
  const files = await Promise.all(tracks.map((t, i) => encode(path.join(dir, `${i}.${codec}`), [t], codec)));
  const flow = await encode(path.join(dir, `flow.${codec}`), tracks, codec);
  const session = "5f1c2a9e";
  const queue = "media_player.yoto";
  const player = "uuid-yoto";
  const served: MaStreams["served"] = [];
  const contentType =
    codec === "mp3"
      ? (o.mp3Type ?? "audio/mpeg")
      : codec === "wav"
        ? "audio/wav;rate=44100;bitrate=16;channels=2"
        : `audio/${codec}`;
  const server = http.createServer((req, res) => {
    const m = /^\/(single|flow)\/([^/]+)\/([^/]+)\/(\d+)\/([^/]+)\.(\w+)$/.exec(req.url ?? "");
    const item = m ? Number(m[4]) : -1;
    if (!m || m[2] !== session || m[3] !== queue || !tracks[item]) {
      res.writeHead(404, "Not Found", {"Content-Type": "text/plain; charset=utf-8"}).end("404: Not Found");
      return;
    }
    const isFlow = m[1] === "flow";
    const bytes = isFlow ? flow : (files[item] as Buffer);
    const seconds = isFlow ? tracks.reduce((s, t) => s + t.seconds, 0) : (tracks[item] as MaTrack).seconds;
    const icy = isFlow && o.icy === "basic" && req.headers["icy-metadata"] === "1";
    const headers: http.OutgoingHttpHeaders = {
      Server: "Music Assistant",
      "transferMode.dlna.org": "Streaming",
      "Cache-Control": "no-cache",
      Pragma: "no-cache",
      "Accept-Ranges": "none",
      Connection: "close",
      "icy-name": isFlow ? "Music Assistant" : (tracks[item] as MaTrack).name,
      ...(icy ? {"icy-description": "Music Assistant - Your personal music assistant", "icy-version": "1"} : {}),
      "contentFeatures.dlna.org": `DLNA.ORG_OP=00;DLNA.ORG_FLAGS=${isFlow ? "817" : "017"}00000000000000000000000000000`,
      "Content-Type": contentType,
      ...(icy ? {"icy-metaint": String(ICY_INTERVAL)} : {}),
    };
    if (o.profile === "forced_content_length")
      headers["Content-Length"] = String(
        declaredLength(codec, isFlow ? 24 * 3600 : ((tracks[item] as MaTrack).duration ?? seconds)),
      );
    res.writeHead(200, "OK", headers);
    if (req.method !== "GET") {
      res.end();
      return;
    }
    const record: MaStreams["served"][number] = {path: req.url ?? "", method: req.method ?? "", bytes: 0};
    served.push(record);
    const title = (at: number) => {
      let left = at;
      for (const t of tracks) {
        if (left < t.seconds) return t.name;
        left -= t.seconds;
      }
      return tracks.at(-1)?.name ?? "Music Assistant";
    };
    const startedAt = performance.now();
    // The title is the queue's current item: where the player is, by the time since it began.
    const icyTitle = icy ? () => title((performance.now() - startedAt) / 1000) : undefined;
    const stall = !isFlow && o.faults?.stall?.item === item ? o.faults.stall : undefined;
    sendPaced(res, bytes, bytes.length / seconds, o.pace ?? {burstSeconds: 10, rate: 1.1}, record, {
      ...(icyTitle ? {icyTitle} : {}),
      ...(stall ? {stall} : {}),
      leaveOpen: o.faults?.leaveOpen === true,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    session,
    queue,
    player,
    tracks,
    served,
    url: (kind, item) => `${origin}/${kind}/${session}/${queue}/${item}/${player}.${codec}`,
  };
}

/** `helpers/audio.py: calculate_content_length`: FLAC 0.747 of 16-bit stereo PCM, MP3 and Ogg 40 kB/s, AAC 32 kB/s. */
function declaredLength(codec: string, seconds: number): number {
  if (codec === "flac") return Math.floor(44_100 * 2 * 2 * seconds * 0.747);
  if (codec === "wav") return 44_100 * 2 * 2 * seconds;
  return (codec === "aac" ? 32_000 : 40_000) * seconds;
}

async function encode(file: string, tracks: MaTrack[], codec: NonNullable<MaStreamOptions["codec"]>): Promise<Buffer> {
  const inputs = tracks.flatMap((t) => ["-f", "lavfi", "-i", `sine=frequency=${t.frequency}:duration=${t.seconds}`]);
  const join = tracks.length > 1 ? ["-filter_complex", `concat=n=${tracks.length}:v=0:a=1`] : [];
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    ...inputs,
    ...join,
    "-ac",
    "2",
    "-ar",
    "44100",
    ...ENCODERS[codec],
    file,
  ]);
  return readFile(file);
}

/**
 * A burst, then slices a tenth of a second apart at `rate` × the audio's own byte rate; the client
 * leaving (or the end) stops it, as Music Assistant stops on BrokenPipe/ConnectionReset.
 */
function sendPaced(
  res: http.ServerResponse,
  bytes: Buffer,
  bytesPerSecond: number,
  pace: {burstSeconds: number; rate: number},
  record: MaStreams["served"][number],
  how: {icyTitle?: () => string; stall?: {atSeconds: number; forSeconds: number}; leaveOpen: boolean},
): void {
  const {icyTitle, stall} = how;
  let stalledUntil: number | undefined;
  let sent = 0;
  let pending = Buffer.alloc(0);
  const burst = Math.floor(bytesPerSecond * pace.burstSeconds);
  const slice = Math.max(1, Math.floor((bytesPerSecond * pace.rate) / 10));
  const out = (chunk: Buffer) => {
    record.firstByteAt ??= performance.now();
    record.bytes += chunk.length;
    res.write(chunk);
  };
  const push = (upTo: number) => {
    const chunk = bytes.subarray(sent, Math.min(bytes.length, upTo));
    sent += chunk.length;
    if (!icyTitle) {
      if (chunk.length > 0) out(chunk);
      return;
    }
    // With ICY on, audio goes out in exact 16,384-byte chunks, each followed by its metadata.
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= ICY_INTERVAL) {
      out(withIcy(pending.subarray(0, ICY_INTERVAL), icyTitle()));
      pending = pending.subarray(ICY_INTERVAL);
    }
  };
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    if (stall && stalledUntil === undefined && sent >= stall.atSeconds * bytesPerSecond)
      stalledUntil = performance.now() + stall.forSeconds * 1000;
    if (stalledUntil !== undefined && performance.now() < stalledUntil) return;
    push(sent + slice);
    if (sent < bytes.length) return;
    clearInterval(timer);
    if (icyTitle && pending.length > 0) out(withIcy(pending, icyTitle()));
    record.endedAt = performance.now();
    if (!how.leaveOpen) res.end();
  }, 100);
  res.on("close", () => clearInterval(timer));
  push(burst);
}

/** The chunk, then one metadata block: a length byte (×16), `StreamTitle='…';`, zeros to a multiple of 16. */
function withIcy(chunk: Buffer, title: string): Buffer {
  const text = Buffer.from(`StreamTitle='${title}';`, "utf8");
  const blocks = Math.ceil(text.length / 16);
  const meta = Buffer.alloc(1 + blocks * 16);
  meta[0] = blocks;
  text.copy(meta, 1);
  return Buffer.concat([chunk, meta]);
}
