import type {Feeds} from "../../feeds/feeds.js";
import type {Library} from "../../library/library.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {
  type AudioLinks,
  container,
  findIn,
  fromIdPart,
  idPart,
  libraryTrack,
  PLAYLIST,
  partsOf,
  present,
} from "./common.js";

const ID = "podcasts";

/** "Podcasts": each followed feed → the episodes its stream holds, newest first. */
export function podcastsSection(
  feeds: Pick<Feeds, "names" | "has" | "episodes" | "view">,
  library: Pick<Library, "get">,
  links: AudioLinks,
): LibrarySection {
  const title = (name: string) => feeds.view(name).title ?? name;
  const feedEntries = (): Entry[] =>
    feeds
      .names()
      .map((name) => container(`${ID}/${idPart(name)}`, ID, title(name), feeds.episodes(name).length, PLAYLIST))
      .sort((a, b) => a.title.localeCompare(b.title));

  const episodes = (name: string): ItemEntry[] => {
    const parent = `${ID}/${idPart(name)}`;
    const album = title(name);
    // Newest first, whatever order the stream plays them in; undated ones last, as the feed lists them.
    return [...feeds.episodes(name)]
      .map((episode, index) => ({episode, index}))
      .sort((a, b) => b.episode.published - a.episode.published || a.index - b.index)
      .map(({episode}) => {
        const item = library.get(episode.itemId);
        if (!item) return undefined;
        return libraryTrack(links, item, `${parent}/${idPart(episode.itemId)}`, parent, {
          title: episode.title,
          album,
          ...(episode.published > 0 ? {date: new Date(episode.published).toISOString().slice(0, 10)} : {}),
        });
      })
      .filter(present);
  };

  const feedOf = (part: string | undefined) => {
    const name = part === undefined ? undefined : fromIdPart(part);
    return name !== undefined && feeds.has(name) ? name : undefined;
  };

  const children = async (id: string): Promise<Entry[]> => {
    const parts = partsOf(ID, id);
    if (parts?.length === 0) return feedEntries();
    const name = parts?.length === 1 ? feedOf(parts[0]) : undefined;
    return name === undefined ? [] : episodes(name);
  };

  return {
    id: ID,
    title: "Podcasts",
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      if (parts.length === 0) return container(ID, "0", "Podcasts", feeds.names().length);
      return findIn(children(parts.length === 1 ? ID : `${ID}/${parts[0]}`), id);
    },
    async items() {
      return feeds.names().flatMap((name) => episodes(name));
    },
  };
}
