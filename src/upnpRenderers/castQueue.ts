import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {memorySegment} from "../files/segment.js";
import {totalLength} from "../streams/slice.js";
import {illegalMimeType} from "../upnp/soap.js";
import {QueueRun, type QueueTrack, type RunEntry} from "./queueRun.js";
import type {SourceFormat} from "./sourceKind.js";

/**
 * AVTransport's play modes a queue honours: what Home Assistant's repeat and shuffle buttons send
 * (shuffle is SHUFFLE, shuffle with repeat RANDOM, read back as shuffle and repeat all).
 */
export const PLAY_MODES = ["NORMAL", "REPEAT_ONE", "REPEAT_ALL", "SHUFFLE", "RANDOM"] as const;
export type PlayMode = (typeof PLAY_MODES)[number];

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

export interface CastTrack extends QueueTrack, CastItem {}

export interface CastQueueDeps {
  prepare(item: CastItem, signal: AbortSignal): Promise<Clip>;
  discard(clip: Clip): Promise<void>;
  /** Start the run's audio on the player's relay card (the announcer's queue decides when). */
  play(clip: Clip, signal: AbortSignal): Promise<unknown>;
  mode(): PlayMode;
  /** Whether a next track may start (the parents' rules): when not, the queue ends with the track playing. */
  mayGoOn(): boolean;
  /** The renderer's state changed (a track began, a next one is ready): events go out. */
  changed(): void;
  /** A track's audio failed while it was being made: it ends there, and why is told (upnp.castTrackEnded). */
  ended(title: string, why: string): void;
  log: Logger;
}

type Pending = {item: CastItem; abort: AbortController; ready?: CastTrack; made?: Promise<unknown>};

/**
 * Tracks kept for Previous and REPEAT_ALL; older ones are let go. A track converted as it was
 * fetched is held in memory (a 3-minute song is about 3 MB), so a few.
 */
const KEPT_TRACKS = 8;
/** And at most this much audio in all: eight hour-long tracks would be half a gigabyte a player. */
const MAX_KEPT_BYTES = 192 * 1024 * 1024;

function keptBytes(tracks: CastTrack[]): number {
  return tracks.reduce(
    (sum, t) => sum + (t.audio.live && !t.audio.live.done ? t.audio.live.size : totalLength(t.segments)),
    0,
  );
}

/**
 * What a control point cast to one renderer, as a queue: the track playing, the one set to follow
 * (SetNextAVTransportURI) and those played before, played as runs of the relay card (QueueRun) in
 * which each track follows the last with no gap. Next, Previous and Seek start a new run.
 */
export class CastQueue {
  readonly tracks: CastTrack[] = [];
  #pending?: Pending;
  /** The track heard last (what Play starts again once a run is over). */
  #last?: CastTrack;
  #run?: QueueRun;
  #timer?: NodeJS.Timeout;
  #count = 0;
  #stopped = false;
  /** SHUFFLE's round: the tracks played since it began, each played once. */
  readonly #shuffled = new Set<QueueTrack>();
  /** Tracks let go of (their audio's end is no failure to tell), and a first track Play still waits on. */
  readonly #forgotten = new WeakSet<CastTrack>();
  readonly #first = new WeakSet<CastTrack>();

  constructor(readonly deps: CastQueueDeps) {}

  /** Make the first track's audio and play it (answers once the relay card was asked to play). */
  async start(item: CastItem, signal: AbortSignal): Promise<void> {
    const track = await this.#make(item, signal, true);
    // Play answers once the player has audio to play: what cannot be converted is refused (714)
    // before the player leaves its card, not answered OK and then silence.
    const live = track.audio.live;
    if (live && !live.done) await live.started();
    // Settled with nothing: the source was not audio ffmpeg could read.
    if (live && live.size === 0) {
      const why = await track.audio.finished.then(
        () => "no audio came out",
        (err: unknown) => errorMessage(err),
      );
      await this.#forget(track);
      throw illegalMimeType(why);
    }
    this.#first.delete(track);
    await this.playFrom(track, 0, signal);
  }

  /** A new run from `from` seconds into `track` (Play again, Next, Previous, Seek). */
  async playFrom(track: CastTrack, from: number, signal: AbortSignal): Promise<void> {
    this.#run?.end();
    this.#last = track;
    this.#shuffled.clear();
    const run = new QueueRun(track, from, {
      following: (after) => this.#following(after),
      appended: (entry) => {
        this.#played(entry.track as CastTrack);
        this.#schedule();
      },
    });
    this.#run = run;
    await this.deps.play(run.clip, signal);
  }

  get run(): QueueRun | undefined {
    return this.#run;
  }

  /** The track heard now, and seconds into it. */
  current(): {track: CastTrack; position: number; entry?: RunEntry} | undefined {
    const run = this.#run;
    const entry = run?.entryAt();
    if (!run || !entry) return this.#last ? {track: this.#last, position: 0} : undefined;
    this.#last = entry.track as CastTrack;
    return {track: this.#last, position: run.heard() - entry.at + entry.from, entry};
  }

  /** What follows the track heard now: already sent on in the run, or set and not yet played. */
  next(): CastItem | undefined {
    const run = this.#run;
    const now = this.current()?.entry;
    const later = run && now ? run.entries.find((e) => e.at > now.at) : undefined;
    if (later) return later.track as CastTrack;
    return this.#pending?.item;
  }

  /** SetNextAVTransportURI: its audio is made now, so it follows with no gap; "" clears it. */
  setNext(item: CastItem | undefined): void {
    this.#pending?.abort.abort();
    // Made, never played: it goes (it is no track for Previous or a repeat).
    if (this.#pending?.ready) void this.#forget(this.#pending.ready);
    this.#pending = undefined;
    if (!item) {
      this.deps.changed();
      return;
    }
    const pending: Pending = {item, abort: new AbortController()};
    this.#pending = pending;
    pending.made = this.#make(item, pending.abort.signal).then(
      (track) => {
        if (this.#pending !== pending) {
          void this.#forget(track);
          return;
        }
        pending.ready = track;
        this.#run?.poke();
        this.deps.changed();
      },
      (err) => {
        if (this.#pending !== pending) return;
        this.#pending = undefined;
        this.deps.log.warning(`The next track (${item.title}) cannot be played: ${errorMessage(err)}`);
        this.deps.changed();
      },
    );
    this.deps.changed();
  }

  /** Once the track set to follow is made (or could not be), at most `ms` from now. */
  async nextMade(ms: number): Promise<void> {
    const made = this.#pending?.made;
    if (!made) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([made, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** The track set to follow is still being made. */
  get making(): boolean {
    return this.#pending !== undefined && this.#pending.ready === undefined;
  }

  /** The track set to follow, made and ready now (Next plays it at once). */
  takeNext(): CastTrack | undefined {
    const ready = this.#pending?.ready;
    if (ready) this.#pending = undefined;
    return ready;
  }

  /** The track before `track`, if still kept. */
  before(track: CastTrack): CastTrack | undefined {
    const at = this.tracks.indexOf(track);
    return at > 0 ? this.tracks[at - 1] : undefined;
  }

  /** The play mode changed: a run waiting for what follows decides again. */
  modeChanged(): void {
    this.#shuffled.clear();
    this.#run?.poke();
  }

  paused(paused: boolean): void {
    if (paused) this.#run?.pause();
    else this.#run?.resume();
    this.#schedule();
  }

  /** Stop: the run ends; the tracks stay for Play. */
  halt(): void {
    this.#run?.end();
    this.#run = undefined;
    clearTimeout(this.#timer);
  }

  /** The cast is over: every track's audio is removed. */
  stop(): void {
    this.#stopped = true;
    this.halt();
    this.#pending?.abort.abort();
    if (this.#pending?.ready) void this.#forget(this.#pending.ready);
    this.#pending = undefined;
    for (const track of [...this.tracks]) void this.#forget(track);
  }

  /** What follows `after` now, by the next track set and the play mode (Next plays it at once). */
  nextFor(after: CastTrack): CastTrack | undefined {
    return this.#following(after) as CastTrack | undefined;
  }

  #following(after: QueueTrack): QueueTrack | undefined {
    if (!this.deps.mayGoOn()) return undefined;
    const mode = this.deps.mode();
    if (mode === "REPEAT_ONE") return after;
    const next = this.takeNext();
    if (next) return next;
    if (this.#pending) return undefined; // Still being made: the run waits for it.
    const at = this.tracks.indexOf(after as CastTrack);
    if (mode === "REPEAT_ALL") return this.tracks[(at + 1) % this.tracks.length];
    // SHUFFLE: each kept track once, in a random order, then the end; RANDOM: on and on.
    if (mode === "SHUFFLE") this.#shuffled.add(after);
    const others = this.tracks.filter((t) => t !== after && (mode !== "SHUFFLE" || !this.#shuffled.has(t)));
    if ((mode === "SHUFFLE" || mode === "RANDOM") && others.length > 0) {
      const pick = others[Math.floor(Math.random() * others.length)] as CastTrack;
      this.#shuffled.add(pick);
      return pick;
    }
    return undefined;
  }

  /** An event when the next track starts to be heard (a timer on the run's clock). */
  #schedule(): void {
    clearTimeout(this.#timer);
    const run = this.#run;
    if (!run || run.over) return;
    this.deps.changed();
    const heard = run.heard();
    const next = run.entries.find((e) => e.at > heard + 0.05);
    if (!next) return;
    this.#timer = setTimeout(() => this.#schedule(), Math.ceil((next.at - heard) * 1000) + 20);
  }

  /**
   * A track ready to play as soon as its audio starts to exist: a source still arriving (a server
   * that converts while it sends, at play speed) plays as it comes, its length the DIDL-Lite's until
   * the real one is known; what fails while it is made is removed.
   */
  async #make(item: CastItem, signal: AbortSignal, first = false): Promise<CastTrack> {
    const audio = await this.deps.prepare(item, signal);
    audio.served?.();
    const whole = () => {
      const segments = audio.live
        ? [...audio.segments, memorySegment(audio.live.bytes(), "a cast track")]
        : audio.segments;
      return {segments, seconds: totalLength(segments) / BYTES_PER_SECOND};
    };
    const growing = audio.live !== undefined && !audio.live.done;
    const track: CastTrack = growing
      ? {...item, index: this.#count++, audio, segments: [], seconds: item.declaredSeconds ?? 0}
      : {...item, index: this.#count++, audio, ...(await this.#finished(audio).then(whole))};
    if (this.#stopped) {
      await this.#forget(track);
      throw new Error("the cast is over");
    }
    if (first) this.#first.add(track);
    if (growing)
      audio.finished.then(
        () => {
          Object.assign(track, whole());
          this.deps.changed();
        },
        (err) => {
          // Let go of by us (a stop, a replaced next), or refused at Play by start(): nothing to tell.
          if (this.#forgotten.has(track) || this.#first.has(track)) return;
          this.deps.ended(item.title, errorMessage(err));
          void this.#forget(track);
          this.deps.changed();
        },
      );
    return track;
  }

  /** Audio made before it plays (a library track converted from a file): all of it, or its failure. */
  async #finished(audio: Clip): Promise<void> {
    try {
      await audio.finished;
    } catch (err) {
      await this.deps.discard(audio).catch(() => undefined);
      throw err;
    }
  }

  /** A track went out to the player: kept, in the order played, for Previous and the repeats (the last few). */
  #played(track: CastTrack): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
    while (this.tracks.length > KEPT_TRACKS || (this.tracks.length > 1 && keptBytes(this.tracks) > MAX_KEPT_BYTES)) {
      const old = this.tracks[0] as CastTrack;
      if (old === track || this.#run?.entries.some((e) => e.track === old)) break;
      void this.#forget(old);
    }
  }

  async #forget(track: CastTrack): Promise<void> {
    this.#forgotten.add(track);
    const at = this.tracks.indexOf(track);
    if (at >= 0) this.tracks.splice(at, 1);
    this.#shuffled.delete(track);
    await this.deps
      .discard(track.audio)
      .catch((err) => this.deps.log.warning(`A cast track's audio was not removed: ${errorMessage(err)}`));
  }
}
