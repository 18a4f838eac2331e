import {randomUUID} from "node:crypto";
import {existsSync} from "node:fs";
import {mkdir, readdir, readFile, rename, rm, stat, statfs} from "node:fs/promises";
import path from "node:path";
import type {Readable} from "node:stream";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {downloadTo, shown} from "../core/download.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {runFfmpeg} from "../core/ffmpeg.js";
import type {Segment} from "../files/segment.js";
import {mimeForFile} from "../library/metadata.js";
import {analyzeMp3} from "../library/mp3.js";
import {transcodeToMp3} from "../library/transcode.js";
import type {Speech} from "../speech/speech.js";
import {totalLength} from "../streams/slice.js";
import {notAudio} from "./clipErrors.js";
import type {AudioWindow, LiveAudio} from "./liveAudio.js";
import {looksLikeAudio, MAX_LIVE_INPUT_BYTES, MAX_LIVE_STREAM_BYTES, startLiveClip} from "./liveClip.js";
import {convertLive} from "./liveConvert.js";
import type {AnnounceRequest} from "./request.js";
import type {Resumable} from "./resumable.js";
import {type EncoderInput, WarmEncoder} from "./warmEncoder.js";
import {WarmProcesses} from "./warmProcesses.js";

const DONE: Promise<void> = Promise.resolve();

type ItemFile = ReturnType<ClipsOptions["itemFile"]>;

/** An announcement's audio, ready to serve: MP3 payload ranges laid end to end. */
export interface Clip {
  id: string;
  segments: Segment[];
  size: number;
  /** Seconds, from the fixed bitrate every clip is made at. */
  seconds: number;
  /** What made it ("speech by espeak-ng", "https://example.com/ding.mp3", "library item …"). */
  describe: string;
  /** Files to delete once it has played. */
  files: string[];
  /**
   * Resolves once every byte exists (at once for audio made before it plays); rejects when the
   * audio could not be made. Until then `size` and `seconds` count only what `segments` hold.
   */
  finished: Promise<void>;
  /** Speech still being encoded: it follows `segments` (then only the chime), and joins them when done. */
  live?: LiveAudio;
  /**
   * Called once the audio has gone out: by the relay when its response closes (sent, or the player
   * went away), else by `discard`. Until then no process is started for the next announcement, as
   * starting one stalls this thread (and the first audio with it). Calling it again does nothing.
   */
  served?: () => void;
  /**
   * Audio its maker sends as it decides it (a renderer's queue of tracks, one after another in one
   * response): `send` writes segments to the player's request, `gone` aborts when it went away.
   */
  feed?: (send: (segments: Segment[]) => Promise<void>, gone: AbortSignal) => Promise<void>;
  /** A stream an announcement plays over and puts back where it was (a renderer's cast). */
  resumable?: Resumable;
  /**
   * Its source's first bytes were frames of a codec its encoder reads whole (MPEG audio, FLAC): it
   * may start on the player before the encoder's first byte, which a damaged frame cannot stop.
   */
  framed?: boolean;
}

export interface ClipsOptions {
  dir: string;
  ffmpegPath: () => string;
  /** Encodes a speech engine's WAV when set (ffmpeg otherwise). */
  lamePath?: string;
  speech: Speech;
  /** A library item's file, by id or path (a 404 AppError when there is none). */
  itemFile: (ref: string) => {file: string; title: string; seconds: number};
  media: {maxBytes: number; timeoutMs: number; policy?: FetchPolicy};
}

// transcodeToMp3 makes CBR 128 kb/s: 16,000 bytes a second.
export const BYTES_PER_SECOND = 16_000;

/**
 * Turns what an announcement asks for (speech, a URL, a library item) into the MP3 the relay
 * serves: one format for everything (128 kb/s CBR, 44.1 kHz mono, even loudness), so a chime and
 * the message join into one clean stream and the length follows from the byte count.
 */
export class Clips {
  readonly #opts: ClipsOptions;
  /** Encoders and espeak-ng already started, for the next announcement. */
  readonly #processes = new WarmProcesses();
  readonly #encoder: WarmEncoder;
  readonly #stopMaking = new Map<string, () => void>();
  #chime?: Promise<Segment>;

  constructor(opts: ClipsOptions) {
    this.#opts = opts;
    this.#encoder = new WarmEncoder({ffmpegPath: opts.ffmpegPath, lamePath: opts.lamePath, processes: this.#processes});
  }

  stop(): void {
    for (const stopMaking of this.#stopMaking.values()) stopMaking();
    this.#processes.stop();
  }

  /** Leftovers of announcements cut short by a restart are removed. */
  async start(): Promise<void> {
    await mkdir(this.#opts.dir, {recursive: true, mode: 0o700});
    for (const name of await readdir(this.#opts.dir)) {
      if (name !== "chime.mp3") await rm(path.join(this.#opts.dir, name), {force: true});
    }
  }

  /**
   * `signal` (a cancel) stops a download under way. A library MP3 is played as it is; speech is
   * encoded while the player starts (the clip grows: `live`); a URL or another format is converted
   * whole first, so what is not audio is refused before the player is touched.
   */
  async prepare(request: AnnounceRequest, signal?: AbortSignal, how: {track?: boolean} = {}): Promise<Clip> {
    // No process is started for next time until this announcement's audio has gone out.
    const release = this.#processes.hold();
    try {
      const clip = await this.#prepare(request, signal, how.track === true);
      clip.served = release;
      return clip;
    } catch (err) {
      release();
      throw err;
    }
  }

  async #prepare(request: AnnounceRequest, signal: AbortSignal | undefined, track: boolean): Promise<Clip> {
    const id = randomUUID();
    const raw = path.join(this.#opts.dir, `${id}.in`);
    const mp3 = path.join(this.#opts.dir, `${id}.mp3`);
    try {
      // The item is looked up once: a library MP3 plays as it is, another format is converted below.
      const item = request.source.kind === "item" ? this.#itemFile(request.source.ref) : undefined;
      if (item && mimeForFile(item.file) === "audio/mpeg") return await this.#asItIs(id, request, item);
      if (request.source.kind === "message") {
        // Speech made as it plays needs no file, but the announcement's restore record needs room:
        // a full disk is the answer before the engine runs, as it was when speech went to a file.
        const [room, spoken] = await Promise.all([
          hasRoom(this.#opts.dir),
          this.#opts.speech.speakStreaming(request.source.text, request, (program, args) =>
            this.#processes.take(program, args),
          ),
        ]);
        if (!room) {
          spoken?.audio.destroy();
          throw diskFullError(this.#opts.dir);
        }
        if (spoken)
          return await this.#startLive(id, request, spoken.audio, `speech by ${spoken.engine}`, {format: "wav"});
      }
      const {input, describe, served} = await this.#fetchRaw(request, raw, signal, item);
      const streamable = await this.#streamable(request, input, served);
      if (streamable) return await this.#startLive(id, request, streamable, describe, {served, paths: [input], track});
      await this.#transcode(input, mp3, request, served);
      const payload = await analyzeMp3(mp3);
      const body: Segment = {file: mp3, start: payload.start, end: payload.end - 1};
      const segments = request.chime ? [await this.#chimeSegment(), body] : [body];
      const size = totalLength(segments);
      return {id, segments, size, seconds: size / BYTES_PER_SECOND, describe, files: [mp3], finished: DONE};
    } catch (err) {
      await rm(mp3, {force: true});
      // Downloading, speaking or converting into a full disk: the one disk-full answer, not "not audio".
      throw isDiskFull(err) || /No space left on device/i.test(errorMessage(err))
        ? diskFullError(this.#opts.dir, err)
        : err;
    } finally {
      await rm(raw, {force: true});
    }
  }

  /**
   * A cast track's audio from a source still arriving (a renderer's queue): converted as it comes,
   * the clip growing in `live`, so the player hears its first second within about one. It ends at
   * an hour (`cut` says so). No warm process is held for it: it takes as long as its source does.
   * With `window`, only that much of it is held (the renderers' casts): the encoder waits for the
   * player to read, and what it read is let go.
   */
  arriving(
    input: Readable,
    describe: string,
    format: EncoderInput,
    cut: (why: string) => void,
    window?: AudioWindow,
  ): Clip {
    const id = randomUUID();
    const {clip, stop} = startLiveClip({
      id,
      before: [],
      input,
      describe,
      format,
      maxBytes: MAX_LIVE_STREAM_BYTES,
      endWhenFull: true,
      ...(window ? {window} : {}),
      encoder: this.#encoder,
      failure: (err) =>
        new AppError("not_audio", `${describe} could not be converted (${errorMessage(err).slice(0, 200)})`, {
          status: 422,
        }),
    });
    const live = clip.live;
    this.#stopMaking.set(id, stop);
    clip.finished
      .then(() => {
        if (!live?.full) return;
        stop();
        cut(`${describe} is longer than the hour a cast track may be: it ends there`);
      })
      .catch(() => undefined)
      .finally(() => this.#stopMaking.delete(id));
    return clip;
  }

  /** An endless stream in another format than MP3 (a live cast), converted as it comes (liveConvert.ts). */
  convertLive(input: Readable, format: EncoderInput, exited?: () => void): Readable {
    return convertLive(input, format, this.#opts.ffmpegPath(), exited);
  }

  async discard(clip: Clip): Promise<void> {
    this.#stopMaking.get(clip.id)?.();
    clip.served?.();
    await Promise.all(clip.files.map((f) => rm(f, {force: true})));
  }

  /**
   * A library MP3 as it is: the library's files play in streams unconverted, so they can here, and
   * converting one cost 150 ms or more before the player was even asked.
   */
  async #asItIs(id: string, request: AnnounceRequest, item: ItemFile): Promise<Clip> {
    const ref = request.source.kind === "item" ? request.source.ref : item.file;
    const payload = await analyzeMp3(item.file).catch(() => {
      throw new AppError("not_audio", `library item '${ref}' could not be read as MP3; rescan the library`, {
        status: 422,
      });
    });
    const body: Segment = {file: item.file, start: payload.start, end: payload.end - 1};
    const chime = request.chime ? [await this.#chimeSegment()] : [];
    const segments = [...chime, body];
    return {
      id,
      segments,
      size: totalLength(segments),
      seconds: totalLength(chime) / BYTES_PER_SECOND + item.seconds,
      describe: `library item '${item.title}'`,
      files: [],
      finished: DONE,
    };
  }

  /** A clip that plays while `input` is encoded (after the chime, when asked for). */
  async #startLive(
    id: string,
    request: AnnounceRequest,
    input: Buffer | Readable,
    describe: string,
    from: {format?: "wav" | "any"; served?: string; paths?: string[]; track?: boolean} = {},
  ): Promise<Clip> {
    const before = request.chime ? [await this.#chimeSegment()] : [];
    const {clip, stop} = startLiveClip({
      id,
      before,
      input,
      describe,
      format: from.format ?? "any",
      ...(from.track ? {maxBytes: MAX_LIVE_STREAM_BYTES} : {}),
      encoder: this.#encoder,
      failure: (err) => notAudio(request, err, from.served, [...(from.paths ?? []), this.#opts.dir]),
    });
    this.#stopMaking.set(id, stop);
    clip.finished.catch(() => undefined).finally(() => this.#stopMaking.delete(id));
    return clip;
  }

  /**
   * The input's bytes when it can play while it converts: speech, a library file, and a download
   * that its server calls audio and that starts like audio; small enough to hold in memory.
   */
  async #streamable(request: AnnounceRequest, input: string, served?: string): Promise<Buffer | undefined> {
    if ((await stat(input)).size > MAX_LIVE_INPUT_BYTES) return undefined;
    const bytes = await readFile(input);
    if (request.source.kind !== "media") return bytes;
    return served?.toLowerCase().startsWith("audio/") && looksLikeAudio(bytes) ? bytes : undefined;
  }

  /**
   * The audio to convert: a file made for it (speech, a download) or the library's own file. A
   * download also says what its server called it (`served`, the Content-Type).
   */
  async #fetchRaw(
    request: AnnounceRequest,
    raw: string,
    signal?: AbortSignal,
    item?: ItemFile,
  ): Promise<{input: string; describe: string; served?: string}> {
    const {source} = request;
    if (source.kind === "message") {
      const {engine} = await this.#opts.speech.speak(source.text, raw, request);
      return {input: raw, describe: `speech by ${engine}`};
    }
    if (source.kind === "media") {
      const {contentType} = await downloadTo(source.url, raw, {...this.#opts.media, ...(signal ? {signal} : {})});
      return {input: raw, describe: shown(source.url), served: contentType};
    }
    const found = item ?? this.#itemFile(source.ref);
    return {input: found.file, describe: `library item '${found.title}'`};
  }

  #itemFile(ref: string): ItemFile {
    const item = this.#opts.itemFile(ref);
    if (!existsSync(item.file))
      throw new AppError("file_missing", `Library item '${ref}' has no file any more; rescan the library`, {
        status: 404,
      });
    return item;
  }

  async #transcode(input: string, output: string, request: AnnounceRequest, served?: string): Promise<void> {
    try {
      await transcodeToMp3(this.#opts.ffmpegPath(), input, output, "mono");
    } catch (err) {
      if (/No space left on device/i.test(errorMessage(err))) throw err;
      throw notAudio(request, err, served, [input, output, this.#opts.dir]);
    }
  }

  /** Two soft rising tones, made once and kept beside the announcements. */
  #chimeSegment(): Promise<Segment> {
    this.#chime ??= (async () => {
      const file = path.join(this.#opts.dir, "chime.mp3");
      if (!(await stat(file).catch(() => undefined))) {
        const temp = `${file}.${process.pid}.part`;
        const tone = "0.25*sin(2*PI*(if(lt(t,0.35),659,880))*t)*exp(-3*mod(t,0.35))";
        await runFfmpeg(this.#opts.ffmpegPath(), [
          "-y",
          ...["-f", "lavfi", "-i", `aevalsrc='${tone}':s=44100:d=0.9`],
          ...["-ac", "1", "-codec:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", temp],
        ]);
        await rename(temp, file);
      }
      const payload = await analyzeMp3(file);
      return {file, start: payload.start, end: payload.end - 1};
    })();
    this.#chime.catch(() => {
      this.#chime = undefined;
    });
    return this.#chime;
  }
}

// Less free space than this is a full disk: a restore record or a small file would not fit.
const MIN_FREE_BYTES = 64 * 1024;

async function hasRoom(dir: string): Promise<boolean> {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize >= MIN_FREE_BYTES;
}
