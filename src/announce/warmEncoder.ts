import {pipeline, type Readable} from "node:stream";
import {lastLines} from "../core/ffmpeg.js";
import {UPLOAD_DEMUXERS} from "../library/uploadFormats.js";
import type {LiveAudio} from "./liveAudio.js";
import type {WarmProcesses} from "./warmProcesses.js";

const MAX_STDERR = 16 * 1024;

/**
 * Even loudness without waiting for the end: loudnorm looks 3 s ahead, so a short message came out
 * only once all of it was processed (about 25 ms more here). dynaudnorm with 100 ms frames evens
 * speech from any engine (espeak-ng's −20.7 LUFS comes out near −18) with its peaks under −1.5 dBFS.
 */
const SPEECH_LEVEL = "dynaudnorm=f=100:g=3:p=0.84:m=4";

/**
 * What the encoder is given: a speech engine's WAV, audio that is all there (a download, a file),
 * or audio still arriving as a server sends it (a renderer's cast, often at play speed): probed,
 * or known from its first bytes to be MPEG audio, or FLAC rewrapped as Ogg (flacOgg.ts).
 */
export type EncoderInput = "wav" | "any" | Arriving | RawPcm;
export type Arriving = "arriving" | "arriving-mp3" | "arriving-ogg";

/** Raw PCM has no header to probe: its layout comes from the type its server named (`audio/L16;rate=…`). */
export interface RawPcm {
  bits: 16 | 24 | 32;
  rate: number;
  channels: number;
  endian: "le" | "be";
}

/**
 * The announcement format (as transcodeToMp3 makes it, mono): bare frames, no tags, no Xing header.
 * A speech engine's WAV is read as WAV at once; anything else is probed first.
 */
function ffmpegArgs(input: EncoderInput): string[] {
  return [
    ...["-hide_banner", "-v", "error"],
    // Only what we pipe in, decoded only as one of the upload containers.
    ...["-protocol_whitelist", "pipe", "-format_whitelist", demuxers(input)],
    // Probing a pipe waits for more input (about 10 ms of a loaded machine's time per message).
    ...(input === "wav" ? ["-f", "wav", "-probesize", "32", "-analyzeduration", "0"] : []),
    ...(typeof input === "object"
      ? ["-f", `s${input.bits}${input.endian}`, "-ar", String(input.rate), "-ac", String(input.channels)]
      : []),
    // Audio sent at play speed: ffmpeg's default probe waited for 1.2–1.8 s of it before the first
    // frame came out; from the first bytes it is 0.2 s for MP3 and AAC. Named, MP3 needs no probe
    // at all (its first frame out 0.1 s sooner: the probe read two more frames), nor does FLAC in
    // Ogg, one frame to a page (ffmpeg's raw FLAC reader held back ten frames, 0.26–0.93 s). No
    // `-fflags nobuffer`: it dropped the packet read while probing, the track's first frame (26 ms
    // of MP3, 104 ms of FLAC), and gained nothing (the first MP3 out at the same moment without it).
    ...(input === "arriving-mp3" ? ["-f", "mp3"] : input === "arriving-ogg" ? ["-f", "ogg"] : []),
    ...(typeof input === "string" && input.startsWith("arriving") ? ["-probesize", "32", "-analyzeduration", "0"] : []),
    // A track cast as it arrives keeps its own dynamics (its sender evens loudness: Music Assistant
    // normalises by default), and levelling looks 300 ms ahead, half of an MP3's first-audio time.
    ...["-i", "pipe:0", "-vn", ...(input === "any" || input === "wav" ? ["-af", SPEECH_LEVEL] : [])],
    ...["-ac", "1", "-ar", "44100"],
    ...["-codec:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0"],
    ...["-flush_packets", "1", "-f", "mp3", "pipe:1"],
  ];
}

/** Only the upload containers are probed for; raw PCM is read as exactly the layout named. */
function demuxers(input: EncoderInput): string {
  return typeof input === "object" ? `s${input.bits}${input.endian}` : UPLOAD_DEMUXERS.join(",");
}

/**
 * The same format from lame, for espeak-ng's WAV. A distribution's ffmpeg loads about 200 shared
 * libraries as it starts (0.1–0.2 s of CPU on a 2-core machine), which back-to-back announcements
 * each paid; lame starts in a few ms and encodes a sentence in about 30. Its level is espeak-ng's
 * own, steady from one message to the next (about −20 LUFS, peaks under −1.5 dBFS), so it is not
 * levelled. `-t`: no Xing/LAME tag frame; `--flush`: each frame goes out as soon as it is made.
 */
const LAME_ARGS = [
  ...["--quiet", "--flush", "--noreplaygain", "-t"],
  ...["-b", "128", "--cbr", "-m", "m", "--resample", "44.1", "-", "-"],
];

// Two of each wait: announcements one after another (a queue of them, several players, Home
// Assistant's TTS read out in turn) each find one that has had the time to start, not one started
// a moment ago by the previous one. With one for other audio, back-to-back play_media calls waited
// about 100 ms each for an ffmpeg still starting. So do casts: Music Assistant's skip is a Stop then
// a Play, and the one refilled at the Stop (its cast's ffmpeg gone) was still loading its libraries
// at the Play, 140 ms of CPU: 0.1 s more to first audio on a quiet machine, 0.5 s with the cores
// busy. An idle ffmpeg is about 10 MB of its own (the libraries are shared), let go after ten minutes.
const WAITING = {wav: 2, any: 2, arriving: 2, "arriving-mp3": 2, "arriving-ogg": 2};

/**
 * Converts announcement audio into the relay's MP3 as it goes, through an encoder already running:
 * lame for a speech engine's WAV when it is installed, else ffmpeg.
 */
export class WarmEncoder {
  readonly #ffmpegPath: () => string;
  readonly #lamePath: string | undefined;
  readonly #processes: WarmProcesses;

  constructor(opts: {ffmpegPath: () => string; lamePath?: string; processes: WarmProcesses}) {
    this.#ffmpegPath = opts.ffmpegPath;
    this.#lamePath = opts.lamePath;
    this.#processes = opts.processes;
  }

  /**
   * Feed `input` (audio in any upload format) to an encoder; its MP3 grows in `live`, which ends
   * when the encoder has finished or fails with its own last words. Returns a way to stop it.
   */
  encode(input: Buffer | Readable, live: LiveAudio, format: EncoderInput = "any"): () => void {
    const lame = format === "wav" ? this.#lamePath : undefined;
    const path = lame ?? this.#ffmpegPath();
    const program = lame ? "lame" : "ffmpeg";
    // Raw PCM's command line is its own each time: none waits for it.
    const spare = typeof format === "object" ? 0 : WAITING[format];
    const child = this.#processes.take(path, lame ? LAME_ARGS : ffmpegArgs(format), spare);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += d.toString();
    });
    // A window that is full (a cast track the player has not read yet) holds the encoder back:
    // its output waits in the pipe, and ffmpeg waits for it, instead of an hour piling up here.
    child.stdout.on("data", (chunk: Buffer) => {
      if (!live.append(chunk)) {
        child.stdout.pause();
        live.whenRoom(() => child.stdout.resume());
      }
    });
    child.on("error", (err: NodeJS.ErrnoException) => {
      live.fail(err.code === "ENOENT" ? new Error(`${program} was not found at '${path}'`) : err);
      if (child.pid === undefined) live.processExited();
    });
    child.on("close", (code) => {
      if (code === 0) live.end();
      else live.fail(new Error(lastLines(stderr) || `${program} exited with code ${code}`));
    });
    child.once("exit", () => live.processExited());
    // A stopped child's stdin fails with EPIPE: its exit says why.
    child.stdin.on("error", () => undefined);
    // A stream that fails part-way ends the input there: the encoder finishes what it was given.
    if (Buffer.isBuffer(input)) child.stdin.end(input);
    else pipeline(input, child.stdin, () => undefined);
    // Too much audio (or a stop): the encoder goes, and `live` has said why.
    live.finished.catch(() => child.kill("SIGKILL"));
    return () => {
      child.kill("SIGKILL");
      // Output held back for a reader that will not come: let it drain, or the close never comes.
      child.stdout.resume();
    };
  }
}
