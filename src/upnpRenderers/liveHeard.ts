import type {Playback} from "../yoto/playerModel.js";

/**
 * Seconds heard of a live cast, as its control point reads them (GetPositionInfo's RelTime, the
 * API's position). The player reports where it is on the relay track, and an announcement splits
 * that track in two: over the cast it reports the speech's seconds, and once the cast is put back
 * its new answer starts again at 0. Music Assistant's flow mode finds the queue item heard from
 * this number (`player_queues.py`, `_get_flow_queue_stream_index`), so it stands still while an
 * announcement plays over the cast and goes on from there after it.
 */
export class LiveHeard {
  /** Seconds heard in the relay answers before the one playing now. */
  #before = 0;
  /** Where it stands while an announcement plays over the cast. */
  #held?: number;
  /** The player's last report of it, and when it came: a position moves on between reports. */
  #reported?: {position: number; playing: boolean; at: number};

  constructor(readonly now: () => number = Date.now) {}

  /** A report of the player on the cast (not while an announcement plays over it). */
  seen(playback: Playback): void {
    if (this.#held !== undefined) return;
    const position = playback.position ?? 0;
    const playing = playback.status === "playing";
    const last = this.#reported;
    if (last && last.position === position && last.playing === playing) return;
    this.#reported = {position, playing, at: this.now()};
  }

  /** An announcement takes the relay: the position stands where the player had got to by now. */
  hold(): void {
    if (this.#held !== undefined) return;
    const last = this.#reported;
    const moved = last?.playing ? (this.now() - last.at) / 1000 : 0;
    this.#held = Math.floor(this.#before + (last ? last.position + moved : 0));
  }

  get held(): boolean {
    return this.#held !== undefined;
  }

  /** The cast is heard again, from a new answer the player counts from 0. */
  release(): void {
    if (this.#held === undefined) return;
    this.#before = this.#held;
    this.#held = undefined;
    this.#reported = undefined;
  }

  /** Seconds heard now, given the player's report of the relay track. */
  at(playback: Playback): number {
    return this.#held ?? this.#before + (playback.position ?? 0);
  }
}
