import {cleanTitle} from "../core/cleanTitle.js";
import type {StoryOrigin} from "../shared/api/cards.js";
import type {StoryMode} from "../shared/api/stories.js";
import {inWords} from "../streams/model.js";
import type {CardBody, TrackSource} from "./cardJson.js";

export type {StoryOrigin};

/** One scene's track as the story lays it out: Cards signs the path and picks the icon. */
export interface StoryTrack {
  title: string;
  /** The path the audio listener serves the scene at. */
  path: string;
  icon?: string;
  /** Seconds and bytes of the scene's audio, when known as the card is written. */
  duration?: number;
  fileSize?: number;
}

/** Stories register this: a story as a card body, with its tracks made by Cards. */
export interface StoryCardSource {
  storyCard(
    storyId: string,
    mode: StoryMode | undefined,
    track: (scene: StoryTrack) => TrackSource,
    /** The icon chosen for the story's cards (kept with them), over the story's own. */
    icon?: string,
  ): {body: CardBody; origin: StoryOrigin};
}

/** Feeds register this: a stream that follows a feed becomes a card with a chapter per episode. */
export interface FeedCardSource {
  has(stream: string): boolean;
  episodes(stream: string): ReadonlyArray<{title: string; itemId: string}>;
  /** The podcast's own title (null until the feed is first read): a card of it is titled so. */
  view(stream: string): {title: string | null};
}

/**
 * A feature whose streams the family knows by a name of their own registers this: the archive (a
 * stream made from an archived card is that card, by its title), story radio ("Mia's story radio").
 */
export interface StreamTitleSource {
  /** The title the family knows this stream by, else undefined (not this feature's stream). */
  streamTitle(stream: string): Promise<string | undefined>;
}

/**
 * The card sources other features register with Cards (the composition root's late wiring), so
 * Cards needs to know nothing of stories, feeds or the archive to make cards of them.
 */
export interface CardSources {
  story: StoryCardSource;
  feed: FeedCardSource;
  archive: StreamTitleSource;
  storyRadio: StreamTitleSource;
}

/**
 * An untitled stream's card is titled as the family knows what it plays: the archived card it was
 * made from ("The Moon Fox", not `the-moon-fox`), the child's story radio ("Mia's story radio", not
 * `story-radio-mia`), the podcast, else the name in words. The Yoto app, the archive's changes and
 * voice all name the card by this title. A podcast's title is anyone's text: it goes on the card
 * clean and within Yoto's 100 characters, as voice says it.
 */
export async function untitledStreamTitle(sources: Partial<CardSources>, stream: string): Promise<string> {
  const own = (await sources.archive?.streamTitle(stream)) ?? (await sources.storyRadio?.streamTitle(stream));
  if (own) return own;
  const podcast = sources.feed?.has(stream) ? cleanTitle(sources.feed.view(stream).title ?? "") : "";
  return podcast || inWords(stream);
}

/**
 * A stream's card's title as the family gave it: not blank, not the stream's name or that in words
 * (as a card made without a title is named). Undefined when it was given none.
 */
export function givenTitle(card: {title: string; source: {stream: string}}): string | undefined {
  const given = card.title.trim();
  return !given || card.title === card.source.stream || given === inWords(card.source.stream) ? undefined : given;
}
