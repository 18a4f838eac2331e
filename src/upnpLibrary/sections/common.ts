import type {LibraryItem} from "../../library/types.js";
import type {ContainerEntry, Entry, ItemEntry} from "../tree.js";

/** Signed URLs on the audio listener; undefined while the service has no address players reach. */
export interface AudioLinks {
  absolute(pathname: string): string | undefined;
  itemPath(item: LibraryItem): string;
}

export const FOLDER = "object.container.storageFolder";
export const ALBUM = "object.container.album.musicAlbum";
export const PLAYLIST = "object.container.playlistContainer";
export const TRACK = "object.item.audioItem.musicTrack";
export const BROADCAST = "object.item.audioItem.audioBroadcast";

/**
 * A name as one part of an object id: ids are split on "/", so a name with "/" (a file, a tag)
 * must not add a level. encodeURIComponent is reversible and keeps plain names readable.
 */
export const idPart = (name: string): string => encodeURIComponent(name);
export const fromIdPart = (part: string): string | undefined => {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
};

/** The parts of an id inside a section, or undefined when it is not the section's. */
export function partsOf(sectionId: string, id: string): string[] | undefined {
  if (id === sectionId) return [];
  if (!id.startsWith(`${sectionId}/`)) return undefined;
  return id.slice(sectionId.length + 1).split("/");
}

export function container(
  id: string,
  parentId: string,
  title: string,
  childCount: number,
  upnpClass = FOLDER,
): ContainerEntry {
  return {kind: "container", id, parentId, title, upnpClass, childCount};
}

/** A library item as a track; undefined when the service has no address to give it. */
export function libraryTrack(
  links: AudioLinks,
  item: LibraryItem,
  id: string,
  parentId: string,
  extra: Partial<ItemEntry> = {},
): ItemEntry | undefined {
  const url = links.absolute(links.itemPath(item));
  if (!url) return undefined;
  return {
    kind: "item",
    id,
    parentId,
    title: item.title,
    upnpClass: TRACK,
    res: {
      url,
      mime: item.mime,
      size: item.size,
      duration: item.duration,
      // The library keeps bits per second; UPnP's res@bitrate is bytes per second.
      ...(item.bitrate ? {bitrate: Math.round(item.bitrate / 8)} : {}),
    },
    ...(item.artist ? {creator: item.artist} : {}),
    ...(item.album ? {album: item.album} : {}),
    ...extra,
  };
}

export const present = <T>(value: T | undefined): value is T => value !== undefined;

/** The entry with this id among a container's children (BrowseMetadata of anything below a section). */
export async function findIn(children: Promise<Entry[]>, id: string): Promise<Entry | undefined> {
  return (await children).find((e) => e.id === id);
}
