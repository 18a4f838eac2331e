import {randomUUID} from "node:crypto";
import {mkdir, readdir, rename, rm, stat} from "node:fs/promises";
import path from "node:path";
import {diskFullError, isDiskFull} from "../core/diskFull.js";
import {downloadTo, shown} from "../core/download.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Segment} from "../files/segment.js";
import {runFfmpeg} from "../library/ffmpeg.js";
import {analyzeMp3} from "../library/mp3.js";
import {transcodeToMp3} from "../library/transcode.js";
import {refusedDemuxer} from "../library/uploadFormats.js";
import type {Speech} from "../speech/speech.js";
import {totalLength} from "../streams/slice.js";
import type {AnnounceRequest} from "./request.js";

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
}

export interface ClipsOptions {
  dir: string;
  ffmpegPath: () => string;
  speech: Speech;
  /** A library item's file, by id or path (a 404 AppError when there is none). */
  itemFile: (ref: string) => {file: string; title: string};
  media: {maxBytes: number; timeoutMs: number; policy?: FetchPolicy};
}

// transcodeToMp3 makes CBR 128 kb/s: 16,000 bytes a second.
const BYTES_PER_SECOND = 16_000;

/**
 * Turns what an announcement asks for (speech, a URL, a library item) into the MP3 the relay
 * serves: one format for everything (128 kb/s CBR, 44.1 kHz mono, even loudness), so a chime and
 * the message join into one clean stream and the length follows from the byte count.
 */
export class Clips {
  readonly #opts: ClipsOptions;
  #chime?: Promise<Segment>;

  constructor(opts: ClipsOptions) {
    this.#opts = opts;
  }

  /** Leftovers of announcements cut short by a restart are removed. */
  async start(): Promise<void> {
    await mkdir(this.#opts.dir, {recursive: true, mode: 0o700});
    for (const name of await readdir(this.#opts.dir)) {
      if (name !== "chime.mp3") await rm(path.join(this.#opts.dir, name), {force: true});
    }
  }

  /** `signal` (a cancel) stops a download under way. */
  async prepare(request: AnnounceRequest, signal?: AbortSignal): Promise<Clip> {
    const id = randomUUID();
    const raw = path.join(this.#opts.dir, `${id}.in`);
    const mp3 = path.join(this.#opts.dir, `${id}.mp3`);
    try {
      const {input, describe, served} = await this.#fetchRaw(request, raw, signal);
      await this.#transcode(input, mp3, request, served);
      const payload = await analyzeMp3(mp3);
      const body: Segment = {file: mp3, start: payload.start, end: payload.end - 1};
      const segments = request.chime ? [await this.#chimeSegment(), body] : [body];
      const size = totalLength(segments);
      return {id, segments, size, seconds: size / BYTES_PER_SECOND, describe, files: [mp3]};
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

  async discard(clip: Clip): Promise<void> {
    await Promise.all(clip.files.map((f) => rm(f, {force: true})));
  }

  /**
   * The audio to convert: a file made for it (speech, a download) or the library's own file. A
   * download also says what its server called it (`served`, the Content-Type).
   */
  async #fetchRaw(
    request: AnnounceRequest,
    raw: string,
    signal?: AbortSignal,
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
    const item = this.#opts.itemFile(source.ref);
    await stat(item.file).catch(() => {
      throw new AppError("file_missing", `Library item '${source.ref}' has no file any more; rescan the library`, {
        status: 404,
      });
    });
    return {input: item.file, describe: `library item '${item.title}'`};
  }

  async #transcode(input: string, output: string, request: AnnounceRequest, served?: string): Promise<void> {
    try {
      await transcodeToMp3(this.#opts.ffmpegPath(), input, output, "mono");
    } catch (err) {
      if (/No space left on device/i.test(errorMessage(err))) throw err;
      const what =
        request.source.kind === "media"
          ? `${shown(request.source.url)} is not audio this service can play`
          : request.source.kind === "message"
            ? "the speech engine's audio could not be converted"
            : `library item '${request.source.ref}' could not be converted`;
      const demuxer = refusedDemuxer(errorMessage(err));
      const why =
        served !== undefined
          ? servedSaying(served, demuxer)
          : demuxer
            ? `it is a '${demuxer}' file`
            : withoutPaths(errorMessage(err), [input, output, this.#opts.dir]).slice(0, 200);
      throw new AppError("not_audio", `${what} (${why})`, {status: 422});
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

/**
 * What a URL that is not audio served, from its Content-Type ("it served 'text/html'"). ffmpeg's
 * own words are not shown for a download: they name the temporary file it was saved to, which
 * says nothing to whoever sent the URL and something about this machine.
 */
function servedSaying(contentType: string, demuxer: string | undefined): string {
  const type = contentType.split(";")[0]?.trim();
  const served = type ? `it served '${type.slice(0, 100)}'` : "it served something without a content type";
  return demuxer ? `${served}, a '${demuxer}' file` : served;
}

/** ffmpeg names the files it read and wrote; those are this service's own, never worth showing. */
function withoutPaths(text: string, paths: string[]): string {
  let out = text;
  for (const p of paths) out = out.split(p).join("<file>");
  return out;
}
