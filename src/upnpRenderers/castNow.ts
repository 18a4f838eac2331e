import {songOf} from "../radio/icy.js";
import {unescapeXml} from "../upnp/xml.js";
import type {Playback} from "../yoto/playerModel.js";
import type {Cast} from "./rendererState.js";

/** What a cast plays now, for a media player's display: title, artist, album, seconds into it, its length. */
export interface CastNow {
  title: string;
  artist?: string;
  album?: string;
  position?: number;
  seconds?: number;
  /**
   * While an announcement plays over it: the cast's own state, as its control point is shown it
   * (PLAYING or PAUSED_PLAYBACK), not the speech's.
   */
  status?: "playing" | "paused";
}

/**
 * The cast a player plays now, as what it is shown playing: one started, or one still starting
 * once the player shows the relay card it starts on. The announcer plays the relay card before
 * Play answers, so the player's first report of it came while the cast was still starting: every
 * cast was first shown as the relay card's track, "Announcement", then as itself.
 */
export function castShown(cast: Cast | undefined, onRelay: () => boolean): Cast | undefined {
  if (!cast) return undefined;
  if (cast.started) return cast;
  // Only audio made here plays on the relay card (a queue or a live stream); a card plays as itself.
  if (!cast.starting || (!cast.queue && !cast.live)) return undefined;
  return onRelay() ? cast : undefined;
}

/**
 * What `cast` plays now: the queue's track with the artist and album its DIDL-Lite gave, seconds
 * into it and its length (`seconds`, once known); a live stream's ICY song, or its own title and
 * credits while it says none. A live stream has no clock of its own: what the player reports of
 * the relay track is what was heard of it (and its length, once the source ended), so a source
 * with neither a length nor DIDL-Lite (a FLAC track served without either) still shows both.
 */
export function castWords(cast: Cast, playback: Playback, seconds: number | undefined, livePosition?: number): CastNow {
  const held: Pick<CastNow, "status"> = cast.announcedOver
    ? {status: cast.announcedOver === "PAUSED_PLAYBACK" ? "paused" : "playing"}
    : {};
  if (cast.live) {
    const song = cast.live.title ? songOf(cast.live.title) : undefined;
    const words = song
      ? {title: song.title, ...(song.artist !== undefined ? {artist: song.artist} : {})}
      : {title: cast.title, ...didlCredits(cast.metadata)};
    const position = livePosition ?? playback.position;
    return {
      ...words,
      ...(position !== undefined ? {position} : {}),
      // The player's length is the relay track's: the speech's while an announcement plays over it.
      ...(playback.trackLength && !cast.announcedOver ? {seconds: playback.trackLength} : {}),
      ...held,
    };
  }
  const now = cast.queue?.current();
  // Starting: its first track is not made yet, but its title and credits are the control point's.
  if (!now) return {title: cast.title, ...didlCredits(cast.metadata), ...held};
  return {
    title: now.track.title,
    ...didlCredits(now.track.metadata),
    position: now.position,
    ...(seconds !== undefined && seconds > 0 ? {seconds} : {}),
    ...held,
  };
}

/** The artist (`upnp:artist`, else `dc:creator`) and album a control point's DIDL-Lite names. Linear: one bounded match each. */
export function didlCredits(metadata: string): Pick<CastNow, "artist" | "album"> {
  const artist = didlText(metadata, "upnp:artist") ?? didlText(metadata, "dc:creator");
  const album = didlText(metadata, "upnp:album");
  return {...(artist ? {artist} : {}), ...(album ? {album} : {})};
}

/**
 * The text of the first `<name>` element of a DIDL-Lite, its references read (Music Assistant
 * writes every character past ASCII as one: "&#220;ber den Wolken"); as sent if it cannot be read.
 */
export function didlText(metadata: string, name: string): string | undefined {
  const text = new RegExp(`<${name}(?:\\s[^>]{0,200})?>([^<]{1,200})</${name}>`).exec(metadata)?.[1]?.trim();
  if (!text) return undefined;
  try {
    return unescapeXml(text, name);
  } catch {
    return text;
  }
}
