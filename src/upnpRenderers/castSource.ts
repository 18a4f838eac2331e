import {pipeline} from "node:stream";
import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import {flacSeconds} from "../announce/flacFrames.js";
import {FlacToOgg} from "../announce/flacOgg.js";
import type {AudioWindow} from "../announce/liveAudio.js";
import {parseAnnounceRequest} from "../announce/request.js";
import {shown} from "../core/download.js";
import {type Arriving, openArriving} from "./arrivingAudio.js";
import type {CastItem} from "./castQueue.js";
import type {Renderer} from "./renderer.js";
import type {SourceFormat} from "./sourceKind.js";
import {DECLARED_END_SLACK_S} from "./trackSend.js";

/** A cast track's source may send this much at most (an hour of FLAC is about 400 MB); past it the track ends. */
export const MAX_SOURCE_BYTES = 1024 * 1024 * 1024;
/** Time for a source's headers and first bytes. */
export const ANSWER_MS = 10_000;
/** A source that sends nothing this long has stopped (Music Assistant's forced length declares more than comes). */
export const SOURCE_IDLE_MS = 20_000;

/**
 * What a cast track holds of its converted audio (a window the player's reads move, not the whole
 * hour): at most 30 s not yet read (the converter waits past it: a next track's start is ready,
 * with no gap, and a source that stutters for less is not heard), and 60 s already read. A player
 * that asks again (its connection dropped) is sent the run from what it has heard, which lies
 * behind what it read by what it had buffered: a streaming player buffers seconds, so 60 s is
 * ample, and from further back the track is opened again from its source. With a 64 KB chunk of
 * slack, a cast track holds about 1.5 MB at most, where it held up to 64 MB.
 */
export const CAST_WINDOW: AudioWindow = {ahead: 30 * BYTES_PER_SECOND, behind: 60 * BYTES_PER_SECOND};

/**
 * The audio of one item of a renderer's queue: a URL as it arrives, converted as it comes into
 * the relay's MP3 (a track that ends early, stalls or runs too long says so through the renderer);
 * a library item as the announcer's clips make it. Either takes one of the renderer's converters
 * (ConverterSlots) first, given back once its ffmpeg has exited.
 */
export async function castAudio(r: Renderer, item: CastItem, signal: AbortSignal): Promise<Clip> {
  const release = await r.converters.take(r.playerId, signal);
  try {
    const clip = await convert(r, item, signal);
    // A library MP3 played as it is, or one converted into a file, has no process left.
    if (clip.live) void clip.live.exited.then(release);
    else release();
    return clip;
  } catch (err) {
    release();
    throw err;
  }
}

function convert(r: Renderer, item: CastItem, signal: AbortSignal): Promise<Clip> {
  const source = item.source;
  const {clips} = r.deps.announcer;
  if (!("media" in source))
    return clips.prepare(parseAnnounceRequest({item: source.item, resume: false, chime: false}), signal, {track: true});
  const cut = (why: string) => r.trackCut(item.title, why);
  const format = source.format;
  const raw = format.kind === "pcm";
  let shortOfLength: string | undefined;
  return openArriving(source.media, {
    policy: r.deps.target.policy,
    maxBytes: r.deps.sourceLimits?.maxBytes ?? MAX_SOURCE_BYTES,
    answerMs: r.deps.sourceLimits?.answerMs ?? ANSWER_MS,
    idleMs: r.deps.sourceLimits?.idleMs ?? SOURCE_IDLE_MS,
    signal,
    cut,
    short: (why) => {
      shortOfLength = why;
    },
    raw,
  }).then(({audio, kind, head}) => {
    const describe = shown(source.media);
    const clip = made(r, item, format, {audio, kind, head}, describe, cut);
    // Short of its Content-Length: ended early only if short of its declared length too.
    void clip.finished.then(
      () => {
        if (shortOfLength !== undefined && !cameWhole(clip, item.declaredSeconds)) cut(shortOfLength);
      },
      () => undefined,
    );
    return clip;
  });
}

/**
 * A body that closed short of its Content-Length still came whole when it holds the length its
 * DIDL-Lite declared: Music Assistant's `forced_content_length` declares an estimate
 * (`helpers/audio.py`: `get_chunksize`, FLAC at 0.747 of PCM), and a track told "ended early"
 * every time was no news.
 */
function cameWhole(clip: Clip, declared: number | undefined): boolean {
  const seconds = clip.seconds > 0 ? clip.seconds : (clip.live?.size ?? 0) / BYTES_PER_SECOND;
  return declared !== undefined && declared > 0 && seconds >= declared - DECLARED_END_SLACK_S;
}

/** The relay's MP3 of a source as it arrives: PCM and MP3 as they are read, FLAC through its frames (its own length). */
function made(
  r: Renderer,
  item: CastItem,
  format: SourceFormat,
  {audio, kind, head}: Arriving,
  describe: string,
  cut: (why: string) => void,
): Clip {
  const {clips} = r.deps.announcer;
  if (format.kind === "pcm") return clips.arriving(audio, describe, format, cut, CAST_WINDOW);
  if (kind !== "flac") {
    const clip = clips.arriving(audio, describe, kind === "mpeg" ? "arriving-mp3" : "arriving", cut, CAST_WINDOW);
    if (kind === "mpeg") clip.framed = true;
    return clip;
  }
  // FLAC's length is its own: STREAMINFO's from the start (a cast without a DIDL-Lite duration
  // showed none while it played), and the samples of its frames once all came (the converted
  // MP3's bytes over the bitrate were the encoder's length, not the track's).
  item.declaredSeconds ??= flacSeconds(head);
  const frames = new FlacToOgg();
  const clip = clips.arriving(
    pipeline(audio, frames, () => undefined),
    describe,
    "arriving-ogg",
    cut,
    CAST_WINDOW,
  );
  clip.framed = true;
  clip.finished = clip.finished.then(() => {
    if (frames.info && frames.samples > 0) clip.seconds = frames.samples / frames.info.sampleRate;
  });
  clip.finished.catch(() => undefined);
  return clip;
}
