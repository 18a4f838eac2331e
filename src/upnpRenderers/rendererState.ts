import {escapeXml} from "../upnp/descriptions.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {VOLUME_STEPS} from "../yoto/playerModel.js";
import type {PlayTarget} from "./playTarget.js";
import type {TransportState} from "./rendererTables.js";

/** What a control point asked this renderer to play (SetAVTransportURI), and how it is played. */
export interface Cast {
  uri: string;
  /** The DIDL-Lite the control point sent with it (kept as sent, given back in GetMediaInfo). */
  metadata: string;
  title: string;
  /** Started (Play): the player's card is then this cast's until it moves to another. */
  started: boolean;
  /** Where the URI leads (judged when it was set). */
  target?: PlayTarget;
  /** The player's card when the URI was set: a card put in by hand after it replaces a cast not yet played. */
  setOn?: string | null;
  /** A Play starting it now: a Stop or another URI aborts it, so the player does not play it after all. */
  starting?: AbortController;
}

/** Everything the renderer's state variables are made of, at one instant. */
export interface RendererInputs {
  player: PlayerState;
  cast?: Cast;
  /** The card's title and cover as the family's library has them. */
  card?: {title?: string; image?: string};
  /** The player's card is the relay card (an announcement or a cast URL playing). */
  onRelay: boolean;
  muted: boolean;
}

export type Variables = Record<string, string>;

/** "H:MM:SS" as AVTransport writes times. */
export function upnpTime(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "0:00:00";
  const s = Math.floor(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** "H+:MM:SS[.F+]" (or "MM:SS") → seconds; undefined when it is not a time. Linear, bounded. */
export function parseUpnpTime(text: string): number | undefined {
  const m = /^(?:(\d{1,5}):)?([0-5]?\d):([0-5]?\d)(?:\.\d{1,9}|\.\d{1,3}\/\d{1,3})?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** The transport as the player really is; a URI set but not yet played is STOPPED with it loaded. */
export function transportState(i: RendererInputs): TransportState {
  const {playback} = i.player;
  if (i.cast && !i.cast.started) return "STOPPED";
  if (!i.player.online) return playback.cardId || i.cast ? "STOPPED" : "NO_MEDIA_PRESENT";
  switch (playback.status) {
    case "playing":
      return "PLAYING";
    case "loading":
      return "TRANSITIONING";
    case "paused":
      return "PAUSED_PLAYBACK";
    default:
      return playback.cardId || playback.lastCardId || i.cast ? "STOPPED" : "NO_MEDIA_PRESENT";
  }
}

/** What can be done now: Home Assistant greys out the rest, and waits for Play after SetAVTransportURI. */
export function transportActions(state: TransportState, i: RendererInputs): string {
  const tracks = i.cast?.started || !i.player.playback.cardId ? [] : ["Next", "Previous"];
  switch (state) {
    case "PLAYING":
    case "TRANSITIONING":
      return ["Pause", "Stop", "Seek", ...tracks].join(",");
    case "PAUSED_PLAYBACK":
      return ["Play", "Stop", "Seek", ...tracks].join(",");
    case "STOPPED":
      return "Play";
    default:
      return "";
  }
}

/** DIDL-Lite for what plays: the cast's own metadata, or the card (title, card as album, cover). */
export function trackMetadata(i: RendererInputs): string {
  if (i.cast?.started && i.cast.metadata) return i.cast.metadata;
  const {playback} = i.player;
  if (!playback.cardId && !i.cast) return "";
  const title = i.cast?.title ?? playback.trackTitle ?? playback.chapterTitle ?? i.card?.title ?? "Yoto card";
  const album = i.cast ? undefined : i.card?.title;
  const fields = [
    `<dc:title>${escapeXml(title)}</dc:title>`,
    "<upnp:class>object.item.audioItem.musicTrack</upnp:class>",
    album ? `<upnp:album>${escapeXml(album)}</upnp:album><upnp:artist>${escapeXml(album)}</upnp:artist>` : "",
    i.card?.image && !i.cast ? `<upnp:albumArtURI>${escapeXml(i.card.image)}</upnp:albumArtURI>` : "",
  ].join("");
  return `<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/"><item id="${escapeXml(playback.cardId ?? "cast")}" parentID="0" restricted="1">${fields}</item></DIDL-Lite>`;
}

/** AVTransport's evented variables (LastChange) and what the Get… actions read. */
export function avTransportVariables(i: RendererInputs): Variables {
  const state = transportState(i);
  const {playback} = i.player;
  const playingCast = i.cast?.started === true;
  const hasMedia = state !== "NO_MEDIA_PRESENT";
  const uri = i.cast?.uri ?? (playback.cardId ? `yoto:card:${playback.cardId}` : "");
  const duration = playingCast && i.onRelay ? undefined : playback.trackLength;
  return {
    TransportState: state,
    TransportStatus: "OK",
    TransportPlaySpeed: "1",
    PlaybackStorageMedium: hasMedia ? "NETWORK" : "NONE",
    RecordStorageMedium: "NOT_IMPLEMENTED",
    PossiblePlaybackStorageMedia: "NETWORK",
    PossibleRecordStorageMedia: "NOT_IMPLEMENTED",
    PossibleRecordQualityModes: "NOT_IMPLEMENTED",
    CurrentRecordQualityMode: "NOT_IMPLEMENTED",
    RecordMediumWriteStatus: "NOT_IMPLEMENTED",
    CurrentPlayMode: "NORMAL",
    NumberOfTracks: hasMedia ? "1" : "0",
    CurrentTrack: hasMedia ? "1" : "0",
    CurrentTrackDuration: upnpTime(duration),
    CurrentMediaDuration: upnpTime(duration),
    CurrentTrackURI: uri,
    AVTransportURI: uri,
    CurrentTrackMetaData: trackMetadata(i),
    AVTransportURIMetaData: i.cast?.metadata ?? trackMetadata(i),
    NextAVTransportURI: "",
    NextAVTransportURIMetaData: "",
    CurrentTransportActions: transportActions(state, i),
  };
}

/** Not evented (AVTransport §2.2.23): read by GetPositionInfo only. */
export function positionVariables(i: RendererInputs): Variables {
  const seconds = i.player.playback.cardId ? i.player.playback.position : undefined;
  return {
    RelativeTimePosition: upnpTime(seconds),
    AbsoluteTimePosition: upnpTime(seconds),
    RelativeCounterPosition: "2147483647",
    AbsoluteCounterPosition: "2147483647",
  };
}

/** The player's level on the 0–100 scale Home Assistant's slider uses. */
export function volumePercent(player: PlayerState): number {
  const level = player.volume.level;
  if (level !== undefined) return Math.round((level / VOLUME_STEPS) * 100);
  return Math.round(player.volume.percent ?? 0);
}

export function renderingVariables(i: RendererInputs): Variables {
  return {Volume: String(volumePercent(i.player)), Mute: i.muted ? "1" : "0"};
}
