/** Cards this service made, what they are made from, and Yoto's icons. */
import type {StoryMode} from "./stories.js";

/** What a story card is remembered as made from, so it can be made again and its players followed. */
export interface StoryOrigin {
  type: "story";
  story: string;
  mode: StoryMode;
  scenes: string[];
  /** The icon chosen for the story's cards in the panel, over the story's own. */
  icon?: string;
  /** What the card was written from (absent on cards made before it was kept): its up-to-date check. */
  made?: CardPlan;
}

/** A scene as its card chapter was written: what the player reads off the card by itself. */
export interface MadeScene {
  id: string;
  title: string;
  left?: string;
  right?: string;
  end?: string;
  icon?: string;
  /** The length its track reports (whole seconds), when its audio was known as the card was written. */
  seconds?: number;
}

/**
 * What a story's card was made from, kept with the card: compared with the story as it loads now,
 * it says whether the card is up to date and, if not, what changed. A streamed card's chapters are
 * slots this service fills as the story goes, so only its title and icon are on it.
 */
export interface CardPlan {
  title: string;
  /** The story's own mode when the card was made: a card in that mode follows the story's mode. */
  storyMode: StoryMode;
  icon?: string;
  scenes?: MadeScene[];
}

export type CardSource =
  | {type: "stream"; stream: string}
  /** `icon`: what the card was made with, given to the chapters of episodes that come later. */
  | {type: "feed"; stream: string; icon?: string}
  | {type: "items"; items: string[]}
  | StoryOrigin;

/** A card this service made, remembered so it can be updated, played and followed. */
export interface OwnCard {
  cardId: string;
  title: string;
  source: CardSource;
  createdAt: string;
  updatedAt: string;
}

export interface IconEntry {
  mediaId: string;
  /** What cards and `show_icon` take. */
  ref: string;
  title: string;
  url?: string;
  public: boolean;
  tags: string[];
}

export type CardCreate =
  | {from: "stream"; stream: string; title?: string; icon?: string; cardId?: string}
  | {from: "items"; items: string[]; title?: string; icon?: string; cardId?: string}
  | {from: "story"; story: string; mode?: StoryMode; title?: string; icon?: string; cardId?: string};

export interface IconLists {
  public: IconEntry[];
  user: IconEntry[];
}
