import type {Library} from "../../library/library.js";
import {streamPath} from "../../links/audioPaths.js";
import {streamTitles, type TitleSources} from "../../playing/streamTitles.js";
import type {StreamState} from "../../shared/api/streams.js";
import type {Stories} from "../../stories/index.js";
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
  opts: {title?: string; duration?: number} = {},
): ItemEntry | undefined {
  const {title = stream.name, duration} = opts;
  const url = links.absolute(streamPath(stream.name));
  if (!url) return undefined;
  // A looping stream has no end: a broadcast to a renderer, not a track with a length.
  const looping = stream.mode === "loop" || stream.mode === "shuffle_loop" || Boolean(stream.radio);
  return {
    kind: "item",
    id,
    parentId,
    title,
    upnpClass: looping ? BROADCAST : TRACK,
    res: {url, mime: "audio/mpeg", ...(looping ? {live: true} : duration ? {duration} : {})},
  };
}

/**
 * "Streams": each of the family's streams (not the radio stations, which are under "Radio") as one
 * playable item, its continuous MP3, and beside it a container of its queue, track by track. A
 * stream only a story's scene plays (no card made here plays it) is part of that story, listed under
 * "Stories", not here: stories do not own streams (a rule usually fills them), so "a scene plays it"
 * is what tells.
 */
export function streamsSection(
  streams: Pick<Streams, "list">,
  library: Pick<Library, "get">,
  titles: TitleSources,
  stories: Pick<Stories, "list">,
  links: AudioLinks,
): LibrarySection {
  const queueId = (name: string) => `${ID}/${idPart(name)}/queue`;
  const inStories = () =>
    new Set(stories.list().flatMap((st) => st.scenes.flatMap((sc) => ("stream" in sc.audio ? [sc.audio.stream] : []))));
  const own = () => {
    const titleOf = streamTitles(titles);
    const inAStory = inStories();
    return streams
      .list()
      .filter((s) => !s.radio && (titleOf.carded(s.name) || !inAStory.has(s.name)))
      .sort((a, b) => titleOf(a.name).localeCompare(titleOf(b.name)));
  };
  const seconds = (s: StreamState) => s.items.reduce((sum, id) => sum + (library.get(id)?.duration ?? 0), 0);

  const item = (s: StreamState, titleOf: (name: string) => string) =>
    streamItem(links, s, `${ID}/${idPart(s.name)}`, ID, {title: titleOf(s.name), duration: seconds(s)});

  const top = (): Entry[] => {
    const titleOf = streamTitles(titles);
    return own().flatMap((s) =>
      [item(s, titleOf), container(queueId(s.name), ID, `${titleOf(s.name)} (queue)`, s.items.length, PLAYLIST)].filter(
        present,
      ),
    );
  };

  const queue = (s: StreamState, titleOf = streamTitles(titles)): ItemEntry[] =>
    s.items
      .map((itemId, i) => {
        const item = library.get(itemId);
        return item
          ? libraryTrack(links, item, `${queueId(s.name)}/${i + 1}`, queueId(s.name), {
              trackNumber: i + 1,
              album: titleOf(s.name),
            })
          : undefined;
      })
      .filter(present);

  const streamOf = (part: string | undefined) => {
    const name = part === undefined ? undefined : fromIdPart(part);
    return name === undefined ? undefined : own().find((s) => s.name === name);
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
    copies: true,
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      if (parts.length === 0) return container(ID, "0", "Streams", top().length);
      if (parts.length <= 2) return findIn(children(ID), id);
      return findIn(children(id.slice(0, id.lastIndexOf("/"))), id);
    },
    async items() {
      const titleOf = streamTitles(titles);
      return own().flatMap((s) => [item(s, titleOf), ...queue(s, titleOf)].filter(present));
    },
  };
}
