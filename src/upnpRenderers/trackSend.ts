import {BYTES_PER_SECOND} from "../announce/clips.js";
import {memorySegment, type Segment} from "../files/segment.js";
import {sliceSegments, totalLength} from "../streams/slice.js";
import type {QueueTrack} from "./queueRun.js";

/**
 * A track whose audio has reached the length its DIDL-Lite gave (less this much) and then gets
 * nothing for SHORT_BODY_QUIET_MS is over: a body shorter than its Content-Length on a connection
 * left open (Music Assistant's forced length) otherwise played 27.6 s of silence as PLAYING.
 */
export const DECLARED_END_SLACK_S = 0.5;
export const SHORT_BODY_QUIET_MS = 2000;

/** What sending a track tells its run as it goes. */
export interface TrackSent {
  /** This many seconds of audio go out now (the run's clock counts them before they are written). */
  fed(seconds: number): void;
  /** The track's source went quiet at its declared end with its connection open: the track ends, and why. */
  cut(why: string): void;
}

const QUIET = Symbol("quiet");

/**
 * A track's audio from `from` seconds in: all of it at once when it is made, or as it is made when
 * its source is still arriving (it plays as it comes: a server that sends at play speed delayed a
 * whole track by its length), or from its window (a cast from a URL, made or not: reading it moves
 * the window on). Stops with the run.
 */
export async function sendTrack(
  send: (segments: Segment[]) => Promise<void>,
  track: QueueTrack,
  from: number,
  stop: AbortSignal,
  told: TrackSent,
): Promise<void> {
  const live = track.audio.live;
  if (!live || (live.done && !live.window)) {
    told.fed(Math.max(0, track.seconds - from));
    await send(trackSegments(track, from));
    return;
  }
  let at = from;
  const declared = track.declaredSeconds;
  const chunks = live.follow(stop, Math.floor(from * BYTES_PER_SECOND));
  for (;;) {
    const next = chunks.next().catch(() => undefined);
    // At its declared end, a source that then sends nothing has ended, whatever its connection says.
    const atEnd = declared !== undefined && declared > 0 && at >= declared - DECLARED_END_SLACK_S;
    const step = atEnd ? await quietOr(next, SHORT_BODY_QUIET_MS, stop) : await next;
    if (step === QUIET) {
      if (stop.aborted) break;
      told.cut(
        `its source sent the ${Math.round(declared ?? at)} s its metadata gave, then nothing for ${SHORT_BODY_QUIET_MS / 1000} s with its connection left open`,
      );
      // The cut lets go of the track's audio, which ends the read waiting here.
      void chunks.return(undefined).catch(() => undefined);
      return;
    }
    // Let go of while it was read (a Stop, another track): what was sent is what there is.
    if (!step || step.done || stop.aborted) break;
    const seconds = step.value.length / BYTES_PER_SECOND;
    told.fed(seconds);
    at += seconds;
    await send([memorySegment(step.value, "a cast track")]);
  }
  await chunks.return(undefined);
}

/** What `next` gives, or QUIET when it gives nothing for `ms` (or `stop` aborts first). */
function quietOr<T>(next: Promise<T>, ms: number, stop: AbortSignal): Promise<T | typeof QUIET> {
  return new Promise((resolve) => {
    const done = (value: T | typeof QUIET) => {
      clearTimeout(timer);
      stop.removeEventListener("abort", onStop);
      resolve(value);
    };
    const onStop = () => done(QUIET);
    const timer = setTimeout(onStop, ms);
    stop.addEventListener("abort", onStop, {once: true});
    void next.then(done);
  });
}

/** A track's audio from `from` seconds in (by its constant byte rate; an MP3 decoder finds the next frame). */
function trackSegments(track: QueueTrack, from: number): Segment[] {
  if (from <= 0 || track.seconds <= 0) return track.segments;
  const size = totalLength(track.segments);
  const start = Math.min(size, Math.floor((from / track.seconds) * size));
  return sliceSegments(track.segments, start, size - 1);
}
