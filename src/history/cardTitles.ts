import type {CatalogCard} from "../yoto/cardCatalog.js";

/** Where titles come from: the family's card list, and Yoto's answer about one card (shop cards too). */
export interface TitleSource {
  familyCards(): Promise<CatalogCard[]>;
  cardSummary(cardId: string): Promise<{title?: string} | undefined>;
}

// A family has hundreds of cards at most; past this the oldest titles are forgotten (and read again).
const MAX_TITLES = 2000;

/**
 * Card titles for the history, as the "Play a card" picker knows them: the family's list first (one
 * read, cached by the catalogue, covers every card they own), then the card itself. A card nobody
 * can name is remembered as such, so a playing radio card does not ask Yoto every minute.
 */
export class CardTitles {
  readonly #source: TitleSource;
  readonly #titles = new Map<string, string | null>();

  constructor(source: TitleSource) {
    this.#source = source;
  }

  /** The title when already known; undefined when it has to be looked up. */
  known(cardId: string): string | undefined {
    return this.#titles.get(cardId) ?? undefined;
  }

  /** The title, or undefined when neither the family's list nor Yoto knows it. Never throws. */
  async lookUp(cardId: string): Promise<string | undefined> {
    if (this.#titles.has(cardId)) return this.#titles.get(cardId) ?? undefined;
    let title: string | undefined;
    try {
      title = (await this.#source.familyCards()).find((c) => c.cardId === cardId)?.title;
    } catch {
      // The list could not be read now: the card itself may still answer.
    }
    if (!title) title = (await this.#source.cardSummary(cardId).catch(() => undefined))?.title;
    if (this.#titles.size >= MAX_TITLES) this.#titles.clear();
    this.#titles.set(cardId, title?.trim() || null);
    return title?.trim() || undefined;
  }
}
