import type {Cards} from "../../cards/cards.js";
import type {History} from "../../history/history.js";
import type {Streams} from "../../streams/streams.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {type AudioLinks, container, findIn, partsOf, present} from "./common.js";
import {streamItem} from "./streams.js";

const ID = "recent";
/** Sessions looked at: a few days of a family's listening. */
const SESSIONS = 200;
/** Cards listed. */
const SHOWN = 25;

/**
 * "Recently played": the cards the family listened to last (from the listening history), newest
 * first, each once: an archived card as a container of its tracks (played from the archive), a card
 * this service made from a stream as that stream. Shop cards are not held here and are left out.
 */
export function recentSection(
  history: Pick<History, "sessions">,
  cardsSection: LibrarySection,
  cards: Pick<Cards, "find">,
  streams: Pick<Streams, "has" | "get">,
  links: AudioLinks,
): LibrarySection {
  const recentCards = async (): Promise<string[]> => {
    // A history that is not running (its database failed) lists nothing, rather than failing a browse.
    const page = await history.sessions({limit: SESSIONS}).catch(() => ({sessions: []}));
    const seen = new Set<string>();
    for (const s of page.sessions) if (s.cardId && seen.size < SHOWN) seen.add(s.cardId);
    return [...seen];
  };

  const entryOf = async (cardId: string): Promise<Entry | undefined> => {
    const archived = await cardsSection.entry(`cards/${cardId}`);
    if (archived?.kind === "container") {
      const count = (await tracksOf(cardId)).length;
      return {...archived, id: `${ID}/${cardId}`, parentId: ID, childCount: count};
    }
    // Under the card's title, as the family knows it from the player (not the stream's name).
    const card = cards.find(cardId);
    const source = card?.source;
    if ((source?.type === "stream" || source?.type === "feed") && streams.has(source.stream))
      return streamItem(links, streams.get(source.stream), `${ID}/${cardId}`, ID, {title: card?.title});
    return undefined;
  };

  // The card's tracks as the Cards section lists them, under this section's ids.
  const tracksOf = async (cardId: string): Promise<ItemEntry[]> => {
    const out: ItemEntry[] = [];
    const add = (track: ItemEntry) =>
      out.push({...track, id: `${ID}/${track.id.slice("cards/".length)}`, parentId: `${ID}/${cardId}`});
    // A one-track chapter is an item itself; a chapter of several tracks is a folder of them.
    for (const chapter of await cardsSection.children(`cards/${cardId}`))
      if (chapter.kind === "item") add(chapter);
      else for (const track of await cardsSection.children(chapter.id)) if (track.kind === "item") add(track);
    return out;
  };

  const top = async (): Promise<Entry[]> => (await Promise.all((await recentCards()).map(entryOf))).filter(present);

  const children = async (id: string): Promise<Entry[]> => {
    const parts = partsOf(ID, id);
    if (parts?.length === 0) return top();
    return parts?.length === 1 && (await recentCards()).includes(parts[0] as string)
      ? tracksOf(parts[0] as string)
      : [];
  };

  return {
    id: ID,
    title: "Recently played",
    copies: true,
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      if (parts.length === 0) return container(ID, "0", "Recently played", (await top()).length);
      if (parts.length === 1) return findIn(top(), id);
      return findIn(children(`${ID}/${parts[0]}`), id);
    },
    async items() {
      const out: ItemEntry[] = [];
      for (const entry of await top())
        if (entry.kind === "item") out.push(entry);
        else out.push(...(await tracksOf(entry.id.slice(ID.length + 1))));
      return out;
    },
  };
}
