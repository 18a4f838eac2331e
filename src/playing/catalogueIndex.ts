import type {ShelfChoice} from "../shared/api/shelf.js";
import type {CatalogueEntry} from "./types.js";

/** A card group with its cards, in order. */
export interface GroupCards {
  id: string;
  name: string;
  cardIds: string[];
}

/** What the shelf's references are read against, indexed once per read (a shelf of 100 in a library of thousands stays linear). */
export class CatalogueIndex {
  readonly #byKind = new Map<string, Map<string, CatalogueEntry>>();
  readonly #groups = new Map<string, GroupCards>();

  constructor(choices: readonly CatalogueEntry[], groups: readonly GroupCards[]) {
    for (const choice of choices) {
      const kind = choice.kind === "station" || choice.kind === "podcast" ? "stream" : choice.kind;
      const map = this.#byKind.get(kind) ?? new Map<string, CatalogueEntry>();
      this.#byKind.set(kind, map);
      // By id, then by title (lower case): the first of a title wins, as a card's title does in play_card.
      if (!map.has(choice.id)) map.set(choice.id, choice);
      const title = `\u0000${choice.title.toLowerCase()}`;
      if (!map.has(title)) map.set(title, choice);
    }
    for (const group of groups) {
      this.#groups.set(group.id, group);
      const key = `\u0000${group.name.toLowerCase()}`;
      if (!this.#groups.has(key)) this.#groups.set(key, group);
    }
  }

  find(kind: "card" | "group" | "story" | "stream" | "item", name: string): CatalogueEntry | undefined {
    const map = this.#byKind.get(kind);
    return (
      map?.get(name) ?? (kind === "stream" || kind === "item" ? undefined : map?.get(`\u0000${name.toLowerCase()}`))
    );
  }

  group(name: string): GroupCards | undefined {
    return this.#groups.get(name) ?? this.#groups.get(`\u0000${name.toLowerCase()}`);
  }

  /**
   * Every playable thing as a parent picks it, by reference, each once: not a part of something
   * else (a story's scene audio, its lullaby stream: the story is the choice), nor a card this
   * service made for one of its streams (the stream is).
   */
  choices(): ShelfChoice[] {
    const out: ShelfChoice[] = [];
    for (const map of this.#byKind.values())
      for (const [key, p] of map)
        if (!key.startsWith("\u0000") && p.partOf === undefined && p.streamCard === undefined)
          out.push({ref: refOf(p), kind: p.kind, title: p.title});
    return out;
  }
}

/** The reference a parent's pick is kept as. */
export function refOf(p: CatalogueEntry): string {
  switch (p.kind) {
    case "card":
      return p.id;
    case "group":
      return `group:${p.title}`;
    case "story":
      return `story:${p.id}`;
    case "item":
      return `library:${p.id}`;
    default:
      return `stream:${p.id}`;
  }
}

/** What the shelf plays a playable thing by (and names its picture by): its reference, with a card and a group always by their ids. */
export function itemId(p: CatalogueEntry): string {
  if (p.kind === "card" || p.kind === "group") return `${p.kind}:${p.id}`;
  return refOf(p);
}
