import {randomUUID} from "node:crypto";
import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import {memorySegment, type Segment} from "../files/segment.js";
import {sliceSegments, totalLength} from "../streams/slice.js";

/** One track of a renderer's queue, made ready to play (its audio prepared by the announcer's clips). */
export interface QueueTrack {
  /** The position in the cast's history of tracks. */
  index: number;
  /** The clip that made it (removed with it). */
  audio: Clip;
  /** Its whole MP3, made: files, or bytes in memory for audio converted as it was fetched. */
  segments: Segment[];
  seconds: number;
}

/** A stretch of one run: which track, from where in it (s), heard from `at` s into the run. */
export interface RunEntry {
  track: QueueTrack;
  from: number;
  at: number;
}

/** What a run asks of its queue. */
export interface RunSource {
  /** The track to follow `after` now (the next one set, a repeat), or undefined to wait for one. */
  following(after: QueueTrack): QueueTrack | undefined;
  /** A track was appended: its start is heard at `entry.at` seconds into the run. */
  appended(entry: RunEntry): void;
  /**
   * Make `track`'s audio readable from byte `from` (a track let go of is opened again); false when
   * it cannot be, and the run goes on without it.
   */
  open(track: QueueTrack, from: number, stop: AbortSignal): Promise<boolean>;
}

/**
 * The next track is decided only this close to the end of what the player has been sent: a
 * SetNextAVTransportURI (or a play mode) changed before then still counts, and a repeated track is
 * not sent ahead without end.
 */
export const DECIDE_AHEAD_S = 4;
/** With nothing to follow, the answer ends this long after the player has heard all it was sent. */
export const HOLD_AFTER_END_S = 1;
/**
 * Paused this long, the answer lets go of what would follow: the player keeps what it was sent
 * (the rest of its track), and a renderer holds no connection open all night for a paused child.
 */
export const MAX_PAUSED_MS = 10 * 60_000;

/**
 * One response of the relay card playing a renderer's queue: the tracks one after another in one
 * MP3 (the player hears no gap between them, it is one stream), held open at the end of what it
 * has until the next track comes or the player has heard the last. The heard time is the run's own
 * clock from its first byte, paused while the player is paused.
 */
export class QueueRun {
  readonly entries: RunEntry[] = [];
  readonly clip: Clip;
  #startedAt?: number;
  #pausedAt?: number;
  #pausedMs = 0;
  #sentSeconds = 0;
  #wake?: () => void;
  #feeding?: AbortController;
  #over = false;
  #settle!: () => void;

  constructor(
    readonly first: QueueTrack,
    readonly from: number,
    readonly source: RunSource,
    readonly now: () => number = Date.now,
  ) {
    const finished = new Promise<void>((resolve) => {
      this.#settle = resolve;
    });
    this.clip = {
      id: randomUUID(),
      segments: [],
      size: 0,
      seconds: 0,
      describe: "a renderer's queue",
      files: [],
      finished,
      feed: (send, gone) => this.#feed(send, gone),
    };
  }

  /** Seconds the player has heard of this run (0 until its first byte went out). */
  heard(): number {
    if (this.#startedAt === undefined) return 0;
    const end = this.#pausedAt ?? this.now();
    return Math.max(0, (end - this.#startedAt - this.#pausedMs) / 1000);
  }

  /** The entry heard now (the last one started), if any. */
  entryAt(seconds = this.heard()): RunEntry | undefined {
    let found: RunEntry | undefined;
    for (const entry of this.entries) if (entry.at <= seconds + 0.05) found = entry;
    return found;
  }

  get started(): boolean {
    return this.#startedAt !== undefined;
  }

  get over(): boolean {
    return this.#over;
  }

  pause(): void {
    if (this.#startedAt !== undefined && this.#pausedAt === undefined) this.#pausedAt = this.now();
  }

  resume(): void {
    if (this.#pausedAt === undefined) return;
    this.#pausedMs += this.now() - this.#pausedAt;
    this.#pausedAt = undefined;
    this.#wake?.();
  }

  /** Something the run waits on changed (a next track set, the play mode). */
  poke(): void {
    this.#wake?.();
  }

  /** No more: an answer under way ends. */
  end(): void {
    this.#over = true;
    this.#feeding?.abort();
    this.#wake?.();
    this.#settle();
  }

  async #feed(send: (segments: Segment[]) => Promise<void>, gone: AbortSignal): Promise<void> {
    this.#feeding?.abort();
    const feeding = new AbortController();
    this.#feeding = feeding;
    const stop = AbortSignal.any([gone, feeding.signal]);
    const planned = this.#resume();
    let next = planned.shift();
    while (next && !stop.aborted && !this.#over) {
      if (await this.source.open(next.track, Math.floor(next.from * BYTES_PER_SECOND), stop)) {
        if (stop.aborted || this.#over) break;
        const entry = {track: next.track, from: next.from, at: this.#sentSeconds};
        this.entries.push(entry);
        this.source.appended(entry);
        this.#sentSeconds += await sendTrack(send, next.track, next.from, stop);
        this.clip.seconds = this.#sentSeconds;
      }
      next = planned.shift() ?? (await this.#following(next.track, stop).then((track) => track && {track, from: 0}));
    }
    if (feeding === this.#feeding && !gone.aborted) this.end();
  }

  /**
   * What a new answer plays: the run from its start, the first time; after that (the player asked
   * again: it reconnected, or asks for a range) it goes on from what the player has heard, on the
   * same clock, with the tracks already decided after it.
   */
  #resume(): Array<{track: QueueTrack; from: number}> {
    if (this.#startedAt === undefined) {
      this.#startedAt = this.now();
      return [{track: this.first, from: this.from}];
    }
    const heard = this.heard();
    const now = this.entryAt(heard);
    if (!now) return [{track: this.first, from: this.from}];
    const at = this.entries.indexOf(now);
    const later = this.entries.splice(at).slice(1);
    this.#sentSeconds = heard;
    return [
      {track: now.track, from: Math.min(now.track.seconds, now.from + heard - now.at)},
      ...later.map((e) => ({track: e.track, from: e.from})),
    ];
  }

  /** Waits until the player nears the end of what it was sent, then asks what follows; none by the end: done. */
  async #following(after: QueueTrack, stop: AbortSignal): Promise<QueueTrack | undefined> {
    for (;;) {
      if (stop.aborted || this.#over) return undefined;
      if (this.#pausedAt !== undefined && this.now() - this.#pausedAt >= MAX_PAUSED_MS) return undefined;
      const ahead = this.#sentSeconds - this.heard();
      if (ahead <= DECIDE_AHEAD_S) {
        const next = this.source.following(after);
        if (next) return next;
        if (ahead <= -HOLD_AFTER_END_S) return undefined;
      }
      const waitS = ahead > DECIDE_AHEAD_S ? ahead - DECIDE_AHEAD_S : ahead + HOLD_AFTER_END_S;
      await new Promise<void>((resolve) => {
        const paused = this.#pausedAt === undefined ? undefined : MAX_PAUSED_MS - (this.now() - this.#pausedAt);
        const timer = setTimeout(done, paused === undefined ? Math.max(20, waitS * 1000) : Math.max(20, paused));
        const onStop = () => done();
        stop.addEventListener("abort", onStop, {once: true});
        this.#wake = done;
        function done() {
          clearTimeout(timer);
          stop.removeEventListener("abort", onStop);
          resolve();
        }
      });
    }
  }
}

/**
 * A track's audio from `from` seconds in, and the seconds that were: all of it at once when it is
 * made, or as it is made when its source is still arriving (it plays as it comes: a server that
 * sends at play speed delayed a whole track by its length), or from its window (a cast from a URL,
 * made or not: reading it moves the window on). Stops with the run.
 */
async function sendTrack(
  send: (segments: Segment[]) => Promise<void>,
  track: QueueTrack,
  from: number,
  stop: AbortSignal,
): Promise<number> {
  const live = track.audio.live;
  if (!live || (live.done && !live.window)) {
    await send(trackSegments(track, from));
    return Math.max(0, track.seconds - from);
  }
  let sent = 0;
  const chunks = live.follow(stop, Math.floor(from * BYTES_PER_SECOND));
  for (;;) {
    // Let go of while it was read (a Stop, another track): what was sent is what there is.
    const step = await chunks.next().catch(() => undefined);
    if (!step || step.done || stop.aborted) break;
    await send([memorySegment(step.value, "a cast track")]);
    sent += step.value.length;
  }
  await chunks.return(undefined);
  return sent / BYTES_PER_SECOND;
}

/** A track's audio from `from` seconds in (by its constant byte rate; an MP3 decoder finds the next frame). */
function trackSegments(track: QueueTrack, from: number): Segment[] {
  if (from <= 0 || track.seconds <= 0) return track.segments;
  const size = totalLength(track.segments);
  const start = Math.min(size, Math.floor((from / track.seconds) * size));
  return sliceSegments(track.segments, start, size - 1);
}
