import {songOf} from "../radio/icy.js";
import type {NowPlaying, PlayerState} from "../shared/api/players.js";

/** Where a player's own words for what it plays come from, by the card it shows. */
export interface NowPlayingSources {
  /** What a renderer's cast plays on the player showing this card (its relay card), if one does. */
  cast(cardId: string): Omit<NowPlaying, "kind"> | undefined;
  /** The song a radio card's station says it plays (raw ICY `StreamTitle`), if it says one. */
  song(cardId: string): string | undefined;
}

/**
 * What a player plays now in the words of what plays, the one answer the admin API, the panel and
 * the history take it from: a cast on the relay card (its track, credits, position and length; the
 * relay card itself only says "Announcement", length 0), or a station's song while its card plays.
 * Undefined for a card that says it all itself.
 */
export function nowPlaying(p: PlayerState, from: NowPlayingSources): NowPlaying | undefined {
  const {cardId, status, lastCardId} = p.playback;
  // Stopped on the relay card, a cast is named by what it played last (not "Announcement").
  const shown = cardId ?? (status !== "playing" ? lastCardId : undefined);
  if (shown === undefined) return undefined;
  const cast = from.cast(shown);
  if (cast) {
    const {position, seconds, ...words} = cast;
    return {
      kind: "cast",
      ...words,
      ...(position !== undefined ? {position: tenths(position)} : {}),
      // A length not known yet is left out, as for any stream, rather than said to be 0.
      ...(seconds !== undefined && seconds > 0 ? {seconds: tenths(seconds)} : {}),
    };
  }
  // A station's song only while it is heard: a paused card is not playing the station's song now.
  const song = cardId !== null && (status === "playing" || status === "loading") ? from.song(cardId) : undefined;
  if (!song) return undefined;
  const {title, artist} = songOf(song);
  return {kind: "station", title, ...(artist !== undefined ? {artist} : {})};
}

/**
 * The player as it is shown: while a cast plays, its playback names the cast's track (as chapter
 * and track) with the cast's position and length, not the relay card's "Announcement" and 0; with
 * an announcement over it, the cast's state (paused, if it was) rather than the speech's.
 */
export function shownPlayer(p: PlayerState, now: NowPlaying | undefined): PlayerState {
  if (now?.kind !== "cast") return p;
  const {trackLength: _length, position: _position, ...playback} = p.playback;
  return {
    ...p,
    playback: {
      ...playback,
      ...(now.status ? {status: now.status} : {}),
      chapterTitle: now.title,
      trackTitle: now.title,
      ...(now.position !== undefined ? {position: now.position} : {}),
      ...(now.seconds !== undefined ? {trackLength: now.seconds} : {}),
    },
  };
}

/** Seconds to a tenth: what a display shows, and what an answer compared a moment later repeats. */
function tenths(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
