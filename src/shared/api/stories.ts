/** Choose-your-own-adventure stories, where players are in them, and their button events. */
import type {OwnCard} from "./cards.js";

/** A story button: where a scene's exits lead. */
export type Exit = "left" | "right" | "end";

export type StoryMode = "interactive" | "linear";

/** What a scene plays: fixed library items, or a stream whose queue rules may change. */
export type SceneAudio = {items: string[]} | {stream: string};

export interface Scene {
  id: string;
  title: string;
  audio: SceneAudio;
  /** Destination per exit: a scene id or `stop`. `end` defaults to `stop`, as on Yoto's own cards. */
  exits: Partial<Record<Exit, string>>;
  icon?: string;
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

/** `GET /api/stories`: a story with its cards and the players in it. */
export type StoryView = Story & {cards: OwnCard[]; sessions: StorySession[]};

/**
 * `player.button`: a press inferred from a story card's chapter change (or a track running out:
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
