import type {Library} from "../../library/library.js";
import type {StreamState} from "../../shared/api/streams.js";
import type {Streams} from "../../streams/streams.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {
  type AudioLinks,
  BROADCAST,
  container,
  findIn,
  fromIdPart,
  idPart,
  libraryTrack,
  PLAYLIST,
  partsOf,
  present,
  TRACK,
} from "./common.js";

const ID = "streams";

/** The continuous MP3 of a stream (`/streams/<name>.mp3`) as one item; undefined without an address. */
export function streamItem(
  links: AudioLinks,
  stream: StreamState,
  id: string,
  parentId: string,
  duration?: number,
): ItemEntry | undefined {
  const url = links.absolute(`/streams/${stream.name}.mp3`);
  if (!url) return undefined;
  // A looping stream has no end: a broadcast to a renderer, not a track with a length.
  const looping = stream.mode === "loop" || stream.mode === "shuffle_loop" || Boolean(stream.radio);
  return {
    kind: "item",
    id,
    parentId,
    title: stream.name,
    upnpClass: looping ? BROADCAST : TRACK,
    res: {url, mime: "audio/mpeg", ...(!looping && duration ? {duration} : {})},
  };
}

/**
 * "Streams": each of the family's streams (not the radio stations, which are under "Radio") as one
 * playable item, its continuous MP3, and beside it a container of its queue, track by track.
 */
export function streamsSection(
  streams: Pick<Streams, "list" | "has" | "get">,
  library: Pick<Library, "get">,
  links: AudioLinks,
): LibrarySection {
  const queueId = (name: string) => `${ID}/${idPart(name)}/queue`;
  const own = () =>
    streams
      .list()
      .filter((s) => !s.radio)
      .sort((a, b) => a.name.localeCompare(b.name));
  const seconds = (s: StreamState) => s.items.reduce((sum, id) => sum + (library.get(id)?.duration ?? 0), 0);

  const top = (): Entry[] =>
    own().flatMap((s) =>
      [
        streamItem(links, s, `${ID}/${idPart(s.name)}`, ID, seconds(s)),
        container(queueId(s.name), ID, `${s.name} (queue)`, s.items.length, PLAYLIST),
      ].filter(present),
    );

  const queue = (s: StreamState): ItemEntry[] =>
    s.items
      .map((itemId, i) => {
        const item = library.get(itemId);
        return item
          ? libraryTrack(links, item, `${queueId(s.name)}/${i + 1}`, queueId(s.name), {
              trackNumber: i + 1,
              album: s.name,
            })
          : undefined;
      })
      .filter(present);

  const streamOf = (part: string | undefined) => {
    const name = part === undefined ? undefined : fromIdPart(part);
    return name !== undefined && streams.has(name) && !streams.get(name).radio ? streams.get(name) : undefined;
  };

  const children = async (id: string): Promise<Entry[]> => {
    const parts = partsOf(ID, id);
    if (parts?.length === 0) return top();
    const stream = parts?.length === 2 && parts[1] === "queue" ? streamOf(parts[0]) : undefined;
    return stream ? queue(stream) : [];
  };

  return {
    id: ID,
    title: "Streams",
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      if (parts.length === 0) return container(ID, "0", "Streams", top().length);
      if (parts.length <= 2) return findIn(children(ID), id);
      return findIn(children(id.slice(0, id.lastIndexOf("/"))), id);
    },
    async items() {
      return own().flatMap((s) =>
        [streamItem(links, s, `${ID}/${idPart(s.name)}`, ID, seconds(s)), ...queue(s)].filter(present),
      );
    },
  };
}
