import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import {memorySegment, type Segment} from "../files/segment.js";
import {totalLength} from "../streams/slice.js";
import type {QueueTrack} from "./queueRun.js";
import type {SourceFormat} from "./sourceKind.js";
import {DECLARED_END_SLACK_S} from "./trackSend.js";

/** A URI cast to a renderer as the queue keeps it: what the control point said of it, and its audio once made. */
export interface CastItem {
  uri: string;
  metadata: string;
  title: string;
  /** Seconds the control point's DIDL-Lite said (res@duration), until the audio is made. */
  declaredSeconds?: number;
  /**
   * What makes its audio: an http(s) URL fetched through the fetch policy as it arrives (in the
   * format its server named), or a library item.
   */
  source: {media: string; format: SourceFormat} | {item: string};
}

export interface CastTrack extends QueueTrack, CastItem {
  /**
   * Its audio was let go of (a track kept for Previous, or a Stop): nothing converts for it and
   * nothing of it is held; it is opened again from its source when it plays (CastQueue.open).
   */
  released?: boolean;
  /** When its source was last opened (ms): how much a source paced at play speed may have sent since (a Seek's reach). */
  openedAt?: number;
}

/**
 * A track's MP3 once all of it is made: a library track's files or bytes, whole; a cast from a URL
 * only its length, as its bytes are a window its reader moves (castSource.ts), never one buffer.
 */
export function madeOf(audio: Clip, item?: {declaredSeconds?: number}): {segments: Segment[]; seconds: number} {
  const live = audio.live;
  const declared = item?.declaredSeconds;
  // A source that knows its own length (FLAC's frames) says it; else the MP3's bytes over its bitrate.
  if (live?.window)
    return {
      segments: [],
      seconds: asDeclared(audio.seconds > 0 ? audio.seconds : live.size / BYTES_PER_SECOND, declared),
    };
  const segments = live ? [...audio.segments, memorySegment(live.bytes(), "a cast track")] : audio.segments;
  return {segments, seconds: asDeclared(totalLength(segments) / BYTES_PER_SECOND, declared)};
}

/**
 * The length the control point gave (DIDL-Lite res@duration) when what was made comes within
 * DECLARED_END_SLACK_S of it: the difference is the server's framing and its Content-Length
 * estimate (older Music Assistant sends `get_chunksize` bytes, 40 kB a second of its 320 kb/s MP3,
 * and stops there or short of it: `helpers/audio.py`), not a shorter track. A 12 s track showed
 * 0:00:11 and 11.9 s once made, and its control point's queue thought it cut short.
 */
function asDeclared(made: number, declared: number | undefined): number {
  return declared !== undefined && declared > 0 && Math.abs(made - declared) <= DECLARED_END_SLACK_S ? declared : made;
}

/** What a track let go of its audio keeps in its place: nothing to play, nothing to remove. */
export function letGo(audio: Clip): Clip {
  return {
    id: audio.id,
    segments: [],
    size: 0,
    seconds: 0,
    describe: audio.describe,
    files: [],
    finished: Promise.resolve(),
  };
}

/** A track not opened yet (the next one set, when a Stop came while it was being made). */
export function unopened(item: CastItem, index: number): CastTrack {
  const audio: Clip = {
    id: `unopened-${index}`,
    segments: [],
    size: 0,
    seconds: 0,
    describe: item.title,
    files: [],
    finished: Promise.resolve(),
  };
  return {...item, index, audio, segments: [], seconds: item.declaredSeconds ?? 0, released: true};
}
