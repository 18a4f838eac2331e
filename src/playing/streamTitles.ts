import type {Archive} from "../archive/archive.js";
import type {Cards} from "../cards/cards.js";
import {givenTitle} from "../cards/sources.js";
import type {Feeds} from "../feeds/feeds.js";
import {inWords} from "../streams/model.js";

/** Where a stream's title may come from, besides its name. */
export interface TitleSources {
  cards: Pick<Cards, "list">;
  feeds: Pick<Feeds, "has" | "view">;
  /** The archive, whose streams (`archive-<card>`) are named after the cards they were made from. */
  archive?: Pick<Archive, "overview">;
}

/** What the streams made from archived cards were once named: `archive-<card id in lower case>`. */
const ARCHIVE_STREAM = /^archive-(.+)$/;

export interface StreamTitles {
  (name: string): string;
  /** A card made here plays it (the family made it into something to put in a player). */
  carded(name: string): boolean;
  /** Every title the family gave the cards made from it, the first (its title) first; none when no card plays it. */
  cardTitles(name: string): readonly string[];
  /**
   * The card that gives the stream its title (the first titled one), which plays when the stream
   * is played; every other titled card made from it is a thing of its own, played and said by its own title.
   */
  namingCard(name: string): string | undefined;
}

/**
 * What the family calls each stream or station (a stream's name is a key a parent typed once, not a
 * title): the title of a card made here that plays it ("The Gruffalo"), else the podcast's title for
 * a feed stream, else the archived card's title for the stream made from it (`archive-dfam1`), else
 * the name in words ("tone-fm" is "Tone fm"). The catalogue, the child's page, voice and the media
 * library all name a stream by it, so "what's playing" and the shelf say what the family typed.
 */
export function streamTitles(from: TitleSources): StreamTitles {
  // A set per stream, in the cards' order: a stream with thousands of cards is read in one pass.
  const sets = new Map<string, Set<string>>();
  const naming = new Map<string, string>();
  /** Every stream a card plays, whatever its title. */
  const carded = new Set<string>();
  for (const card of from.cards.list()) {
    if (card.source.type !== "stream" && card.source.type !== "feed") continue;
    const {stream} = card.source;
    carded.add(stream);
    // A card given no title was named after its stream (Cards.fromStream, as voice makes one the
    // first time a stream plays; now the name in words): that names nothing the feed's title or
    // the archived card's title would not name better.
    const given = givenTitle({title: card.title, source: {stream}});
    if (given === undefined) continue;
    const all = sets.get(stream);
    if (!all) {
      sets.set(stream, new Set([given]));
      naming.set(stream, card.cardId);
    } else all.add(given);
  }
  let archived: Map<string, string> | undefined;
  const archivedTitle = (name: string): string | undefined => {
    const cardId = ARCHIVE_STREAM.exec(name)?.[1];
    if (cardId === undefined || !from.archive) return undefined;
    archived ??= new Map(from.archive.overview().cards.map((c) => [c.cardId.toLowerCase(), c.title]));
    return archived.get(cardId);
  };
  const title = (name: string): string =>
    sets.get(name)?.values().next().value ??
    (from.feeds.has(name) ? from.feeds.view(name).title : null) ??
    archivedTitle(name) ??
    inWords(name);
  return Object.assign(title, {
    carded: (name: string) => carded.has(name),
    cardTitles: (name: string): readonly string[] => [...(sets.get(name) ?? [])],
    namingCard: (name: string) => naming.get(name),
  });
}
