import {cardKey} from "../cards/cardJson.js";
import type {Cards} from "../cards/cards.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {PlayerCommand} from "../yoto/commands.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {ScenePlays} from "./model/sceneAudio.js";
import type {Scene, Story} from "./model/story.js";

/** What a child hears where a card still points at a scene its story no longer has. */
export const STORY_CHANGED_LINE = "This part of the story was changed. Let's start again.";

/** The line as a scene of its own, so narration speaks (and caches) it in the story's voice. */
export const CHANGED_SCENE: Scene = {
  id: "story-changed",
  title: "This part of the story was changed",
  audio: {say: STORY_CHANGED_LINE},
  exits: {},
};

/** A moment after the line's end before the card starts again, so its last word is heard. */
const AFTER_LINE_MS = 400;

export interface GoneScenesOptions {
  cards: Cards;
  players: {list(): PlayerState[]; command(idOrName: string, command: PlayerCommand): Promise<unknown>};
  /** The line as the story's narration speaks it (made now if need be): a library item, or silence and why. */
  speak(story: Story): Promise<ScenePlays>;
  duration(itemId: string): number | undefined;
  log: Logger;
}

/**
 * A card made before its story was edited asks for a scene that is gone (the card could not be
 * rewritten yet, or the player still holds the old card). Rather than a 404 that stops the player,
 * it hears that the story changed, and its card starts again from the beginning.
 */
export class GoneScenes {
  readonly #opts: GoneScenesOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Each story's scenes at the last load: a story that lost some may have players on a gone one. */
  readonly #scenes = new Map<string, Set<string>>();

  constructor(opts: GoneScenesOptions) {
    this.#opts = opts;
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /**
   * The line made ahead where a player may need it: in the voice of each story with a card that lost
   * scenes since the last load (it is cached by text and voice), so no player waits for it to be
   * spoken. The first load only notes what each story has: nothing changed under anyone yet.
   */
  prepare(stories: Story[], carded: (storyId: string) => boolean): void {
    const lost = stories.filter((s) => {
      const before = this.#scenes.get(s.id);
      this.#scenes.set(s.id, new Set(s.scenes.map((scene) => scene.id)));
      return before !== undefined && carded(s.id) && [...before].some((id) => !this.#scenes.get(s.id)?.has(id));
    });
    const voices = new Map(lost.map((s) => [JSON.stringify(s.narration ?? {}), s]));
    for (const story of voices.values())
      this.#opts
        .speak(story)
        .then(itemOf)
        .catch((err) => this.#opts.log.debug(`The story-changed line is not narrated yet (${errorMessage(err)})`));
  }

  /** A streamed story started again as it changed under the player's place: the line, then the start. */
  async lineThen(story: Story, start: ScenePlays): Promise<ScenePlays> {
    const line = await this.#opts.speak(story);
    return "items" in line && "items" in start ? {items: [...line.items, ...start.items]} : start;
  }

  /** The line to serve for the gone scene; the players on the story's cards start again after it. */
  async serve(story: Story, sceneId: string): Promise<ScenePlays> {
    const cards = this.#opts.cards.forStory(story.id).filter((c) => c.source.type === "story");
    const onCard = (p: PlayerState) =>
      p.playback.status !== "stopped" && cards.some((c) => c.cardId === p.playback.cardId);
    const players = this.#opts.players.list().filter(onCard);
    let item: string | undefined;
    try {
      item = itemOf(await this.#opts.speak(story));
    } catch (err) {
      this.#opts.log.warning(
        `The story-changed line could not be spoken (${errorMessage(err)}): starting again at once`,
      );
    }
    const seconds = item === undefined ? 0 : (this.#opts.duration(item) ?? 0);
    this.#opts.log.info(
      `Scene '${sceneId}' of story '${story.id}' is gone (the story changed): ${players.map((p) => `'${p.name}'`).join(", ") || "its player"} hears so and starts again`,
    );
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        void this.#restart(players, cards);
      },
      seconds * 1000 + AFTER_LINE_MS,
    );
    this.#timers.add(timer);
    return item === undefined ? {silence: "its scene is gone"} : {items: [item]};
  }

  /**
   * Each player still on the card (or stopped on it as the line ended) goes to its first chapter:
   * the story's start, where cards begin. One that went to another card meanwhile is left alone.
   */
  async #restart(players: PlayerState[], cards: ReturnType<Cards["forStory"]>): Promise<void> {
    for (const before of players) {
      const now = this.#opts.players.list().find((p) => p.id === before.id);
      // Still on the card, or stopped on it: the old chapter's end may stop the player as the line ends.
      const on = now?.playback.cardId ?? (now?.playback.status === "stopped" ? now.playback.lastCardId : undefined);
      const card = cards.find((c) => c.cardId === on);
      if (!now || !card || card.source.type !== "story") continue;
      // The card as it is remembered now: a rewrite since the line began may have changed its keys.
      const fresh = this.#opts.cards.find(card.cardId)?.source ?? card.source;
      const count = fresh.type === "story" ? fresh.scenes.length : 1;
      const key = cardKey(0, count);
      await this.#opts.players
        .command(now.id, {command: "play_card", cardId: card.cardId, chapter: key, track: key})
        .catch((err) => this.#opts.log.warning(`'${now.name}' could not start the story again (${errorMessage(err)})`));
    }
  }
}

/** The one library item a served line plays, or why there is none. */
function itemOf(plays: ScenePlays): string {
  if ("items" in plays && plays.items[0] !== undefined) return plays.items[0];
  throw new Error("silence" in plays ? plays.silence : "it plays no item");
}
