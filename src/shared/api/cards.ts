/** Cards this service made, what they are made from, and Yoto's icons. */
import type {StoryMode} from "./stories.js";

/** What a story card is remembered as made from, so it can be made again and its players followed. */
export interface StoryOrigin {
  type: "story";
  story: string;
  mode: StoryMode;
  scenes: string[];
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
