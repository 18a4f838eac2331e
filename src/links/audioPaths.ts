/**
 * Every path the audio listener serves, built and read here only: what a card's track, a renderer's
 * URL or a media browser's item points at is the same path the listener's route answers. A name
 * that no path could carry is never built into one (the patterns are the routes' own).
 *
 * - `/audio/<item id>.<ext>`: a library file (the extension only helps players that sniff by name)
 * - `/streams/<name>.mp3`: a stream's queue (or station) as one MP3
 * - `/stories/<story>/<scene>.mp3` and `/stories/<story>/slots/<0-3>.mp3`: a story card's scene, a
 *   streamed story's slot
 * - `/relay/<player>.mp3`: what a player's relay card plays now (announcements)
 * - `/archive/<card>/<chapter>/<track>.<ext>` and `/archive/<card>/cover.jpg`: the family's archived
 *   cards, by position (1-based; Yoto's own keys are free text)
 */

const ITEM_FILE = /^([0-9a-f]{16})(?:\.[a-z0-9]{1,5})?$/;
const STREAM_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.mp3$/;
const SCENE_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.mp3$/;
const SLOT_FILE = /^([0-3])\.mp3$/;
const RELAY_FILE = /^([A-Za-z0-9_-]{1,64})\.mp3$/;
const ARCHIVED_TRACK = /^\/archive\/([A-Za-z0-9]{1,64})\/([1-9][0-9]{0,3})\/([1-9][0-9]{0,3})\.([a-z0-9]{1,5})$/;
const ARCHIVED_COVER = /^\/archive\/([A-Za-z0-9]{1,64})\/cover\.jpg$/;

/** A library file: its id, and its extension (lower case, with the dot) from its name. */
export function itemPath(id: string, extension = ""): string {
  return `/audio/${id}${extension.toLowerCase()}`;
}

export function streamPath(name: string): string {
  return `/streams/${name}.mp3`;
}

export function scenePath(storyId: string, sceneId: string): string {
  return `/stories/${storyId}/${sceneId}.mp3`;
}

export function slotPath(storyId: string, slot: number): string {
  return `/stories/${storyId}/slots/${slot}.mp3`;
}

export function relayPath(playerId: string): string {
  return `/relay/${playerId}.mp3`;
}

/** Where in an archived card a track is: by position, 1-based. */
export interface ArchivedTrackAt {
  cardId: string;
  /** 1-based. */
  chapter: number;
  /** 1-based, within the chapter. */
  track: number;
}

export function archivedTrackPath(at: ArchivedTrackAt, ext: string): string {
  return `/archive/${at.cardId}/${at.chapter}/${at.track}.${ext}`;
}

export function archivedCoverPath(cardId: string): string {
  return `/archive/${cardId}/cover.jpg`;
}

/** The last part of a route's path (`<file>` of `/streams/<file>`), read back to what it names. */
export const fileOf = {
  item: (file: string) => ITEM_FILE.exec(file)?.[1],
  stream: (file: string) => STREAM_FILE.exec(file)?.[1],
  scene: (file: string) => SCENE_FILE.exec(file)?.[1],
  slot: (file: string) => {
    const slot = SLOT_FILE.exec(file)?.[1];
    return slot === undefined ? undefined : Number(slot);
  },
  relay: (file: string) => RELAY_FILE.exec(file)?.[1],
};

/** What a whole path of this listener plays, or undefined for a path that plays nothing. */
export type AudioPathTarget =
  | {kind: "item"; id: string}
  | {kind: "stream"; stream: string}
  | ({kind: "card"} & ArchivedTrackAt);

/** Read a path (a URL's pathname) back: a library item, a stream, or an archived card's track. */
export function audioPathTarget(pathname: string): AudioPathTarget | undefined {
  const [, top, file, ...rest] = pathname.split("/");
  if (rest.length === 0 && file !== undefined) {
    const stream = top === "streams" ? fileOf.stream(file) : undefined;
    if (stream) return {kind: "stream", stream};
    const id = top === "audio" ? fileOf.item(file) : undefined;
    if (id) return {kind: "item", id};
  }
  const archived = archivedTrackOf(pathname);
  return archived ? {kind: "card", ...archived} : undefined;
}

/** Whether a path is one of the streams' (`/streams/…`), named or not. */
export function isStreamPath(pathname: string): boolean {
  return pathname.startsWith("/streams/");
}

/** The card, chapter and track a path names, or undefined when it names none. */
export function archivedTrackOf(pathname: string): ArchivedTrackAt | undefined {
  const m = ARCHIVED_TRACK.exec(pathname);
  if (!m) return undefined;
  return {cardId: m[1] as string, chapter: Number(m[2]), track: Number(m[3])};
}

export function archivedCoverOf(pathname: string): string | undefined {
  return ARCHIVED_COVER.exec(pathname)?.[1];
}
