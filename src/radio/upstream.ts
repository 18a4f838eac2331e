import {spawn} from "node:child_process";
import type {IncomingMessage} from "node:http";
import {PassThrough, type Readable} from "node:stream";
import {STATION_MP3} from "../core/ffmpeg.js";
import {readHls} from "./hls.js";
import {withoutIcyMetadata} from "./icy.js";
import type {StationPolicy} from "./policyGet.js";
import {resolveStation} from "./stationUrl.js";

/**
 * What ffmpeg may read a station as: containers of station audio only. It reads from its stdin and
 * nothing else (`-protocol_whitelist pipe`): every byte it sees was fetched here, through the policy.
 */
const FORMATS = "aac,mp3,ogg,mpegts,flac,wav,mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";
/** What players take everywhere; stations in other formats are made this. */
const MP3_OUT = ["-vn", ...STATION_MP3, "-f", "mp3", "pipe:1"];

export interface UpstreamOptions {
  policy: StationPolicy;
  signal: AbortSignal;
  timeoutMs: number;
  ffmpegPath: () => string;
  onTitle(title: string): void;
}

/**
 * One connection to a station, as MP3 audio: an MP3 station's bytes as they come (its ICY metadata
 * taken out), anything else (AAC, Ogg, HLS segments) through one ffmpeg. The audio ends or errors
 * when the station drops; aborting `signal` closes the connection and ffmpeg.
 */
export async function openUpstream(url: string, opts: UpstreamOptions): Promise<Readable> {
  const station = await resolveStation(url, opts);
  if (station.kind === "hls") {
    const ffmpeg = transcode(opts);
    readHls(station.url, station.playlist, ffmpeg.input, opts).then(
      () => ffmpeg.input.end(),
      (err: Error) => ffmpeg.output.destroy(err),
    );
    return ffmpeg.output;
  }
  const audio = withoutMetadata(station.res, opts);
  const type = String(station.res.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("audio/mpeg") || type.startsWith("audio/mp3")) return audio;
  const ffmpeg = transcode(opts);
  audio.pipe(ffmpeg.input);
  audio.on("error", (err) => ffmpeg.output.destroy(err));
  return ffmpeg.output;
}

function withoutMetadata(res: IncomingMessage, opts: UpstreamOptions): Readable {
  opts.signal.addEventListener("abort", () => res.destroy(), {once: true});
  return withoutIcyMetadata(res, opts.onTitle);
}

/**
 * ffmpeg from stdin to MP3 on stdout. A missing or failing ffmpeg is an error on the output (the
 * station then reconnects and, failing on, says it is down), never an unhandled one.
 */
function transcode(opts: UpstreamOptions): {input: PassThrough; output: PassThrough} {
  const input = new PassThrough();
  const output = new PassThrough();
  let binary: string;
  try {
    binary = opts.ffmpegPath();
  } catch (err) {
    queueMicrotask(() => output.destroy(err as Error));
    return {input, output};
  }
  const child = spawn(
    binary,
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-protocol_whitelist",
      "pipe",
      "-format_whitelist",
      FORMATS,
      "-i",
      "pipe:0",
      ...MP3_OUT,
    ],
    {stdio: ["pipe", "pipe", "pipe"]},
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString("utf8")).slice(-500);
  });
  child.on("error", (err: NodeJS.ErrnoException) =>
    output.destroy(
      new Error(
        err.code === "ENOENT"
          ? `ffmpeg was not found at '${binary}': install ffmpeg or set FFMPEG_PATH`
          : `ffmpeg could not start (${err.message})`,
      ),
    ),
  );
  child.on("close", (code) => {
    if (code && !output.destroyed)
      output.destroy(
        new Error(`ffmpeg could not convert the station (${stderr.trim().split("\n").pop() || `exit ${code}`})`),
      );
    else output.end();
  });
  child.stdin.on("error", () => undefined); // ffmpeg gone: its close says why
  input.pipe(child.stdin);
  child.stdout.pipe(output);
  const kill = () => child.kill("SIGKILL");
  opts.signal.addEventListener("abort", kill, {once: true});
  child.on("close", () => opts.signal.removeEventListener("abort", kill));
  output.on("close", () => {
    input.destroy();
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return {input, output};
}
