import {spawn} from "node:child_process";
import {PassThrough, pipeline, type Readable} from "node:stream";
import {AUDIO_ART_MAX_PIXELS, lastLines, STATION_MP3} from "../core/ffmpeg.js";
import {UPLOAD_DEMUXERS} from "../library/uploadFormats.js";
import type {EncoderInput} from "./warmEncoder.js";

const MAX_STDERR = 4 * 1024;

/**
 * An endless stream (a renderer's live cast: Music Assistant's flow stream in FLAC, its default;
 * a station in AAC or Ogg) converted as it comes into MP3 at the stations' rate, 128 kb/s stereo.
 * Read from the first bytes (no long probe: a live source arrives at play speed), and raw PCM as
 * the layout its type named. The output ends when the input does, and fails with ffmpeg's own last
 * words if it cannot read it; destroying the output stops ffmpeg and lets go of the input.
 * `exited` is called once ffmpeg has exited (or could not start): until then it counts as running.
 */
export function convertLive(input: Readable, format: EncoderInput, ffmpegPath: string, exited?: () => void): Readable {
  const raw = typeof format === "object";
  const child = spawn(
    ffmpegPath,
    [
      ...["-hide_banner", "-v", "error", "-protocol_whitelist", "pipe", ...AUDIO_ART_MAX_PIXELS],
      ...["-format_whitelist", raw ? `s${format.bits}${format.endian}` : UPLOAD_DEMUXERS.join(",")],
      ...(raw
        ? ["-f", `s${format.bits}${format.endian}`, "-ar", String(format.rate), "-ac", String(format.channels)]
        : []),
      ...["-probesize", "32", "-analyzeduration", "0", "-fflags", "nobuffer", "-i", "pipe:0", "-vn"],
      ...[...STATION_MP3, "-flush_packets", "1", "-f", "mp3", "pipe:1"],
    ],
    {stdio: ["pipe", "pipe", "pipe"]},
  );
  const output = new PassThrough();
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < MAX_STDERR) stderr += d.toString();
  });
  child.on("error", (err: NodeJS.ErrnoException) => {
    output.destroy(err.code === "ENOENT" ? new Error(`ffmpeg was not found at '${ffmpegPath}'`) : err);
    if (child.pid === undefined) exited?.();
  });
  child.once("exit", () => exited?.());
  // The source failing (a reset) ends ffmpeg's input as an end would: remembered, so it is said.
  let inputFailed: Error | undefined;
  child.on("close", (code) => {
    if (inputFailed && !output.destroyed) output.destroy(inputFailed);
    else if (code === 0 || output.destroyed) output.end();
    else
      output.destroy(
        new Error(`the stream could not be converted (${lastLines(stderr) || `ffmpeg exited with ${code}`})`),
      );
  });
  // ffmpeg gone: its close says why.
  child.stdin.on("error", () => undefined);
  pipeline(input, child.stdin, (err) => {
    if (err && (err as NodeJS.ErrnoException).code !== "EPIPE") inputFailed = err;
  });
  child.stdout.pipe(output);
  output.on("close", () => {
    input.destroy();
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return output;
}
