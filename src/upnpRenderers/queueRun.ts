import {randomUUID} from "node:crypto";
import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import type {Segment} from "../files/segment.js";
import {RunClock} from "./runClock.js";
import {RunStalls, type StallNews} from "./runStalls.js";
import {sendTrack} from "./trackSend.js";

/** One track of a renderer's queue, made ready to play (its audio prepared by the announcer's clips). */
export interface QueueTrack {
  /** The position in the cast's history of tracks. */
  index: number;
  /** The clip that made it (removed with it). */
  audio: Clip;
  /** Its whole MP3, made: files, or bytes in memory for audio converted as it was fetched. */
  segments: Segment[];
  seconds: number;
  /** Seconds the control point said it lasts (DIDL-Lite res@duration), if it did. */
  declaredSeconds?: number;
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
  /** A track's source sent all it said it would and then nothing, leaving its connection open: it ends here. */
  cut(track: QueueTrack, why: string): void;
  /** The player ran out of a track's audio while its source had more to send, or has audio again (runStalls.ts). */
  stalled?(track: QueueTrack, news: StallNews & {position: number}): void;
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
 * While an announcement holds the run, what follows is not looked at again sooner than this: the
 * clock stands still, and the answer that puts the cast back ends this one's wait (a new feed).
 */
export const MAX_INTERRUPT_MS = 10 * 60_000;

/**
 * One response of the relay card playing a renderer's queue: the tracks one after another in one
 * MP3 (the player hears no gap between them, it is one stream), held open at the end of what it
 * has until the next track comes or the player has heard the last. The heard time is the run's own
 * clock (RunClock): the audio the player heard, held while it is paused or an announcement plays
 * over the cast, and never ahead of what it was sent.
 */
export class QueueRun {
  readonly entries: RunEntry[] = [];
  readonly clip: Clip;
  readonly #clock: RunClock;
  readonly #stalls: RunStalls;
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
    this.#clock = new RunClock(now);
    this.#stalls = new RunStalls(this.#clock, (news) => {
      // Where in its track the player ran out (the entry whose audio was going out then).
      const entry = this.entryAt(news.at);
      if (entry) this.source.stalled?.(entry.track, {...news, position: news.at - entry.at + entry.from});
    });
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
    return this.#clock.heard();
  }

  /** The entry heard now (the last one started), if any. */
  entryAt(seconds = this.heard()): RunEntry | undefined {
    let found: RunEntry | undefined;
    for (const entry of this.entries) if (entry.at <= seconds + 0.05) found = entry;
    return found;
  }

  get started(): boolean {
    return this.#clock.started;
  }

  get over(): boolean {
    return this.#over;
  }

  pause(): void {
    this.#clock.hold("paused");
  }

  resume(): void {
    if (!this.#clock.held("paused")) return;
    this.#clock.release("paused");
    this.#wake?.();
  }

  /**
   * An announcement plays over the cast: the clock stands still, and what follows waits. The
   * player asking for the relay again (the cast put back) goes on from what it had heard.
   */
  interrupt(): void {
    this.#clock.hold("interrupted");
  }

  get interrupted(): boolean {
    return this.#clock.held("interrupted");
  }

  /** Something the run waits on changed (a next track set, the play mode). */
  poke(): void {
    this.#wake?.();
  }

  /** No more: an answer under way ends. */
  end(): void {
    this.#over = true;
    this.#stalls.quiet();
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
    // Back after an announcement: the clock goes on as the player hears the cast again.
    this.#clock.release("interrupted");
    let next = planned.shift();
    while (next && !stop.aborted && !this.#over) {
      if (await this.source.open(next.track, Math.floor(next.from * BYTES_PER_SECOND), stop)) {
        if (stop.aborted || this.#over) break;
        const entry = {track: next.track, from: next.from, at: this.#clock.sent};
        this.entries.push(entry);
        this.source.appended(entry);
        const track = next.track;
        await sendTrack(send, track, next.from, stop, {
          fed: (seconds) => {
            this.#stalls.feeding();
            this.#clock.fed(seconds);
            this.#stalls.watch();
          },
          cut: (why) => this.source.cut(track, why),
        });
        // Its source is done: the player running out of it now is its end, not a stall.
        this.#stalls.quiet();
        this.clip.seconds = this.#clock.sent;
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
    if (!this.#clock.started) {
      this.#clock.start();
      return [{track: this.first, from: this.from}];
    }
    const heard = this.heard();
    const now = this.entryAt(heard);
    if (!now) return [{track: this.first, from: this.from}];
    const at = this.entries.indexOf(now);
    const later = this.entries.splice(at).slice(1);
    this.#clock.rewindTo(heard);
    return [
      {track: now.track, from: Math.min(now.track.seconds, now.from + heard - now.at)},
      ...later.map((e) => ({track: e.track, from: e.from})),
    ];
  }

  /** Waits until the player nears the end of what it was sent, then asks what follows; none by the end: done. */
  async #following(after: QueueTrack, stop: AbortSignal): Promise<QueueTrack | undefined> {
    for (;;) {
      if (stop.aborted || this.#over) return undefined;
      const paused = this.#clock.heldFor("paused");
      if (paused !== undefined && paused >= MAX_PAUSED_MS) return undefined;
      // Time, not what was heard: the player out of audio this long past the end is done.
      const ahead = this.#clock.sent - this.#clock.elapsed();
      if (ahead <= DECIDE_AHEAD_S) {
        const next = this.source.following(after);
        if (next) return next;
        if (ahead <= -HOLD_AFTER_END_S) return undefined;
      }
      const waitS = ahead > DECIDE_AHEAD_S ? ahead - DECIDE_AHEAD_S : ahead + HOLD_AFTER_END_S;
      await new Promise<void>((resolve) => {
        const held = this.#clock.held();
        const wait = paused === undefined ? (held ? MAX_INTERRUPT_MS : waitS * 1000) : MAX_PAUSED_MS - paused;
        const timer = setTimeout(done, Math.max(20, wait));
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
