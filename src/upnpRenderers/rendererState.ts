import {songOf} from "../radio/icy.js";
import {escapeXml} from "../upnp/descriptions.js";
import {upnpTime} from "../upnp/times.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {VOLUME_STEPS} from "../yoto/playerModel.js";
import type {CastPrefetch} from "./castPrefetch.js";
import type {CastQueue, PlayMode} from "./castQueue.js";
import type {LiveCast} from "./liveCast.js";
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
  /** Its audio waiting for an announcement to end (Play was answered): a Stop or another URI calls it off. */
  behind?: AbortController;
  /** Its first track, fetched and converting since SetAVTransportURI, for Play to take (castPrefetch.ts). */
  prefetch?: CastPrefetch;
  /** Audio cast (a URL, a library track) plays as a queue: the track heard now, what follows, repeats. */
  queue?: CastQueue;
  /** An endless stream plays as it comes, titled by its ICY metadata (liveCast.ts). */
  live?: LiveCast;
  /**
   * An announcement plays over it, or has and the player is not yet back on it: the control point is
   * shown the state the cast had (PLAYING, or PAUSED_PLAYBACK when it was paused, before or during
   * the announcement) meanwhile; a STOPPED ended Music Assistant's queue for good.
   */
  announcedOver?: "PLAYING" | "PAUSED_PLAYBACK";
}

/** Everything the renderer's state variables are made of, at one instant. */
export interface RendererInputs {
  player: PlayerState;
  cast?: Cast;
  /** The card's title, cover and number of tracks as the family's library has them. */
  card?: {title?: string; image?: string; tracks?: number};
  /** The player's card is the relay card (an announcement or a cast URL playing). */
  onRelay: boolean;
  muted: boolean;
  /** The level (0–16) a muted player goes back to. */
  mutedLevel?: number;
  playMode: PlayMode;
  /** The length of what plays, when known (Renderer.trackSeconds). */
  trackSeconds?: number;
  /** Seconds heard of a live cast, held while an announcement plays over it (liveHeard.ts). */
  livePosition?: number;
}

export type Variables = Record<string, string>;

/** The transport as the player really is; a URI set but not yet played is STOPPED with it loaded. */
export function transportState(i: RendererInputs): TransportState {
  const {playback} = i.player;
  if (i.cast && !i.cast.started) return "STOPPED";
  // An announcement plays over the cast and puts it back where it was: to the control point it
  // plays on (a STOPPED here ended Music Assistant's queue for good), its position held meanwhile.
  if (i.cast?.started && i.cast.announcedOver) return i.cast.announcedOver;
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
  const queue = i.cast?.started ? i.cast.queue : undefined;
  const native = !i.cast?.started || i.cast.target?.kind === "card";
  const tracks = queue
    ? [...(queue.next() || i.playMode !== "NORMAL" ? ["Next"] : []), "Previous"]
    : native && i.player.playback.cardId && (i.card?.tracks === undefined || i.card.tracks > 1)
      ? ["Next", "Previous"]
      : [];
  // Seek only where it can be taken: a length known, so a target can be judged.
  const seek = i.trackSeconds !== undefined && i.trackSeconds > 0 ? ["Seek"] : [];
  switch (state) {
    case "PLAYING":
    case "TRANSITIONING":
      return ["Pause", "Stop", ...seek, ...tracks].join(",");
    case "PAUSED_PLAYBACK":
      return ["Play", "Stop", ...seek, ...tracks].join(",");
    case "STOPPED":
      return "Play,Stop";
    default:
      // Never empty: Home Assistant reads an empty list as "everything is allowed".
      return "Stop";
  }
}

/** DIDL-Lite for what plays: the cast's own metadata, or the card (title, card as album, cover). */
export function trackMetadata(i: RendererInputs): string {
  const liveTitle = i.cast?.started ? i.cast.live?.title : undefined;
  if (liveTitle) return didl("cast", [...titleAndArtist(liveTitle), MUSIC_TRACK]);
  // A queue stopped is still on its track (Play plays it again).
  const track = i.cast?.queue?.current()?.track;
  if (track) return track.metadata || didl("cast", [`<dc:title>${escapeXml(track.title)}</dc:title>`, MUSIC_TRACK]);
  // A URI set and not yet played is the loaded media: its own metadata, as the control point sent it.
  if (i.cast?.metadata && (i.cast.started || !i.cast.queue)) return i.cast.metadata;
  const {playback} = i.player;
  if (!playback.cardId && !i.cast) return "";
  const title = i.cast?.title ?? playback.trackTitle ?? playback.chapterTitle ?? i.card?.title ?? "Yoto card";
  const album = i.cast ? undefined : i.card?.title;
  return didl(playback.cardId ?? "cast", [
    `<dc:title>${escapeXml(title)}</dc:title>`,
    MUSIC_TRACK,
    album ? `<upnp:album>${escapeXml(album)}</upnp:album><upnp:artist>${escapeXml(album)}</upnp:artist>` : "",
    i.card?.image && !i.cast ? `<upnp:albumArtURI>${escapeXml(i.card.image)}</upnp:albumArtURI>` : "",
  ]);
}

const MUSIC_TRACK = "<upnp:class>object.item.audioItem.musicTrack</upnp:class>";

/** An ICY title as stations and Music Assistant write it, "Artist - Title"; anything else is all title. */
function titleAndArtist(text: string): string[] {
  const {title, artist} = songOf(text);
  return [
    `<dc:title>${escapeXml(title)}</dc:title>`,
    artist !== undefined ? `<upnp:artist>${escapeXml(artist)}</upnp:artist>` : "",
  ];
}

function didl(id: string, fields: string[]): string {
  return `<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/"><item id="${escapeXml(id)}" parentID="0" restricted="1">${fields.join("")}</item></DIDL-Lite>`;
}

/** AVTransport's evented variables (LastChange) and what the Get… actions read. */
export function avTransportVariables(i: RendererInputs): Variables {
  const state = transportState(i);
  const {playback} = i.player;
  const hasMedia = state !== "NO_MEDIA_PRESENT";
  const queue = i.cast?.queue;
  const uri = queue?.current()?.track.uri ?? i.cast?.uri ?? (playback.cardId ? `yoto:card:${playback.cardId}` : "");
  const next = queue?.next();
  const duration = i.trackSeconds;
  const metadata = trackMetadata(i);
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
    CurrentPlayMode: i.playMode,
    NumberOfTracks: hasMedia ? "1" : "0",
    CurrentTrack: hasMedia ? "1" : "0",
    CurrentTrackDuration: upnpTime(duration),
    CurrentMediaDuration: upnpTime(duration),
    CurrentTrackURI: uri,
    AVTransportURI: uri,
    CurrentTrackMetaData: metadata,
    AVTransportURIMetaData: queue ? metadata : (i.cast?.metadata ?? metadata),
    NextAVTransportURI: next?.uri ?? "",
    NextAVTransportURIMetaData: next?.metadata ?? "",
    CurrentTransportActions: transportActions(state, i),
  };
}

/** Not evented (AVTransport §2.2.23): read by GetPositionInfo only. */
export function positionVariables(i: RendererInputs): Variables {
  const queued = i.cast?.started ? i.cast.queue?.current() : undefined;
  const seconds = queued
    ? queued.position
    : (i.livePosition ?? (i.player.playback.cardId ? i.player.playback.position : undefined));
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
  // Muted, the volume is still the level it comes back to, as other renderers keep it.
  const volume =
    i.muted && i.mutedLevel !== undefined ? Math.round((i.mutedLevel / VOLUME_STEPS) * 100) : volumePercent(i.player);
  return {Volume: String(volume), Mute: i.muted ? "1" : "0", PresetNameList: "FactoryDefaults"};
}
