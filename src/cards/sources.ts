import type {StoryOrigin} from "../shared/api/cards.js";
import type {StoryMode} from "../shared/api/stories.js";
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
}

/**
 * The card sources other features register with Cards (the composition root's late wiring), so
 * Cards needs to know nothing of stories or feeds to make cards of them.
 */
export interface CardSources {
  story: StoryCardSource;
  feed: FeedCardSource;
}
