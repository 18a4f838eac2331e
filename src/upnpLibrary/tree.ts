/**
 * The shape of the library a MediaServer serves: top-level sections ("Cards", "Streams", …), each
 * answering for the containers and items inside it. The ContentDirectory service only reads this
 * shape, so a section never sees SOAP or DIDL and the protocol never sees the services behind it.
 *
 * Object ids are strings; "0" is the root, whose children are the sections' own containers
 * (parentId "0"). Every id inside a section starts with `${section.id}/`.
 */

export interface EntryBase {
  id: string;
  parentId: string;
  title: string;
  /** A JPEG thumbnail URL (≤ 160 px), written as upnp:albumArtURI. */
  albumArt?: string;
  /** albumArt is someone else's picture (a podcast's cover): its type and size unknown, so no DLNA profile. */
  albumArtForeign?: true;
}

export interface ContainerEntry extends EntryBase {
  kind: "container";
  /** object.container.storageFolder | object.container.album.musicAlbum | object.container.playlistContainer */
  upnpClass: string;
  childCount?: number;
}

export interface ItemEntry extends EntryBase {
  kind: "item";
  /** object.item.audioItem.musicTrack | object.item.audioItem.audioBroadcast */
  upnpClass: string;
  res: {
    url: string;
    mime: string;
    size?: number;
    /** Seconds. */
    duration?: number;
    /** Bytes per second (UPnP's res@bitrate unit). */
    bitrate?: number;
    /** A live stream (radio, a looping stream): served without ranges, so no seeking (DLNA OP=00). */
    live?: true;
  };
  creator?: string;
  album?: string;
  trackNumber?: number;
  /** YYYY-MM-DD */
  date?: string;
}

export type Entry = ContainerEntry | ItemEntry;

/** One top-level container ("Cards", "Streams", …); ids inside it start with `${id}/`. */
export interface LibrarySection {
  id: string;
  title: string;
  /** The section's own container is `id`; children of any container id inside the section. */
  children(id: string): Promise<Entry[]>;
  /** One entry by id (BrowseMetadata); undefined when unknown (→ 701). */
  entry(id: string): Promise<Entry | undefined>;
  /** Every item in the section, for Search (bounded by the section). */
  items(): Promise<ItemEntry[]>;
  /**
   * The section lists what other sections hold (a stream's queue, what was played lately): a Search
   * that finds one thing in several sections answers it once, from a section that is not a copy.
   */
  copies?: true;
}
