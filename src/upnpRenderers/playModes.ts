import type {QueueTrack} from "./queueRun.js";

/**
 * AVTransport's play modes a queue honours: what Home Assistant's repeat and shuffle buttons send
 * (shuffle is SHUFFLE, shuffle with repeat RANDOM, read back as shuffle and repeat all).
 */
export const PLAY_MODES = ["NORMAL", "REPEAT_ONE", "REPEAT_ALL", "SHUFFLE", "RANDOM"] as const;
export type PlayMode = (typeof PLAY_MODES)[number];

/**
 * Which kept track follows `after` when no next one was set: REPEAT_ALL the one after it, round;
 * SHUFFLE each kept track once, in a random order, then the end (`shuffled` holds the round);
 * RANDOM any other, on and on; NORMAL (and REPEAT_ONE, decided before) none.
 */
export function keptFollowing<T extends QueueTrack>(
  tracks: readonly T[],
  after: QueueTrack,
  mode: PlayMode,
  shuffled: Set<QueueTrack>,
): T | undefined {
  const at = tracks.indexOf(after as T);
  if (mode === "REPEAT_ALL") return tracks[(at + 1) % tracks.length];
  if (mode === "SHUFFLE") shuffled.add(after);
  const others = tracks.filter((t) => t !== after && (mode !== "SHUFFLE" || !shuffled.has(t)));
  if ((mode === "SHUFFLE" || mode === "RANDOM") && others.length > 0) {
    const pick = others[Math.floor(Math.random() * others.length)] as T;
    shuffled.add(pick);
    return pick;
  }
  return undefined;
}
