import {trackCount} from "./cardCatalog.js";
import {type Card, YotoApiError, type YotoRest} from "./rest.js";

const CARD_CACHE_MS = 60_000;

/**
 * Cards' content as the players' commands and displays need it, each kept a minute: a command
 * reads its card's chapters, and several commands on one card come close together.
 */
export class CardContents {
  readonly #rest: Pick<YotoRest, "content" | "card">;
  readonly #cards = new Map<string, {card: Card; at: number}>();

  constructor(rest: Pick<YotoRest, "content" | "card">) {
    this.#rest = rest;
  }

  /**
   * A card's content. `/content/{id}` reads only the family's own cards (reference §10.9); shop and
   * physical cards answer 404 there and are read through `/card/{id}` instead.
   */
  async get(cardId: string): Promise<Card> {
    const cached = this.#cards.get(cardId);
    if (cached && Date.now() - cached.at < CARD_CACHE_MS) return cached.card;
    let card: Card;
    try {
      card = await this.#rest.content(cardId);
    } catch (err) {
      if (!(err instanceof YotoApiError) || (err.status !== 404 && err.status !== 403)) throw err;
      card = (await this.#rest.card(cardId)).card;
    }
    this.#cards.set(cardId, {card, at: Date.now()});
    return card;
  }

  /** Title, artwork and track count of a card, for display (shop cards too); undefined when Yoto cannot read it. */
  async summary(cardId: string): Promise<{title?: string; image?: string; tracks?: number} | undefined> {
    try {
      const card = await this.get(cardId);
      const cover = (card.metadata as {cover?: {imageL?: unknown}} | undefined)?.cover?.imageL;
      return {title: card.title, image: typeof cover === "string" ? cover : undefined, tracks: trackCount(card)};
    } catch {
      return undefined;
    }
  }
}
