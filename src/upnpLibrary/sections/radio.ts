import {streamTitles, type TitleSources} from "../../playing/streamTitles.js";
import type {Streams} from "../../streams/streams.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {type AudioLinks, container, findIn, idPart, partsOf, present} from "./common.js";
import {streamItem} from "./streams.js";

const ID = "radio";

/**
 * "Radio": each station stream as one endless item (one upstream connection however many listen),
 * called by the title of a card made here that plays it, else by its name in words (titles.ts).
 */
export function radioSection(streams: Pick<Streams, "list">, titles: TitleSources, links: AudioLinks): LibrarySection {
  const stations = (): ItemEntry[] => {
    const titleOf = streamTitles(titles);
    return streams
      .list()
      .filter((s) => s.radio)
      .map((s) => streamItem(links, s, `${ID}/${idPart(s.name)}`, ID, {title: titleOf(s.name)}))
      .filter(present)
      .sort((a, b) => a.title.localeCompare(b.title));
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
