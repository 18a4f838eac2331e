import {forEachLimited} from "../core/concurrency.js";
import {within} from "../core/within.js";
import {kindCover} from "./covers.js";
import type {Playable} from "./shelfItems.js";

/** How long a shelf read waits for cards' covers it has not seen: after that they come on a later read. */
const COVER_WAIT_MS = 1500;
const CONCURRENCY = 4;
const MAX_KEPT = 5000;
/** A card's cover is asked again this often: a family may give a card new art. */
const KEPT_MS = 6 * 3600_000;

/**
 * Cards' own covers (Yoto's art) for the shelf, read once and kept; anything without one gets a
 * picture of its kind. Only `https:` art is passed on: the page loads it as an image as it is.
 */
export class ShelfCovers {
  readonly #known = new Map<string, {image: string | null; at: number}>();

  constructor(
    readonly summary: (cardId: string) => Promise<{image?: string} | undefined>,
    readonly now: () => number = Date.now,
  ) {}

  cover(p: Playable): string {
    const image = p.kind === "card" ? this.#known.get(p.id)?.image : undefined;
    return image ?? kindCover(p.kind, p.title);
  }

  /** Read the covers of cards not known yet (or old), waiting at most a moment. */
  async fetch(cardIds: readonly string[]): Promise<void> {
    const now = this.now();
    const wanted = cardIds.filter((id) => {
      const known = this.#known.get(id);
      return !known || now - known.at > KEPT_MS;
    });
    if (wanted.length === 0) return;
    const reads = forEachLimited(wanted, CONCURRENCY, async (id) => {
      const image = (await this.summary(id).catch(() => undefined))?.image;
      if (this.#known.size >= MAX_KEPT) this.#known.clear();
      this.#known.set(id, {image: image && /^https:\/\//i.test(image) ? image : null, at: this.now()});
    });
    await within(reads, COVER_WAIT_MS).catch(() => undefined);
  }
}
