import type {EventBus, EventName} from "../core/events.js";
import type {CatalogueEntry} from "./types.js";

/**
 * What changes something the catalogue is made of, besides the lists read from Yoto and the
 * stories (compared as they are read): the cards made here (a title, what a card plays), a
 * stream (added, renamed in words, deleted, its scene parts), a podcast's title, a library item
 * (a narration made is one), an archived card's title, a story's cards or narration, the rules
 * (stories load with them).
 */
export const CATALOGUE_CHANGES: readonly EventName[] = [
  "card.changed",
  "stream.changed",
  "stream.deleted",
  "feed.followed",
  "feed.refreshed",
  "library.changed",
  "archive.changed",
  "story.narrationProgress",
  "story.cardsChanged",
  "rules.changed",
];

/** The lists a catalogue was built from, compared item by item (each item is kept as read, never changed in place). */
export interface CatalogueLists {
  cards: readonly object[];
  groups: readonly object[];
  stories: readonly object[];
}

/**
 * The catalogue as last built, given again while nothing it is made of changed (issue #99: a voice
 * request rebuilt it, thousands of entries, every time). Changed means: an event of
 * `CATALOGUE_CHANGES` since it was built, or a list read from Yoto (the family's cards, their
 * groups) or the stories that is not the same items in the same order. Never by age: the lists are
 * read again as before (every 30 s), and the catalogue follows what they hold. Only while started
 * (listening): a catalogue nobody started builds every time, as it always did.
 */
export class CatalogueCache {
  readonly #bus?: Pick<EventBus, "on" | "off">;
  #generation = 0;
  #listening = false;
  #kept?: {generation: number; lists: CatalogueLists; choices: readonly CatalogueEntry[]};

  constructor(bus?: Pick<EventBus, "on" | "off">) {
    this.#bus = bus;
  }

  start(): void {
    if (!this.#bus || this.#listening) return;
    for (const event of CATALOGUE_CHANGES) this.#bus.on(this, event, () => this.changed());
    this.#listening = true;
  }

  stop(): void {
    this.#bus?.off(this);
    this.#listening = false;
    this.#kept = undefined;
  }

  /** Something the catalogue is made of changed: the next read builds it again. */
  changed(): void {
    this.#generation++;
    this.#kept = undefined;
  }

  /** The catalogue kept for these lists, if nothing changed since it was built. */
  get(lists: CatalogueLists): readonly CatalogueEntry[] | undefined {
    const kept = this.#kept;
    if (!this.#listening || !kept || kept.generation !== this.#generation) return undefined;
    const same =
      sameItems(kept.lists.cards, lists.cards) &&
      sameItems(kept.lists.groups, lists.groups) &&
      sameItems(kept.lists.stories, lists.stories);
    return same ? kept.choices : undefined;
  }

  /**
   * The generation a build starts from: taken (with the lists) before it reads anything else, in
   * the same turn of the event loop, so a change during a later wait is never hidden by it.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Keep what was built from `lists` at `generation` (nothing when something changed meanwhile). */
  keep(generation: number, lists: CatalogueLists, choices: readonly CatalogueEntry[]): void {
    if (this.#listening && generation === this.#generation) this.#kept = {generation, lists, choices};
  }
}

/** The same items in the same order: pointers compared, no item read. */
function sameItems(a: readonly object[], b: readonly object[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
