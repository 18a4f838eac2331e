import type {Clip} from "../announce/clips.js";
import {parseAnnounceRequest} from "../announce/request.js";
import type {EncoderInput} from "../announce/warmEncoder.js";
import {shown} from "../core/download.js";
import {openArriving} from "./arrivingAudio.js";
import type {CastItem} from "./castQueue.js";
import type {Renderer} from "./renderer.js";
import type {SourceFormat} from "./sourceKind.js";

/** A cast track's source may send this much at most (an hour of FLAC is about 400 MB); past it the track ends. */
export const MAX_SOURCE_BYTES = 1024 * 1024 * 1024;
/** Time for a source's headers and first bytes. */
export const ANSWER_MS = 10_000;
/** A source that sends nothing this long has stopped (Music Assistant's forced length declares more than comes). */
export const SOURCE_IDLE_MS = 20_000;

/**
 * The audio of one item of a renderer's queue: a URL as it arrives, converted as it comes into
 * the relay's MP3 (a track that ends early, stalls or runs too long says so through the renderer);
 * a library item as the announcer's clips make it.
 */
export function castAudio(r: Renderer, item: CastItem, signal: AbortSignal): Promise<Clip> {
  const source = item.source;
  const {clips} = r.deps.announcer;
  if (!("media" in source))
    return clips.prepare(parseAnnounceRequest({item: source.item, resume: false, chime: false}), signal, {track: true});
  const cut = (why: string) => r.trackCut(item.title, why);
  return openArriving(source.media, {
    policy: r.deps.target.policy,
    maxBytes: r.deps.sourceLimits?.maxBytes ?? MAX_SOURCE_BYTES,
    answerMs: r.deps.sourceLimits?.answerMs ?? ANSWER_MS,
    idleMs: r.deps.sourceLimits?.idleMs ?? SOURCE_IDLE_MS,
    signal,
    cut,
    raw: source.format.kind === "pcm",
  }).then((audio) => clips.arriving(audio, shown(source.media), encoderInput(source.format), cut));
}

function encoderInput(format: SourceFormat): EncoderInput {
  return format.kind === "pcm" ? format : "arriving";
}
