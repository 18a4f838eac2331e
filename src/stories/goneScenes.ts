import {cardKey} from "../cards/cardJson.js";
import type {Cards} from "../cards/cards.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
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
  /** A player on a gone scene starts its story again: a start, asked at the play gate as the story's own. */
  players: Pick<GatedPlayers, "list" | "command">;
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
  /** Each story's scenes (id → title) at the last load: a story that lost some may have players on a gone one. */
  readonly #scenes = new Map<string, Map<string, string>>();
  /** The titles of scenes stories lost while this service ran ("<story>/<scene>"). */
  readonly #goneTitles = new Map<string, string>();
  /** Gone scenes ("<story>/<scene>") whose line plays now: asking again starts nobody twice. */
  readonly #restarting = new Set<string>();

  constructor(opts: GoneScenesOptions) {
    this.#opts = opts;
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#restarting.clear();
  }

  /**
   * The line made ahead where a player may need it: in the voice of each story with a card that lost
   * scenes since the last load (it is cached by text and voice), so no player waits for it to be
   * spoken. The first load only notes what each story has: nothing changed under anyone yet.
   */
  prepare(stories: Story[], carded: (storyId: string) => boolean): void {
    const lost = stories.filter((s) => {
      const before = this.#scenes.get(s.id);
      const now = new Map(s.scenes.map((scene) => [scene.id, scene.title]));
      this.#scenes.set(s.id, now);
      const gone = [...(before ?? [])].filter(([id]) => !now.has(id));
      // Their titles are what a player on an old card reports it is playing.
      for (const [id, title] of gone) this.#goneTitles.set(`${s.id}/${id}`, title);
      return gone.length > 0 && carded(s.id);
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

  /**
   * The line to serve for the gone scene; the player that asked starts again after it. That is the
   * player on one of the story's cards playing a chapter the story no longer has (each reports the
   * chapter title it plays: the gone scene's, or one no scene has now), looked for as the line ends,
   * when the cloud has said where it is, and stopped or not (the old chapter's end may stop it). A
   * player on a scene that is still there is never touched, and asking again for the gone scene
   * while its line plays (a range, a second client) starts nobody twice.
   */
  async serve(story: Story, sceneId: string): Promise<ScenePlays> {
    let item: string | undefined;
    try {
      item = itemOf(await this.#opts.speak(story));
    } catch (err) {
      this.#opts.log.warning(
        `The story-changed line could not be spoken (${errorMessage(err)}): starting again at once`,
      );
    }
    const key = `${story.id}/${sceneId}`;
    if (this.#restarting.has(key)) return item === undefined ? {silence: "its scene is gone"} : {items: [item]};
    this.#restarting.add(key);
    const seconds = item === undefined ? 0 : (this.#opts.duration(item) ?? 0);
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        void this.#restart(story, sceneId).finally(() => this.#restarting.delete(key));
      },
      seconds * 1000 + AFTER_LINE_MS,
    );
    this.#timers.add(timer);
    return item === undefined ? {silence: "its scene is gone"} : {items: [item]};
  }

  /** Each player on a gone chapter of the story's cards goes to its first chapter: the story's start. */
  async #restart(story: Story, sceneId: string): Promise<void> {
    const cards = this.#opts.cards.forStory(story.id).filter((c) => c.source.type === "story");
    const gone = this.#goneTitles.get(`${story.id}/${sceneId}`);
    const titles = new Set(story.scenes.map((s) => s.title));
    const players = this.#opts.players.list().flatMap((p) => {
      const stopped = p.playback.status === "stopped";
      const card = cards.find((c) => c.cardId === (stopped ? p.playback.lastCardId : p.playback.cardId));
      const title = p.playback.chapterTitle ?? p.playback.trackTitle;
      const onGone = title !== undefined && (title === gone || !titles.has(title));
      return card && onGone ? [{player: p, card}] : [];
    });
    this.#opts.log.info(
      `Scene '${sceneId}' of story '${story.id}' is gone (the story changed): ${players.length > 0 ? `${players.map(({player}) => `'${player.name}'`).join(", ")} heard so and starts again` : "its line was served; no player is on an old chapter now"}`,
    );
    for (const {player, card} of players) {
      // The card as it is remembered now: a rewrite since the line began may have changed its keys.
      const fresh = this.#opts.cards.find(card.cardId)?.source ?? card.source;
      const key = cardKey(0, fresh.type === "story" ? fresh.scenes.length : 1);
      await this.#opts.players
        .command(
          player.id,
          {command: "play_card", cardId: card.cardId, chapter: key, track: key},
          {route: "story", what: `'${story.title}'`},
        )
        .catch((err) =>
          this.#opts.log.warning(`'${player.name}' could not start the story again (${errorMessage(err)})`),
        );
    }
  }
}

/** The one library item a served line plays, or why there is none. */
function itemOf(plays: ScenePlays): string {
  if ("items" in plays && plays.items[0] !== undefined) return plays.items[0];
  throw new Error("silence" in plays ? plays.silence : "it plays no item");
}
