import {songOf} from "../radio/icy.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {VOLUME_STEPS} from "../yoto/playerModel.js";
import {MUTE_PAYLOADS, type StateKey} from "./mediaTopics.js";

export interface CardDisplay {
  title?: string;
}

/**
 * What a renderer's cast plays on the player's relay card (Music Assistant's queue, a station
 * cast from Home Assistant): shown instead of the relay card's "Announcements · …".
 */
export interface CastDisplay {
  title: string;
  artist?: string;
  album?: string;
  /** Seconds into the track heard now, and its length, when known. */
  position?: number;
  seconds?: number;
  /** An announcement plays over the cast: its own state meanwhile (paused, if it was). */
  status?: "playing" | "paused";
}

/**
 * What each state topic carries for one player, as text, in the form the integration parses:
 * the state is one of Home Assistant's media player states, duration and position are whole
 * seconds (`int()`), the volume a float 0–1 (`float()`), mute "mute" or "unmute". Album art is
 * published apart (it is fetched). An empty text clears a retained value; the integration then
 * shows nothing there; `undefined` is not sent at all.
 */
export function mediaStateValues(
  p: PlayerState,
  reachable: boolean,
  card: CardDisplay | undefined,
  station?: string,
  muted = false,
  cast?: CastDisplay,
): Record<Exclude<StateKey, "albumart">, string | undefined> {
  const onCard = p.playback.cardId !== null;
  // Over an announcement (and between its end and the cast put back), the cast as it is: paused, if it was.
  const over = reachable && p.online ? cast?.status : undefined;
  return {
    state: over ?? mediaState(p, reachable),
    ...((onCard || over !== undefined) && cast ? castPlaying(cast) : cardPlaying(p, card, station)),
    // Not sent until known: the integration's float() would fail on an empty text.
    volume:
      p.volume.level !== undefined ? String(Math.round((p.volume.level / VOLUME_STEPS) * 1000) / 1000) : undefined,
    mediatype: "music",
    mute: muted ? MUTE_PAYLOADS.on : MUTE_PAYLOADS.off,
  };
}

type Playing = Record<"title" | "artist" | "album" | "duration" | "position", string>;

function cardPlaying(p: PlayerState, card: CardDisplay | undefined, station: string | undefined): Playing {
  const pb = p.playback;
  const onCard = pb.cardId !== null;
  const chapter = onCard ? pb.chapterTitle : undefined;
  const track = onCard ? pb.trackTitle : undefined;
  // A radio card while it plays: the song the station says it plays, not the card's one track.
  const song = onCard && station && (pb.status === "playing" || pb.status === "loading") ? songOf(station) : undefined;
  return {
    // The track as the title, the card as the artist (what the media card shows under it), the
    // chapter as the album: a story card's chapters group its tracks as an album's sides would.
    title: song?.title ?? track ?? chapter ?? "",
    artist: song?.artist ?? (onCard ? (card?.title ?? "") : ""),
    album: song
      ? song.artist !== undefined
        ? (card?.title ?? "")
        : ""
      : track !== undefined && chapter !== undefined && chapter !== track
        ? chapter
        : "",
    duration: onCard && pb.trackLength !== undefined ? String(Math.round(pb.trackLength)) : "0",
    position: onCard && pb.position !== undefined ? String(Math.round(pb.position)) : "",
  };
}

/** The cast's own track, credits, position and length, where the card's would be. */
function castPlaying(cast: CastDisplay): Playing {
  return {
    title: cast.title,
    artist: cast.artist ?? "",
    album: cast.album ?? "",
    duration: cast.seconds !== undefined ? String(Math.round(cast.seconds)) : "0",
    position: cast.position !== undefined ? String(Math.round(cast.position)) : "",
  };
}

/**
 * Home Assistant's media player states: a player out of reach (offline, or the cloud connection
 * down) is "off"; loading is "buffering"; stopped, no card or a status not known yet is "idle".
 */
export function mediaState(p: PlayerState, reachable: boolean): string {
  if (!reachable || !p.online) return "off";
  switch (p.playback.cardId === null ? "stopped" : p.playback.status) {
    case "playing":
      return "playing";
    case "paused":
      return "paused";
    case "loading":
      return "buffering";
    default:
      return "idle";
  }
}

export {songOf};
