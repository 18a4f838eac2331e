import type {CatalogueEntry} from "../playing/types.js";

/** How long "play the second one" may follow the titles named. */
export const OFFER_MS = 60_000;
/** Satellites remembered at once: past this, the oldest offer goes. */
const MAX_OFFERS = 100;

/**
 * Titles named to choose from, for whom (its player and child), and what was said to be offered
 * them ("radio"): a choice named for another child is asked again in those words.
 */
export interface Offer {
  options: CatalogueEntry[];
  playerId: string;
  child?: string;
  what: string;
  at: number;
}

/**
 * The titles each satellite last named to choose from ("Which one: The Sleepy Dragon, Dragon Songs or
 * The Dragon's Egg?"), so "play the second one" said to the same satellite within a minute plays it.
 * A request without a satellite (the API, a script) shares one place.
 */
export class VoiceOffers {
  readonly #offers = new Map<string, Offer>();

  constructor(private readonly now: () => number) {}

  keep(satellite: string | undefined, offer: Omit<Offer, "at">): void {
    const key = satellite ?? "";
    this.#offers.delete(key);
    this.#offers.set(key, {...offer, at: this.now()});
    for (const old of this.#offers.keys()) {
      if (this.#offers.size <= MAX_OFFERS) break;
      this.#offers.delete(old);
    }
  }

  /** The offer this satellite heard within the minute, if any. */
  recent(satellite: string | undefined): Offer | undefined {
    const offer = this.#offers.get(satellite ?? "");
    return offer && this.now() - offer.at <= OFFER_MS ? offer : undefined;
  }

  clear(): void {
    this.#offers.clear();
  }
}
