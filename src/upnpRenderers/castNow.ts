import {unescapeXml} from "../upnp/xml.js";

/** What a cast plays now, for a media player's display: title, artist, album, seconds into it, its length. */
export interface CastNow {
  title: string;
  artist?: string;
  album?: string;
  position?: number;
  seconds?: number;
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
