import {BYTES_PER_SECOND, type Clip} from "../announce/clips.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {illegalMimeType} from "../upnp/soap.js";
import {CastNext} from "./castNext.js";
import {type CastItem, type CastTrack, letGo, madeOf, unopened} from "./castTrack.js";
import {keptFollowing, type PlayMode} from "./playModes.js";
import {keptTooMany, resumableRun} from "./queueKeeping.js";
import {QueueRun, type QueueTrack, type RunEntry} from "./queueRun.js";
import type {StallNews} from "./runStalls.js";

export type {CastItem, CastTrack} from "./castTrack.js";
export {PLAY_MODES, type PlayMode} from "./playModes.js";

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
  announcedOver(): void; // An announcement plays over the queue (it puts it back after).
  shownPaused?(): boolean; // Paused by its control point while an announcement plays over it: it comes back paused.
  /** An announcement played over the queue and could not put it back: the queue stopped, and why is told. */
  abandoned(title: string, why: string): void;
  stalled?(title: string, news: StallNews & {position: number}): void; // As RunSource.stalled: a stall heard.
  log: Logger;
}

/**
 * What a control point cast to one renderer, as a queue: the track playing, the one set to follow
 * (SetNextAVTransportURI) and those played before, played as runs of the relay card (QueueRun) in
 * which each track follows the last with no gap. Next, Previous and Seek start a new run.
 */
export class CastQueue {
  readonly tracks: CastTrack[] = [];
  readonly #next: CastNext;
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

  constructor(readonly deps: CastQueueDeps) {
    this.#next = new CastNext({
      make: (item, signal) => this.#make(item, signal),
      forget: (track) => void this.#forget(track),
      ready: () => this.#run?.poke(),
      changed: () => deps.changed(),
      log: deps.log,
    });
  }

  /** Make the first track's audio and play it (answers once the relay card was asked to play). */
  async start(item: CastItem, signal: AbortSignal): Promise<void> {
    const track = await this.#make(item, signal, true);
    // Audio known by its frames starts at once (as gmediarender does); other audio is refused (714) first.
    const live = track.audio.live;
    const framed = track.audio.framed === true;
    if (live && !live.done && !framed) await live.started();
    // Settled with nothing: the source was not audio ffmpeg could read.
    if (live && live.size === 0 && (live.done || !framed)) {
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
      open: (t, at, stop) => this.open(t as CastTrack, at, stop),
      cut: (t, why) => this.#cut(t as CastTrack, why),
      stalled: (t, news) => this.deps.stalled?.((t as CastTrack).title, news),
    });
    // An announcement plays over the queue and puts it back where it was (the announcer's relay streams).
    run.clip.resumable = resumableRun(
      run,
      {run: () => this.#run, title: () => this.current()?.track.title ?? track.title, halt: () => this.halt()},
      this.deps,
    );
    this.#run = run;
    // The track heard until now, if another, stops converting (and Previous opens it again).
    this.#trim();
    await this.deps.play(run.clip, signal);
  }

  get run(): QueueRun | undefined {
    return this.#run;
  }

  /** An announcement holds the queue's run now (it goes on where it was once the player asks for it again). */
  get interrupted(): boolean {
    return this.#run !== undefined && !this.#run.over && this.#run.interrupted;
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
    return this.#next.item;
  }

  /** SetNextAVTransportURI: its audio is made now, so it follows with no gap; "" clears it. */
  setNext(item: CastItem | undefined): void {
    this.#next.set(item);
  }

  /** Once the track set to follow is made (or could not be), at most `ms` from now. */
  nextMade(ms: number): Promise<void> {
    return this.#next.made(ms);
  }

  /** The track set to follow is still being made. */
  get making(): boolean {
    return this.#next.making;
  }

  /** The track set to follow, made and ready now (Next plays it at once). */
  takeNext(): CastTrack | undefined {
    return this.#next.take();
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

  /**
   * Stop: the run ends; the tracks (and the next one set) stay for Play, as items: nothing converts
   * for them and nothing of their audio is held until one plays again.
   */
  halt(): void {
    this.#run?.end();
    this.#run = undefined;
    clearTimeout(this.#timer);
    this.#next.halt((item) => unopened(item, this.#count++));
    for (const track of this.tracks) this.#release(track);
    if (this.#next.ready) this.#release(this.#next.ready);
    if (this.#last) this.#release(this.#last);
  }

  /**
   * A track's audio from byte `from`, before the run sends it: a track let go of (or whose window
   * has moved past `from`) is opened again from its source. False when it cannot be (told as the
   * track's end), or the run stopped meanwhile.
   */
  async open(track: CastTrack, from: number, stop: AbortSignal): Promise<boolean> {
    if (!track.released && (track.audio.live?.has(from) ?? true)) return true;
    this.#release(track);
    let audio: Clip;
    try {
      audio = await this.deps.prepare(track, stop);
      audio.served?.();
      if (!audio.live?.window) await this.#finished(audio);
    } catch (err) {
      if (!stop.aborted && !this.#forgotten.has(track)) this.deps.ended(track.title, errorMessage(err));
      return false;
    }
    if (stop.aborted || this.#forgotten.has(track)) {
      void this.deps.discard(audio).catch(() => undefined);
      return false;
    }
    Object.assign(track, {audio, released: false, openedAt: Date.now()});
    if (!audio.live) Object.assign(track, madeOf(audio, track));
    else this.#watch(track, audio);
    return true;
  }

  /** A track's source went quiet at its declared end, its connection open: it ends with what came, the run goes on. */
  #cut(track: CastTrack, why: string): void {
    const live = track.audio.live;
    if (live) track.seconds = live.size / BYTES_PER_SECOND;
    this.deps.ended(track.title, why);
    this.#release(track);
    this.deps.changed();
  }

  /** The cast is over: every track's audio is removed. */
  stop(): void {
    this.#stopped = true;
    this.halt();
    this.#next.clear();
    // The track heard last too: a first track the player never fetched is in no list.
    for (const track of new Set([...this.tracks, ...(this.#last ? [this.#last] : [])])) void this.#forget(track);
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
    if (this.#next.isSet) return undefined; // Still being made: the run waits for it.
    return keptFollowing(this.tracks, after, mode, this.#shuffled);
  }

  /** An event when the next track starts to be heard (a timer on the run's clock). */
  #schedule(): void {
    clearTimeout(this.#timer);
    this.#trim();
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
    const openedAt = Date.now();
    audio.served?.();
    const growing = audio.live !== undefined && !audio.live.done;
    const track: CastTrack = growing
      ? {...item, index: this.#count++, audio, segments: [], seconds: item.declaredSeconds ?? 0, openedAt}
      : {...item, index: this.#count++, audio, ...(await this.#finished(audio).then(() => madeOf(audio, item)))};
    if (this.#stopped) {
      await this.#forget(track);
      throw new Error("the cast is over");
    }
    if (first) this.#first.add(track);
    if (growing) this.#watch(track, audio);
    return track;
  }

  /** A track's audio as it is made: its length once all of it is, or its end told when it fails. */
  #watch(track: CastTrack, audio: Clip): void {
    audio.finished.then(
      () => {
        if (track.audio !== audio) return;
        Object.assign(track, madeOf(audio, track));
        this.deps.changed();
      },
      (err) => {
        // Let go of by us (a stop, a replaced next, a track no longer heard), or refused at Play by
        // start(): nothing to tell.
        if (track.audio !== audio || this.#forgotten.has(track) || this.#first.has(track)) return;
        this.deps.ended(track.title, errorMessage(err));
        void this.#forget(track);
        this.deps.changed();
      },
    );
  }

  /**
   * Tracks neither heard now nor sent on after it, nor set to follow, stop converting and let go
   * of their audio (those from a URL; a library track's MP3 is kept whole).
   */
  #trim(): void {
    const run = this.#run;
    const keep = new Set<QueueTrack>();
    if (this.#next.ready) keep.add(this.#next.ready);
    if (run && !run.over) {
      const now = run.entryAt();
      if (!now) keep.add(run.first);
      for (const entry of run.entries.slice(now ? run.entries.indexOf(now) : 0)) keep.add(entry.track);
    }
    for (const track of [...this.tracks, ...(this.#last ? [this.#last] : [])])
      if (!keep.has(track)) this.#release(track);
  }

  /**
   * A track's converter ended and what it held let go of, keeping what opens it again (its item):
   * a cast from a URL (a window) always, a library track only while it is still being converted.
   */
  #release(track: CastTrack): void {
    const live = track.audio.live;
    if (track.released || !live) return;
    track.released = true;
    const audio = track.audio;
    track.audio = letGo(audio);
    live.drop();
    void this.deps
      .discard(audio)
      .catch((err) => this.deps.log.warning(`A cast track's audio was not removed: ${errorMessage(err)}`));
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
    while (keptTooMany(this.tracks)) {
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
