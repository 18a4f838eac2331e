import {letterPairs, pairLikeness} from "../core/closest.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";

/** A card the family can play: one they made (MYO), or one in their library (shop, physical, shared). */
export interface CatalogCard {
  cardId: string;
  title: string;
  madeByFamily: boolean;
}

/** The two reads the catalogue is made of; YotoRest has both. */
export interface CatalogSource {
  myCardTitles(): Promise<Array<{cardId: string; title: string}>>;
  familyLibrary(): Promise<Array<{cardId: string; title: string}>>;
}

export interface CardCatalogOptions {
  source: CatalogSource;
  log: Logger;
  /** How long a read is reused; a name that is not found re-reads at most this often. */
  maxAgeMs?: number;
}

/** Yoto's card ids: five letters and digits. Anything else a caller sends is a title. */
const CARD_ID = /^[A-Za-z0-9]{5}$/;
// Titles are user data of any size: compare only so much of each, and of so many cards.
const MAX_TITLE = 100;
const MAX_CANDIDATES = 2000;
const MAX_SUGGESTIONS = 3;

/**
 * The family's own cards and their library as one list with titles, read briefly cached and on
 * demand, so "play 'The Gruffalo'" works wherever a card id does.
 */
export class CardCatalog {
  readonly #opts: CardCatalogOptions;
  #cached?: {cards: CatalogCard[]; at: number; read?: ReadLists};
  #reading?: Promise<CatalogCard[]>;

  constructor(opts: CardCatalogOptions) {
    this.#opts = opts;
  }

  /** Every card, sorted by title; `fresh` re-reads unless a read finished just now. */
  async list(fresh = false): Promise<CatalogCard[]> {
    const maxAge = this.#opts.maxAgeMs ?? 30_000;
    const cached = this.#cached;
    if (cached && Date.now() - cached.at < (fresh ? Math.min(maxAge, 2000) : maxAge)) return cached.cards;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  /**
   * Every card at once, for a caller that must not wait on Yoto (a voice request): the last list
   * read, and an older one read again in the background for the next caller. Only the very first
   * read is waited for.
   */
  async quick(): Promise<CatalogCard[]> {
    const cached = this.#cached;
    if (!cached) return this.list();
    if (Date.now() - cached.at >= (this.#opts.maxAgeMs ?? 30_000))
      void this.list().catch((err) => this.#opts.log.info(`The card list stays as read before: ${errorMessage(err)}`));
    return cached.cards;
  }

  /**
   * The card id a caller means: a five-character id of a known card wins, then a title matched
   * exactly ignoring case. An id-shaped text that matches nothing is passed on as an id (a shop card
   * outside the library still plays); any other text that matches nothing is refused with the
   * closest titles. A card in the list as last read is played without waiting on Yoto (an old list
   * is read again in the background, as `quick` does): every play every 30 s waited for thousands
   * of cards read again, a voice request for the read it had just begun itself (issue #86). Only a
   * name not in it waits for a fresh read.
   */
  async resolve(idOrTitle: string): Promise<string> {
    const wanted = idOrTitle.trim();
    const looksLikeId = CARD_ID.test(wanted);
    let cards: CatalogCard[];
    try {
      cards = await this.quick();
      if (!find(cards, wanted, looksLikeId)) cards = await this.list(true);
    } catch (err) {
      if (looksLikeId) return wanted;
      throw new AppError(
        "cards_unreadable",
        `Cannot look up the card '${clip(wanted)}': the family's cards could not be read from Yoto (${errorMessage(err)}); use the card's 5-character id instead`,
        {status: 502, expose: true},
      );
    }
    const found = find(cards, wanted, looksLikeId);
    if (found && !Array.isArray(found)) return found.cardId;
    if (Array.isArray(found))
      throw new AppError(
        "ambiguous_card",
        `${found.length} cards are called '${clip(wanted)}': ${listTitles(found, "and")}; use the card id`,
        {status: 409},
      );
    if (looksLikeId) return wanted;
    const close = closestTitles(cards, wanted);
    throw new AppError(
      "unknown_card",
      close.length
        ? `No card called '${clip(wanted)}': did you mean ${listTitles(close, "or")}?`
        : `No card called '${clip(wanted)}' among the family's ${cards.length} cards: use a card id or a card's exact title`,
      {status: 404},
    );
  }

  async #read(): Promise<CatalogCard[]> {
    const [mine, library] = await Promise.allSettled([
      this.#opts.source.myCardTitles(),
      this.#opts.source.familyLibrary(),
    ]);
    if (mine.status === "rejected" && library.status === "rejected") throw mine.reason;
    const own = mine.status === "fulfilled" ? usable(mine.value) : [];
    const theirs = library.status === "fulfilled" ? usable(library.value) : [];
    // Every 30 s the same thousands of cards come back: the same answer is the same list, kept
    // without sorting it again (the sort was most of a re-read's time on the event loop).
    const read = mine.status === "fulfilled" && library.status === "fulfilled" ? {own, theirs} : undefined;
    if (read && this.#cached?.read && sameLists(this.#cached.read, read)) {
      this.#cached = {...this.#cached, at: Date.now()};
      return this.#cached.cards;
    }
    const byId = new Map<string, CatalogCard>();
    // Their own cards first: a MYO card is also in the library, and is the family's either way.
    for (const c of own) byId.set(c.cardId, {...c, madeByFamily: true});
    for (const c of theirs) if (!byId.has(c.cardId)) byId.set(c.cardId, {...c, madeByFamily: false});
    const cards = sameCards(
      this.#cached?.cards,
      [...byId.values()].sort((a, b) => TITLE_ORDER.compare(a.title, b.title)),
    );
    const failed = mine.status === "rejected" ? mine : library.status === "rejected" ? library : undefined;
    if (failed) {
      // Half a list is better than none, but not worth keeping: the next call tries both again.
      this.#opts.log.warning(
        `Could not read the family's ${failed === mine ? "own cards" : "card library"} from Yoto (${errorMessage(failed.reason)}); listing the rest`,
      );
      return cards;
    }
    this.#cached = {cards, at: Date.now(), read};
    return cards;
  }
}

/** Both of Yoto's lists as they were read, in Yoto's order. */
interface ReadLists {
  own: ReadonlyArray<{cardId: string; title: string}>;
  theirs: ReadonlyArray<{cardId: string; title: string}>;
}

/** Whether Yoto's answers said the same: the same cards and titles in the same order. */
function sameLists(a: ReadLists, b: ReadLists): boolean {
  const same = (x: ReadLists["own"], y: ReadLists["own"]) =>
    x.length === y.length && x.every((c, i) => c.cardId === y[i]?.cardId && c.title === y[i]?.title);
  return same(a.own, b.own) && same(a.theirs, b.theirs);
}

/** The order titles are listed in: the locale's, as `localeCompare` gives it, without making a collator per comparison. */
const TITLE_ORDER = new Intl.Collator();

/**
 * The list as read before when nothing in it changed (the same cards, titles and owners, in the
 * same order), else the one read now: every 30 s the same thousands of cards are read again, and
 * what is built from them (the catalogue voice reads, its titles) is kept while the list is the same.
 */
function sameCards(before: CatalogCard[] | undefined, read: CatalogCard[]): CatalogCard[] {
  if (!before || before.length !== read.length) return read;
  for (let i = 0; i < read.length; i++) {
    const a = before[i] as CatalogCard;
    const b = read[i] as CatalogCard;
    if (a.cardId !== b.cardId || a.title !== b.title || a.madeByFamily !== b.madeByFamily) return read;
  }
  return before;
}

/** Entries with a string id; a missing title reads as the id. Yoto's lists are not ours to trust. */
function usable(list: unknown): Array<{cardId: string; title: string}> {
  if (!Array.isArray(list)) return [];
  const out: Array<{cardId: string; title: string}> = [];
  for (const entry of list as Array<{cardId?: unknown; title?: unknown} | null>) {
    const cardId = entry?.cardId;
    if (typeof cardId !== "string" || cardId === "") continue;
    const title = typeof entry?.title === "string" && entry.title.trim() ? entry.title : cardId;
    // Yoto caps titles at 100 characters; anything far longer is not a title worth keeping whole.
    out.push({cardId, title: title.length > 2 * MAX_TITLE ? `${title.slice(0, MAX_TITLE)}…` : title});
  }
  return out;
}

/** The card with that id, else the one card with that title, else every card sharing it. */
function find(cards: CatalogCard[], wanted: string, looksLikeId: boolean): CatalogCard | CatalogCard[] | undefined {
  if (looksLikeId) {
    const byId = cards.find((c) => c.cardId === wanted);
    if (byId) return byId;
  }
  const lower = wanted.toLowerCase();
  const named = cards.filter((c) => c.title.trim().toLowerCase() === lower);
  return named.length === 1 ? named[0] : named.length > 1 ? named : undefined;
}

/**
 * Up to three titles most like `wanted`: containing it (or contained in it) first, then by shared
 * letter pairs. Linear in the text compared, which is capped per title and in number of cards.
 */
export function closestTitles(cards: CatalogCard[], wanted: string): CatalogCard[] {
  const target = normalise(wanted);
  if (!target) return [];
  const targetPairs = letterPairs(target);
  const scored: Array<{card: CatalogCard; score: number}> = [];
  for (const card of cards.slice(0, MAX_CANDIDATES)) {
    const title = normalise(card.title);
    if (!title) continue;
    const contains = title.includes(target) || target.includes(title);
    const score = (contains ? 1 : 0) + pairLikeness(targetPairs, letterPairs(title));
    if (contains || score >= 0.45) scored.push({card, score});
  }
  return scored
    .sort((a, b) => b.score - a.score || a.card.title.localeCompare(b.card.title))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.card);
}

function normalise(text: string): string {
  return text.slice(0, MAX_TITLE).toLowerCase().replace(/\s+/g, " ").trim();
}

/** "'A' (id1), 'B' (id2) or 'C' (id3)". */
function listTitles(cards: CatalogCard[], last: "and" | "or"): string {
  const named = cards.slice(0, 5).map((c) => `'${clip(c.title)}' (${c.cardId})`);
  if (cards.length > 5) named.push(`${cards.length - 5} more`);
  return named.length > 1 ? `${named.slice(0, -1).join(", ")} ${last} ${named.at(-1)}` : (named[0] ?? "");
}

/** Error messages quote what they were given, but not a novel of it. */
function clip(text: string): string {
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE)}…` : text;
}

/**
 * How many tracks a card's content holds (all its chapters'), or undefined when the content says
 * nothing of them (a shop card Yoto only lists): a renderer offers Next and Previous on a card
 * only where there is somewhere to go.
 */
export function trackCount(card: {content?: Record<string, unknown>}): number | undefined {
  const chapters = card.content?.chapters;
  if (!Array.isArray(chapters)) return undefined;
  let tracks = 0;
  for (const chapter of chapters) {
    const list = (chapter as {tracks?: unknown} | null)?.tracks;
    tracks += Array.isArray(list) ? list.length : 0;
  }
  return tracks;
}
