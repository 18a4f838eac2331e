import {spawn} from "node:child_process";
import {PassThrough, pipeline, Readable} from "node:stream";
import {AUDIO_ART_MAX_PIXELS, lastLines, STATION_MP3} from "../core/ffmpeg.js";
import {UPLOAD_DEMUXERS} from "../library/uploadFormats.js";
import {FlacToOgg} from "./flacOgg.js";
import {startsAsMpeg} from "./mpegFrames.js";
import type {EncoderInput} from "./warmEncoder.js";

const MAX_STDERR = 4 * 1024;

/**
 * An endless stream (a renderer's live cast: Music Assistant's flow stream in FLAC, its default;
 * a station in AAC or Ogg) converted as it comes into MP3 at the stations' rate, 128 kb/s stereo.
 * Read from the first bytes (no long probe: a live source arrives at play speed): FLAC rewrapped
 * as Ogg, a frame to a page (flacOgg.ts: ffmpeg's raw FLAC reader held ten frames back), MPEG audio
 * read as MP3 without a probe, raw PCM as the layout its type named. The output ends when the input
 * does, and fails with ffmpeg's own last words if it cannot read it; destroying the output stops
 * ffmpeg and lets go of the input. `exited` is called once ffmpeg has exited (or could not start):
 * until then it counts as running.
 */
export function convertLive(input: Readable, format: EncoderInput, ffmpegPath: string, exited?: () => void): Readable {
  if (typeof format === "object" || format !== "arriving") return converted(input, format, ffmpegPath, exited);
  // What it is shows in its first bytes: read them (and give them back) before ffmpeg is started.
  const output = new PassThrough();
  const head: Buffer[] = [];
  let size = 0;
  let decided = false;
  const stopPeeking = () => {
    decided = true;
    input.off("data", onData);
    input.off("end", onEnd);
    input.off("error", onError);
  };
  const decide = (ended: boolean) => {
    stopPeeking();
    input.pause();
    const first = Buffer.concat(head, size);
    if (!ended) input.unshift(first);
    const rest = ended ? Readable.from([first]) : input;
    const flac = first.subarray(0, 4).toString("latin1") === "fLaC";
    const mpeg = !flac && startsAsMpeg(first);
    const source = flac ? pipeline(rest, new FlacToOgg(), () => undefined) : rest;
    const out = converted(source, flac ? "arriving-ogg" : mpeg ? "arriving-mp3" : "arriving", ffmpegPath, exited);
    out.on("error", (err) => output.destroy(err));
    out.pipe(output);
    output.on("close", () => out.destroy());
  };
  const onData = (chunk: Buffer) => {
    head.push(chunk);
    size += chunk.length;
    if (size >= 4) decide(false);
  };
  const onEnd = () => decide(true);
  // Failed or let go of before it said what it is: no ffmpeg was started for it.
  const onError = (err: Error) => {
    stopPeeking();
    output.destroy(err);
    exited?.();
  };
  input.on("data", onData);
  input.once("end", onEnd);
  input.once("error", onError);
  output.on("close", () => {
    if (decided) return;
    stopPeeking();
    input.destroy();
    exited?.();
  });
  return output;
}

function converted(input: Readable, format: EncoderInput, ffmpegPath: string, exited?: () => void): Readable {
  const raw = typeof format === "object";
  const demuxer = format === "arriving-ogg" ? ["-f", "ogg"] : format === "arriving-mp3" ? ["-f", "mp3"] : [];
  const child = spawn(
    ffmpegPath,
    [
      ...["-hide_banner", "-v", "error", "-protocol_whitelist", "pipe", ...AUDIO_ART_MAX_PIXELS],
      ...["-format_whitelist", raw ? `s${format.bits}${format.endian}` : UPLOAD_DEMUXERS.join(",")],
      ...(raw
        ? ["-f", `s${format.bits}${format.endian}`, "-ar", String(format.rate), "-ac", String(format.channels)]
        : demuxer),
      // No `-fflags nobuffer`: it dropped the packet read while probing (the stream's first frame).
      ...["-probesize", "32", "-analyzeduration", "0", "-i", "pipe:0", "-vn"],
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
