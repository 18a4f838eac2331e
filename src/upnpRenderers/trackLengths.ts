import type {Playback} from "../shared/api/players.js";

/** Card tracks remembered at most: a family's evening is a few dozen. */
const KEPT = 64;

/**
 * Each card track's length as the player last reported it. A stream track's length is known once
 * the player has read it; after a seek it reports 0 again, though the track is as long as before.
 */
export class TrackLengths {
  readonly #lengths = new Map<string, number>();

  seen(playback: Playback): void {
    const key = keyOf(playback);
    const length = playback.trackLength;
    if (!key || length === undefined || !(length > 0)) return;
    this.#lengths.delete(key);
    this.#lengths.set(key, length);
    if (this.#lengths.size > KEPT) this.#lengths.delete(this.#lengths.keys().next().value as string);
  }

  /** The length of the track the player is on, from its report or the last one that had it; undefined when unknown. */
  of(playback: Playback): number | undefined {
    if (playback.trackLength !== undefined && playback.trackLength > 0) return playback.trackLength;
    const key = keyOf(playback);
    return key ? this.#lengths.get(key) : undefined;
  }
}

function keyOf(playback: Playback): string | undefined {
  if (!playback.cardId) return undefined;
  return JSON.stringify([playback.cardId, playback.chapterKey ?? "", playback.trackKey ?? ""]);
}
