import type {LibraryItem} from "../library/types.js";

/** Paths named in an ambiguity; a title shared by dozens of files lists a few and counts the rest. */
const NAMED = 5;

/**
 * A library item by its title, as a family writes it (`library:Twinkle Tone`, a rule's `items:`,
 * a story scene): the panel shows titles, while ids and paths are what it shows least. The exact
 * title first, then the same letters in any case. A title two items share is refused, naming their
 * paths, rather than one of them picked; undefined when no item has the title.
 */
export function itemByTitle(
  items: readonly LibraryItem[],
  ref: string,
): {item: LibraryItem; problem?: undefined} | {item?: undefined; problem: string} | undefined {
  let found = items.filter((i) => i.title === ref);
  if (found.length === 0) {
    const lower = ref.toLowerCase();
    found = items.filter((i) => i.title.toLowerCase() === lower);
  }
  if (found.length === 1) return {item: found[0] as LibraryItem};
  if (found.length === 0) return undefined;
  const paths = found
    .map((i) => i.relPath)
    .sort()
    .slice(0, NAMED)
    .map((p) => `'${p}'`);
  const more = found.length > NAMED ? ` and ${found.length - NAMED} more` : "";
  return {
    problem: `'${ref}' is the title of ${found.length} library items (${paths.join(", ")}${more}): use the path of the one you mean`,
  };
}
