import type {Feeds} from "../../feeds/feeds.js";
import type {Library} from "../../library/library.js";
import {inWords} from "../../streams/model.js";
import type {Entry, EntryBase, ItemEntry, LibrarySection} from "../tree.js";
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

/**
 * "Podcasts": each followed feed → the episodes its stream holds, newest first, with the feed's own
 * cover (its itunes:image) on the podcast and on each episode.
 */
export function podcastsSection(
  feeds: Pick<Feeds, "names" | "has" | "episodes" | "view">,
  library: Pick<Library, "get">,
  links: AudioLinks,
): LibrarySection {
  const about = (name: string) => {
    const view = feeds.view(name);
    const art: Pick<EntryBase, "albumArt" | "albumArtForeign"> = view.image
      ? {albumArt: view.image, albumArtForeign: true}
      : {};
    return {title: view.title ?? inWords(name), art};
  };
  const feedEntries = (): Entry[] =>
    feeds
      .names()
      .map((name) => {
        const {title, art} = about(name);
        return {...container(`${ID}/${idPart(name)}`, ID, title, feeds.episodes(name).length, PLAYLIST), ...art};
      })
      .sort((a, b) => a.title.localeCompare(b.title));

  const episodes = (name: string): ItemEntry[] => {
    const parent = `${ID}/${idPart(name)}`;
    const {title: album, art} = about(name);
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
          ...art,
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
