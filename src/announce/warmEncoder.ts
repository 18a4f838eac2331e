import {type ChildProcessWithoutNullStreams, spawn} from "node:child_process";
import {pipeline, type Readable} from "node:stream";
import {lastLines} from "../library/ffmpeg.js";
import {UPLOAD_DEMUXERS} from "../library/uploadFormats.js";
import type {LiveAudio} from "./liveAudio.js";

// After this long without an announcement the waiting encoder is let go (it holds ~10 MB).
const IDLE_MS = 10 * 60_000;
const MAX_STDERR = 16 * 1024;

/**
 * Even loudness without waiting for the end: loudnorm looks 3 s ahead, so a short message came out
 * only once all of it was processed (about 25 ms more here). dynaudnorm with 100 ms frames evens
 * speech from any engine (espeak-ng's −20.7 LUFS comes out near −18) with its peaks under −1.5 dBFS.
 */
const SPEECH_LEVEL = "dynaudnorm=f=100:g=3:p=0.84:m=4";

/** The announcement format (as transcodeToMp3 makes it, mono): bare frames, no tags, no Xing header. */
function encoderArgs(): string[] {
  return [
    ...["-hide_banner", "-v", "error"],
    // Only what we pipe in, decoded only as one of the upload containers.
    ...["-protocol_whitelist", "pipe", "-format_whitelist", UPLOAD_DEMUXERS.join(",")],
    ...["-i", "pipe:0", "-vn", "-af", SPEECH_LEVEL, "-ac", "1", "-ar", "44100"],
    ...["-codec:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0"],
    ...["-flush_packets", "1", "-f", "mp3", "pipe:1"],
  ];
}

/**
 * Converts announcement audio into the relay's MP3 as it goes, through an ffmpeg that is already
 * running: starting one takes 50–150 ms here, most of an announcement's wait before the player
 * hears anything. Each use starts the next one, which waits for its input; nothing waits until the
 * first announcement, and after ten idle minutes it is let go.
 */
export class WarmEncoder {
  readonly #ffmpegPath: () => string;
  readonly #idleMs: number;
  #standby?: {path: string; child: ChildProcessWithoutNullStreams};
  #idle?: NodeJS.Timeout;
  #stopped = false;

  constructor(ffmpegPath: () => string, idleMs = IDLE_MS) {
    this.#ffmpegPath = ffmpegPath;
    this.#idleMs = idleMs;
  }

  /**
   * Feed `input` (audio in any upload format) to an encoder; its MP3 grows in `live`, which ends
   * when ffmpeg has finished or fails with ffmpeg's own last words. Returns a way to stop it.
   */
  encode(input: Buffer | Readable, live: LiveAudio): () => void {
    const path = this.#ffmpegPath();
    const child = this.#take(path);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += d.toString();
    });
    child.stdout.on("data", (chunk: Buffer) => live.append(chunk));
    child.on("error", (err: NodeJS.ErrnoException) =>
      live.fail(err.code === "ENOENT" ? new Error(`ffmpeg was not found at '${path}'`) : err),
    );
    child.on("close", (code) => {
      if (code === 0) live.end();
      else live.fail(new Error(lastLines(stderr) || `ffmpeg exited with code ${code}`));
    });
    // A stopped child's stdin fails with EPIPE: its exit says why.
    child.stdin.on("error", () => undefined);
    // A stream that fails part-way ends the input there: the encoder finishes what it was given.
    if (Buffer.isBuffer(input)) child.stdin.end(input);
    else pipeline(input, child.stdin, () => undefined);
    // The next one starts now, so it has booted by the next announcement (ffmpeg takes longer to
    // start than a short message takes to play), once this one has its input.
    setImmediate(() => {
      if (!this.#stopped) this.#prepare(path);
    });
    // Too much audio (or a stop): the encoder goes, and `live` has said why.
    live.finished.catch(() => child.kill("SIGKILL"));
    return () => child.kill("SIGKILL");
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#idle);
    this.#standby?.child.kill("SIGKILL");
    this.#standby = undefined;
  }

  #take(path: string): ChildProcessWithoutNullStreams {
    const standby = this.#standby;
    this.#standby = undefined;
    clearTimeout(this.#idle);
    if (standby && standby.path === path && standby.child.exitCode === null && !standby.child.killed)
      return standby.child;
    standby?.child.kill("SIGKILL");
    return spawn(path, encoderArgs(), {stdio: "pipe"});
  }

  #prepare(path: string): void {
    if (this.#standby) return;
    const child = spawn(path, encoderArgs(), {stdio: "pipe"});
    // An encoder that could not start (or died waiting) is simply not there next time.
    child.on("error", () => undefined);
    child.stdin.on("error", () => undefined);
    child.on("close", () => {
      if (this.#standby?.child === child) this.#standby = undefined;
    });
    this.#standby = {path, child};
    this.#idle = setTimeout(() => {
      if (this.#standby?.child === child) this.#standby = undefined;
      child.kill("SIGKILL");
    }, this.#idleMs);
    this.#idle.unref();
  }
}
