import type {Archive} from "../../archive/archive.js";
import type {Cards} from "../../cards/cards.js";
import type {Feeds} from "../../feeds/feeds.js";
import type {History} from "../../history/history.js";
import type {Library} from "../../library/library.js";
import type {Stories} from "../../stories/index.js";
import type {Streams} from "../../streams/streams.js";
import type {LibrarySection} from "../tree.js";
import {cardsSection} from "./cards.js";
import type {AudioLinks} from "./common.js";
import {librarySection} from "./library.js";
import {podcastsSection} from "./podcasts.js";
import {radioSection} from "./radio.js";
import {recentSection} from "./recent.js";
import {storiesSection} from "./stories.js";
import {streamsSection} from "./streams.js";

export interface SectionServices {
  archive: Archive;
  streams: Streams;
  feeds: Feeds;
  stories: Stories;
  library: Library;
  history: History;
  cards: Cards;
  links: {expiring(hours: number): AudioLinks};
}

/**
 * How long a link the library hands out works: a day (to the next whole hour), plenty to play what
 * was just browsed; a control point that keeps links longer browses again. Links on cards are not
 * these: a card's links last as long as the signing key (docs/security.md).
 */
export const LIBRARY_LINK_HOURS = 24;

/** The top-level containers of the family's library, in the order a parent reads them. */
export function librarySections(s: SectionServices): LibrarySection[] {
  const links = s.links.expiring(LIBRARY_LINK_HOURS);
  const cards = cardsSection(s.archive, links);
  const titles = {cards: s.cards, feeds: s.feeds, archive: s.archive};
  return [
    cards,
    streamsSection(s.streams, s.library, titles, s.stories, links),
    radioSection(s.streams, titles, links),
    podcastsSection(s.feeds, s.library, links),
    storiesSection(s.stories, s.streams, s.library, links),
    librarySection(s.library, links),
    recentSection(s.history, cards, s.cards, s.streams, links),
  ];
}
