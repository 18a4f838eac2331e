import {UpnpError} from "../upnp/soap.js";
import {SORT_CAPABILITIES} from "./libraryTables.js";
import type {Entry} from "./tree.js";

/** SortCriteria (`+dc:title,-dc:date`): the properties GetSortCapabilities lists, each up or down. */

type Key = {property: string; descending: boolean};

/** What GetSortCapabilities lists is what is sorted by: one list, so the two cannot drift apart. */
const SORTABLE = new Set(SORT_CAPABILITIES.split(","));
const collator = new Intl.Collator(undefined, {sensitivity: "base", numeric: true});

export function parseSort(text: string): Key[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (trimmed.length > 512) throw new UpnpError(709, "SortCriteria is longer than 512 characters");
  return trimmed.split(",").map((raw) => {
    const part = raw.trim();
    const sign = part[0] === "+" || part[0] === "-" ? part[0] : "";
    const property = part.slice(sign.length);
    if (!SORTABLE.has(property))
      throw new UpnpError(
        709,
        `Cannot sort by '${property.slice(0, 40)}': sort by ${[...SORTABLE].join(", ")}, each with + or -`,
      );
    return {property, descending: sign === "-"};
  });
}

/**
 * Entries in the asked order (a stable sort: equal ones keep the section's order); missing values
 * last. An entry without a track number (a card's chapter, a recently played card, an episode) has
 * its place in the section's own order as one: Home Assistant always asks for
 * `+upnp:originalTrackNumber,+dc:title`, and chapters, "newest first" and a stream beside its queue
 * must not come out alphabetical.
 */
export function sortEntries(entries: Entry[], keys: Key[]): Entry[] {
  if (keys.length === 0) return entries;
  const place = new Map(entries.map((e, i) => [e, i + 1]));
  return [...entries].sort((a, b) => {
    for (const key of keys) {
      const x = propertyOf(a, key.property, place);
      const y = propertyOf(b, key.property, place);
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const order = typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x), String(y));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
}

function propertyOf(e: Entry, property: string, place: Map<Entry, number>): string | number | undefined {
  if (property === "dc:title") return e.title;
  if (property === "upnp:class") return e.upnpClass;
  if (property === "upnp:originalTrackNumber") return (e.kind === "item" ? e.trackNumber : undefined) ?? place.get(e);
  return e.kind === "item" ? e.date : undefined;
}
