import {closestName} from "../core/closest.js";
import {childSlug} from "./childNames.js";
import {problem} from "./planFields.js";
import type {Mistakes} from "./planMistakes.js";

/** A shelf past this many is no shelf a child can look along: the parent is told to choose. */
export const MAX_SHELF = 100;
/** The references a shelf takes besides a plain card id or title (which may itself hold a colon). */
export const SHELF_PREFIXES = ["card", "group", "story", "stream", "library"] as const;
export type ShelfPrefix = (typeof SHELF_PREFIXES)[number];
/** The tile of the child's own story radio. */
export const STORY_RADIO_REF = "story-radio";
const MAX_REF = 200;
const CONTROL = /\p{Cc}/u;

/** Where a child's story radio streams: `story-radio-mia`. */
export const STORY_RADIO_PREFIX = "story-radio-";
export function storyRadioStream(child: string): string {
  return `${STORY_RADIO_PREFIX}${childSlug(child).replace(/_/g, "-")}`.slice(0, 64);
}

/** A shelf reference split into its kind and what it names: `stream:bedtime` → stream, "bedtime". */
export function shelfRef(ref: string): {prefix: ShelfPrefix | "radio"; name: string} {
  if (ref.trim().toLowerCase() === STORY_RADIO_REF) return {prefix: "radio", name: ""};
  const colon = ref.indexOf(":");
  const prefix = colon > 0 ? ref.slice(0, colon).toLowerCase() : "";
  const known = SHELF_PREFIXES.find((p) => p === prefix);
  return known ? {prefix: known, name: ref.slice(colon + 1).trim()} : {prefix: "card", name: ref};
}

/**
 * The plan's `shelf`: a list of references as `play_media` takes them, each once. A stream is
 * checked now (the only kind known at once); a card or an item that is gone later is shown to the
 * parent as missing, never refused after the fact. Each entry's mistake goes into `m`: all at once.
 */
export function checkShelf(
  value: unknown,
  streams: {exists(name: string): boolean; names(): string[]},
  m: Mistakes,
): string[] {
  if (!Array.isArray(value) || value.length > MAX_SHELF)
    throw problem(
      "shelf",
      `must be a list of at most ${MAX_SHELF} things to play (a card, "group:<name>", "story:<title>", "stream:<name>", "library:<id>", "story-radio")`,
      Array.isArray(value) ? `${value.length} items` : value,
    );
  const seen = new Set<string>();
  const refs = value.map((raw, i) =>
    m.take(() => {
      const at = `shelf[${i}]`;
      if (typeof raw !== "string" || raw.trim() === "" || raw.length > MAX_REF || CONTROL.test(raw))
        throw problem(
          at,
          `must be a card id or title, or a reference such as "stream:bedtime" (1 to ${MAX_REF} characters)`,
          raw,
        );
      const ref = raw.trim();
      const {prefix, name} = shelfRef(ref);
      if (prefix !== "radio" && name === "") throw problem(at, `names nothing after '${prefix}:'`, raw);
      if (prefix === "stream" && name.startsWith(STORY_RADIO_PREFIX))
        throw problem(at, `is a child's story radio: put "${STORY_RADIO_REF}" on a shelf for that child's own`, raw);
      if (prefix === "stream" && !streams.exists(name)) {
        const close = closestName(name, streams.names());
        throw problem(at, close ? `names no stream: did you mean 'stream:${close}'?` : "names no stream", raw);
      }
      // The same thing written twice ("Stream:demo", "stream: demo") is twice, whatever its case or spaces.
      const key = prefix === "radio" ? prefix : `${prefix}:${name.toLowerCase()}`;
      if (seen.has(key)) throw problem(at, "is on the shelf twice", raw);
      seen.add(key);
      return ref;
    }),
  );
  return refs.filter((r) => r !== undefined);
}
