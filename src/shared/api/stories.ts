/** Choose-your-own-adventure stories, where players are in them, and their button events. */
import type {OwnCard} from "./cards.js";

/** A story button: where a scene's exits lead. */
export type Exit = "left" | "right" | "end";

/**
 * `interactive`: the player branches by itself (a chapter per scene); `linear`: the scenes in order;
 * `streamed`: this service plays the story, serving each next scene as a button asks (ink stories,
 * stories too big for a card's 99 chapters).
 */
export type StoryMode = "interactive" | "linear" | "streamed";

/**
 * A piece of a scene's text: words, or words read only while a condition holds (`else` while it
 * does not; an else-if is an `else` holding another such part). Conditions are written as exits' are.
 */
export type SayPart = string | {if: string; say: SayPart[]; else?: SayPart[]};

/**
 * What a scene plays: fixed library items, a stream whose queue rules may change, or text this
 * service narrates (its speech, cached by text and voice; a recording beside the story replaces it).
 * A `say` with conditions keeps them in `parts` (present only then): a streamed story reads the
 * branches that hold; `say` is the whole text, every branch in order, as a card (no state) reads it.
 */
export type SceneAudio = {items: string[]} | {stream: string} | {say: string; parts?: SayPart[]};

/** The voice a story's `say` scenes are narrated with: the speech's engine and language. */
export interface StoryVoice {
  engine?: string;
  language?: string;
}

export interface Scene {
  id: string;
  title: string;
  audio: SceneAudio;
  /** Destination per exit: a scene id or `stop`. `end` defaults to `stop`, as on Yoto's own cards. */
  exits: Partial<Record<Exit, string>>;
  icon?: string;
  /**
   * Exits taken only while a condition holds (`$lantern`, `$apples > 2`): a streamed story checks
   * them; a card, which branches by itself, takes every exit.
   */
  conditions?: Partial<Record<Exit, string>>;
  /** What a `say` scene says after its text for each exit it offers ("Go out, press the left button."). */
  prompts?: Partial<Record<Exit, string>>;
  /** Story variables this scene sets when a player enters it. */
  set?: Record<string, unknown>;
}

/** A checked story: every exit lands on a scene or `stop`, every scene is reachable. */
export interface Story {
  id: string;
  title: string;
  description?: string;
  mode: StoryMode;
  start: string;
  /** In card order: the start scene first, then as written. */
  scenes: Scene[];
  variables: Record<string, unknown>;
  icon?: string;
  file: string;
  /** The voice of its `say` scenes, when not the service's own. */
  narration?: StoryVoice;
  /** An ink story: its compiled JSON file (absolute). It has no scenes of its own; the runtime makes them. */
  ink?: string;
  /** Its IFID in Twine, when it came from Twine: kept, so an export is the same story to Twine. */
  ifid?: string;
}

/** How far a story's `say` scenes are narrated: made ahead of time, one after another. */
export interface NarrationProgress {
  state: "narrating" | "ready" | "failed";
  total: number;
  done: number;
  /** Scenes the speech could not make, with its reason: a retry narrates only these. */
  failed: Array<{scene: string; title: string; error: string}>;
}

/** `story.narrationProgress`: a story's narration moved on (a scene made or failed, or all done). */
export interface StoryNarrationEvent {
  story: string;
  narration: NarrationProgress;
}

/** Where one player is in a story: what the panel shows and `{{ story.* }}` reads. */
export interface StorySession {
  playerId: string;
  player: string;
  story: string;
  cardId: string;
  mode: Story["mode"];
  scene: string;
  /** Scenes in the order this player went through them, the start first. */
  path: string[];
  variables: Record<string, unknown>;
  /** Epoch ms when the current scene began (for telling a track end from a skip). */
  enteredAt: number;
  active: boolean;
}

/**
 * Whether one of a story's cards plays the story as it is now: a re-import or an edit rewrites
 * the story's cards; one that could not be rewritten (Yoto refused, offline) says why, and when it is
 * tried again.
 */
export interface StoryCardState {
  cardId: string;
  title: string;
  mode: StoryMode;
  /** The card's scenes, exits, titles and icons are the story's as loaded now. */
  upToDate: boolean;
  /** What differs from the story now (while not up to date): "scene 'gate' added", … */
  changes: string[];
  /** The last rewrite's failure, while it is not up to date. */
  error?: string;
  /** When the rewrite is tried again (ISO time), while it failed. */
  retryAt?: string;
}

/** `story.cardsChanged`: a story's cards were rewritten, or a rewrite failed (see its cardStates). */
export interface StoryCardsChanged {
  story: string;
}

/** What a re-import (or a reload of an edited story) did to one of the story's cards. */
export interface StoryCardRewrite {
  cardId: string;
  title: string;
  /** rewritten: Yoto has the new card; unchanged: it was up to date; failed: see error (retried). */
  result: "rewritten" | "unchanged" | "failed";
  changes: string[];
  error?: string;
}

/** `GET /api/stories`: a story with its cards and the players in it. */
export type StoryView = Story & {
  cards: OwnCard[];
  /** Each card's state, in the order of `cards`. */
  cardStates: StoryCardState[];
  /** The icon chosen for the story's cards in the panel (PUT /api/stories/<id>/icon), over the story's own. */
  cardIcon?: string;
  sessions: StorySession[];
  /** How far its `say` scenes are narrated; null when it has none. */
  narration: NarrationProgress | null;
};

/** `POST /api/stories/import`: the story written, what the import could not keep, and its narration. */
export interface StoryImported {
  id: string;
  /** The story's title ("The Lantern"), and its first scene's ("Bank"). */
  title: string;
  startTitle: string;
  /** What the import did to each of the story's cards (none before its first card is made). */
  cards: StoryCardRewrite[];
  /** The story file, under rules_dir. */
  file: string;
  start: string;
  scenes: Array<{id: string; title: string; left?: string; right?: string; end?: string}>;
  warnings: string[];
  narration: NarrationProgress | null;
}

/**
 * `player.buttonPressed`: a press inferred from a story card's chapter change (or a track running out:
 * `end`): `scene` is where it was pressed, `to` where it led.
 */
export interface PlayerButton {
  playerId: string;
  player: string;
  button: Exit;
  cardId?: string;
  story?: string;
  scene?: string;
  to?: string;
}

/** `story.sceneEntered`: a player starts a story (no `from`) or moves to another scene of it. */
export interface SceneEntered {
  playerId: string;
  player: string;
  story: string;
  scene: string;
  cardId?: string;
  from?: string;
  button?: Exit;
}
