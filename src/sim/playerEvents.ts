import type {PlayerWorld, VirtualPlayer} from "./player.js";
import type {Playing} from "./playerPlayback.js";

const EVENT_SILENCE_MS = 5 * 60_000;
/** What real players send as partial events; anything about playback comes as a full snapshot. */
const PARTIAL_KEYS = new Set(["volume", "volumeMax", "sleepTimerActive", "sleepTimerSeconds"]);

/** The full `data/events` snapshot: playback, volume and sleep timer as the player reports them. */
export function eventsSnapshot(
  player: VirtualPlayer,
  p: Playing | undefined,
  position: number,
): Record<string, unknown> {
  const sleeping = player.sleepTimer ? Math.max(0, Math.round((player.sleepTimer.endsAt - Date.now()) / 1000)) : 0;
  return {
    repeatAll: false,
    volume: player.volume,
    volumeMax: player.volumeMax,
    cardId: p?.card.cardId ?? "none",
    playbackStatus: p ? p.status : "stopped",
    streaming: p?.track.type === "stream",
    playbackWait: false,
    sleepTimerActive: sleeping > 0,
    // Absent when no timer runs, as real players send it (reference §10.5).
    ...(sleeping > 0 ? {sleepTimerSeconds: sleeping} : {}),
    ...(p
      ? {
          source: p.source,
          chapterKey: p.chapter.key,
          chapterTitle: p.chapter.title,
          trackKey: p.track.key,
          trackTitle: p.track.title,
          trackLength: p.track.duration ?? 0,
          position: Math.floor(position),
          cardUpdatedAt: p.card.updatedAt,
        }
      : {}),
    eventUtc: Math.floor(Date.now() / 1000),
  };
}

/**
 * A player's `data/events` reporting. Real players only talk while someone listens: events stop
 * ~5 min after the last events/request, so the reporter keeps that clock and the snapshot timer
 * that runs while a card plays.
 */
export class EventReporter {
  readonly #world: PlayerWorld;
  readonly #player: VirtualPlayer;
  /** Whether a card is playing (not paused) now: snapshots follow it. */
  readonly #isPlaying: () => boolean;
  #lastRequest = 0;
  #snapshotTimer?: NodeJS.Timeout;

  constructor(world: PlayerWorld, player: VirtualPlayer, isPlaying: () => boolean) {
    this.#world = world;
    this.#player = player;
    this.#isPlaying = isPlaying;
  }

  /** An events/request: a snapshot now, answered on `data/events` only, and events for ~5 min. */
  request(): void {
    this.#lastRequest = Date.now();
    this.#world.publish(`${this.#player.topic}/data/events`, this.#player.eventsSnapshot());
  }

  /** Pretend the last events/request was long ago: the cloud goes quiet, as the real one does. */
  silence(): void {
    this.#lastRequest = 0;
  }

  /**
   * Volume and sleep-timer changes go out as partials; playback changes as full snapshots. Both
   * stop ~5 min after the last events/request, and every event also goes out on the legacy
   * `events` topic, as real players do (reference §10.5).
   */
  emit(changed: Record<string, unknown>): void {
    this.followPlayback();
    if (!this.#heard()) return;
    const partial = Object.keys(changed).every((k) => PARTIAL_KEYS.has(k));
    this.#send(partial ? {...changed, eventUtc: Math.floor(Date.now() / 1000)} : this.#player.eventsSnapshot());
  }

  /** While a card plays, a full snapshot about every 5 s, its position advancing. */
  followPlayback(): void {
    const playing = this.#isPlaying();
    if (playing && !this.#snapshotTimer) {
      this.#snapshotTimer = setInterval(() => {
        if (!this.#isPlaying()) return this.followPlayback();
        if (this.#heard()) this.#send(this.#player.eventsSnapshot());
      }, this.#world.eventsIntervalMs);
      this.#snapshotTimer.unref();
    } else if (!playing && this.#snapshotTimer) {
      clearInterval(this.#snapshotTimer);
      this.#snapshotTimer = undefined;
    }
  }

  stop(): void {
    clearInterval(this.#snapshotTimer);
  }

  /** Online, and someone asked for events within the last ~5 min. */
  #heard(): boolean {
    return this.#player.online && Date.now() - this.#lastRequest <= EVENT_SILENCE_MS;
  }

  #send(payload: Record<string, unknown>): void {
    this.#world.publish(`${this.#player.topic}/data/events`, payload);
    this.#world.publish(`${this.#player.topic}/events`, payload);
  }
}
