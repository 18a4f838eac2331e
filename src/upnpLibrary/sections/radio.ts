import type {Cards} from "../../cards/cards.js";
import type {Streams} from "../../streams/streams.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {type AudioLinks, container, findIn, idPart, partsOf, present} from "./common.js";
import {streamItem, streamTitles} from "./streams.js";

const ID = "radio";

/**
 * "Radio": each station stream as one endless item (one upstream connection however many listen),
 * called by the title of a card made here that plays it, else by the stream's name.
 */
export function radioSection(
  streams: Pick<Streams, "list">,
  cards: Pick<Cards, "list">,
  links: AudioLinks,
): LibrarySection {
  const stations = (): ItemEntry[] => {
    const titleOf = streamTitles(cards);
    return streams
      .list()
      .filter((s) => s.radio)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => streamItem(links, s, `${ID}/${idPart(s.name)}`, ID, {title: titleOf(s.name)}))
      .filter(present);
  };
  const children = async (id: string): Promise<Entry[]> => (id === ID ? stations() : []);
  return {
    id: ID,
    title: "Radio",
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts) return undefined;
      return parts.length === 0 ? container(ID, "0", "Radio", stations().length) : findIn(children(ID), id);
    },
    async items() {
      return stations();
    },
  };
}
