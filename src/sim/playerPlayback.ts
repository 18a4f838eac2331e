import {locate, type SimCard, type SimChapter, type SimTrack, type TrackAction} from "./content.js";
import type {PlayerWorld} from "./player.js";
import type {EventReporter} from "./playerEvents.js";
import {expiredSignedLink} from "./signing.js";
import type {StreamFetcher} from "./trackFetch.js";

export type Playing = {
  card: SimCard;
  chapter: SimChapter;
  track: SimTrack;
  position: number;
  startedAt: number;
  status: "playing" | "paused";
  source: string;
};

/**
 * What a player is playing (a card put on it, or started by card/start), and where it goes next:
 * at a track's end and on a button press, in
 * play order on a linear card, by the track's own actions on an interactive one (reference §5.3).
 * Playback runs on the simulator's clock (`speed`), and every change is reported as events.
 */
export class Playback {
  readonly #world: PlayerWorld;
  readonly #events: EventReporter;
  readonly #streams: StreamFetcher;
  #playing?: Playing;
  #endTimer?: NodeJS.Timeout;

  constructor(world: PlayerWorld, events: EventReporter, streams: StreamFetcher) {
    this.#world = world;
    this.#events = events;
    this.#streams = streams;
  }

  get current(): Playing | undefined {
    return this.#playing;
  }

  /** Seconds into the current track, advancing while it plays. */
  position(): number {
    const p = this.#playing;
    if (!p) return 0;
    return p.status === "playing" ? p.position + ((Date.now() - p.startedAt) / 1000) * this.#world.speed : p.position;
  }

  /** A card put on the player plays from its first track. */
  insertCard(cardId: string): boolean {
    const card = this.#world.card(cardId);
    const first = card?.content.chapters[0];
    if (!card || !first?.tracks[0]) return false;
    this.#play(card, first, first.tracks[0], 0, "card");
    return true;
  }

  /** card/start: the card, chapter and track the body names (first ones by default), `secondsIn` in. */
  startCard(body: Record<string, unknown>): boolean {
    const cardId = /^https:\/\/yoto\.io\/([A-Za-z0-9]{5})$/.exec(String(body.uri ?? ""))?.[1];
    const card = cardId ? this.#world.card(cardId) : undefined;
    if (!card) return false;
    const chapterKey = typeof body.chapterKey === "string" ? body.chapterKey : card.content.chapters[0]?.key;
    const chapter = card.content.chapters.find((c) => c.key === chapterKey);
    const trackKey = typeof body.trackKey === "string" ? body.trackKey : chapter?.tracks[0]?.key;
    // Keys must match exactly, zero padding included ("08", not "8"): otherwise FAIL.
    const track = chapter?.tracks.find((t) => t.key === trackKey);
    if (!chapter || !track) return false;
    // A card written back with Yoto's signed links stops playing once they expire (reference §10.12).
    if (expiredSignedLink(track.trackUrl)) return false;
    this.#play(card, chapter, track, Number(body.secondsIn) || 0, "remote");
    return true;
  }

  /** Playback ends; `announce` false for a player that goes quiet at once (powered off). */
  stop(announce = true): void {
    clearTimeout(this.#endTimer);
    this.#streams.abort();
    if (!this.#playing) return;
    this.#playing = undefined;
    this.#events.followPlayback();
    // The device reports "none" but leaves chapter/track/position as they were (reference §4.1).
    if (announce) this.#events.emit({cardId: "none", playbackStatus: "stopped", streaming: false});
  }

  pause(): boolean {
    const p = this.#playing;
    if (p?.status !== "playing") return false;
    p.position = this.position();
    p.status = "paused";
    clearTimeout(this.#endTimer);
    this.#events.emit({playbackStatus: "paused", position: Math.floor(p.position)});
    return true;
  }

  resume(): boolean {
    const p = this.#playing;
    if (p?.status !== "paused") return false;
    p.status = "playing";
    p.startedAt = Date.now();
    this.#scheduleEnd();
    this.#events.emit({playbackStatus: "playing"});
    return true;
  }

  /** A press of the left (`step` -1) or right (+1) button; false when it leads nowhere. */
  press(handler: "onLhb" | "onRhb", step: number): boolean {
    const p = this.#playing;
    if (!p) return false;
    if (p.card.content.playbackType === "interactive") return this.#follow(p.track.events?.[handler]);
    const {order, index} = locate(p.card, p.chapter.key, p.track.key);
    const next = order[index + step];
    if (!next) return false;
    this.#play(p.card, next.chapter, next.track, 0, p.source);
    return true;
  }

  /** The current track reached its end: the next one plays, or playback stops. */
  trackEnded(): void {
    const p = this.#playing;
    if (!p) return;
    if (p.card.content.playbackType === "interactive") {
      if (!this.#follow(p.track.events?.onEnd ?? {cmd: "stop"})) this.stop();
      return;
    }
    const {order, index} = locate(p.card, p.chapter.key, p.track.key);
    const next = order[index + 1];
    if (next) this.#play(p.card, next.chapter, next.track, 0, p.source);
    else this.stop();
  }

  /** The simulator shuts down: no timer or download outlives it. */
  dispose(): void {
    clearTimeout(this.#endTimer);
    this.#streams.abort();
  }

  #play(card: SimCard, chapter: SimChapter, track: SimTrack, position: number, source: string): void {
    clearTimeout(this.#endTimer);
    this.#playing = {card, chapter, track, position, startedAt: Date.now(), status: "playing", source};
    this.#events.emit({
      cardId: card.cardId,
      chapterKey: chapter.key,
      chapterTitle: chapter.title,
      trackKey: track.key,
      trackTitle: track.title,
      trackLength: track.duration ?? 0,
      position,
      playbackStatus: "playing",
      source,
      streaming: track.type === "stream",
    });
    this.#streams.fetch(
      track,
      (bytes) => {
        // A stream track says duration 0: its length is what the bytes hold at 128 kb/s.
        if (!track.duration && this.#playing?.track === track) {
          this.#playing.track = {...track, duration: Math.max(1, Math.round(bytes / 16_000))};
          this.#scheduleEnd();
        }
      },
      () => {
        // A player plays a stream from its first byte: a track its server is slow to answer (a
        // story's scene narrated as it is asked for) is not half over when it starts.
        const p = this.#playing;
        if (p?.track !== track || p.status !== "playing") return;
        p.startedAt = Date.now();
        this.#scheduleEnd();
      },
    );
    this.#scheduleEnd();
  }

  #follow(action: TrackAction | undefined): boolean {
    const p = this.#playing;
    if (!p || !action) return false;
    if (action.cmd === "stop") {
      this.stop();
      return true;
    }
    const chapter = p.card.content.chapters.find((c) => c.key === action.params.chapterKey);
    const track = chapter?.tracks.find((t) => t.key === action.params.trackKey);
    if (!chapter || !track) return false;
    this.#play(p.card, chapter, track, 0, p.source);
    return true;
  }

  #scheduleEnd(): void {
    clearTimeout(this.#endTimer);
    const p = this.#playing;
    if (p?.status !== "playing" || !p.track.duration) return;
    const remaining = Math.max(0, p.track.duration - this.position());
    this.#endTimer = setTimeout(() => this.trackEnded(), (remaining * 1000) / this.#world.speed);
  }
}
