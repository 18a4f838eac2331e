import type {CatalogCard} from "../yoto/cardCatalog.js";

/** Home Assistant lists every option in the select's discovery payload: keep that payload small. */
export const MAX_CARD_OPTIONS = 150;
/** Longer titles are cut, so one odd title cannot blow up every player's discovery payload. */
const MAX_OPTION_LENGTH = 80;

/**
 * The options of each player's "Play a card" select: the family's cards by title, sorted, each
 * option naming one card. Two cards with one title are told apart by their id, and the select
 * sends the option back, which maps to the card's id here (titles may change or repeat).
 */
export class CardOptions {
  #options: string[] = [];
  #byOption = new Map<string, string>();
  #byCard = new Map<string, string>();

  get options(): readonly string[] {
    return this.#options;
  }

  /** Take a fresh card list; true when the options changed (discovery then needs republishing). */
  update(cards: readonly CatalogCard[]): boolean {
    const counts = new Map<string, number>();
    const label = (c: CatalogCard) => (c.title.trim() || c.cardId).slice(0, MAX_OPTION_LENGTH);
    for (const c of cards) counts.set(label(c), (counts.get(label(c)) ?? 0) + 1);
    const byOption = new Map<string, string>();
    for (const c of cards) {
      if (byOption.size >= MAX_CARD_OPTIONS) break;
      const title = label(c);
      const option = (counts.get(title) ?? 0) > 1 ? `${title} (${c.cardId})` : title;
      if (!byOption.has(option)) byOption.set(option, c.cardId);
    }
    const options = [...byOption.keys()].sort((a, b) => a.localeCompare(b));
    const changed = options.length !== this.#options.length || options.some((o, i) => o !== this.#options[i]);
    this.#options = options;
    this.#byOption = byOption;
    this.#byCard = new Map([...byOption].map(([option, id]) => [id, option]));
    return changed;
  }

  cardFor(option: string): string | undefined {
    return this.#byOption.get(option);
  }

  /** The option showing the card a player plays, or null when the list does not have it. */
  optionFor(cardId: string | null): string | null {
    return cardId ? (this.#byCard.get(cardId) ?? null) : null;
  }
}
