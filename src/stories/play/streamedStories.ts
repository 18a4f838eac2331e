import {readFile, stat} from "node:fs/promises";
import {cardKey} from "../../cards/cardJson.js";
import type {Cards} from "../../cards/cards.js";
import {KeyedQueue} from "../../core/concurrency.js";
import {badRequest, errorMessage} from "../../core/errors.js";
import type {EventBus} from "../../core/events.js";
import type {Logger} from "../../core/logger.js";
import type {Service} from "../../core/service.js";
import type {GatedPlayers} from "../../gate/gatedPlayers.js";
import type {StoreNamespace} from "../../store/namespace.js";
import type {Admission} from "../../yoto/admission.js";
import type {PlayerState} from "../../yoto/playerModel.js";
import type {Exit, Scene, Story} from "../model/story.js";
import type {Stories, StreamedPlayer} from "../stories.js";
import type {StorySession} from "../tracker.js";
import {type RunSave, type StoryRun, scenesRun} from "./runs.js";
import {playerAsking} from "./slotPlayer.js";
import {buttonBetween, SLOT_COUNT} from "./streamedCard.js";

export interface StreamedStoriesOptions {
  stories: Pick<Stories, "get" | "has">;
  players: Pick<GatedPlayers, "list" | "command">;
  cards: Pick<Cards, "forStory" | "fromStory" | "get">;
  store: {namespace<T>(name: string): StoreNamespace<T>};
  bus: EventBus;
  log: Logger;
  /** How long a slot request waits for the cloud to say which player is on the story's card. */
  attributionWaitMs?: number;
}

/** What is kept per player and story, so a restart goes on where the player was. */
interface Saved {
  slot: number;
  run: RunSave;
  path: string[];
  startedAt: number;
  enteredAt: number;
}

interface Playing {
  story: Story;
  player: {id: string; name: string};
  cardId: string;
  run: StoryRun;
  saved: Saved;
}

const NAMESPACE = "streamed_stories";
/** How many scenes of a player's way a session shows: the latest, for the panel. */
const PATH_KEPT = 200;

/**
 * Streamed stories (ink, and stories too big for a card): this service is the story. The card's
 * four slots (streamedCard.ts) each ask for the scene the player's last button led to; the run
 * moves on, is saved before its scene is served (a restart resumes it), and the scene is played.
 */
export class StreamedStories implements Service, StreamedPlayer {
  readonly name = "streamed-stories";
  readonly #opts: StreamedStoriesOptions;
  readonly #queue = new KeyedQueue();
  readonly #playing = new Map<string, Playing>();
  readonly #inkJson = new Map<string, {mtimeMs: number; json: string}>();
  /** Runs whose player left the story's card since its last scene: its next request is a return, not a press. */
  readonly #away = new Set<string>();
  /** Runs whose saved place no longer fits their story: the start they get begins with the line. */
  readonly #changed = new Set<string>();
  #space?: StoreNamespace<Saved>;

  constructor(opts: StreamedStoriesOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#space = this.#opts.store.namespace<Saved>(NAMESPACE);
    this.#opts.bus.on(this, "player.changed", ({player}) => this.#noticeLeaving(player));
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    await this.#queue.idle();
    this.#playing.clear();
    this.#away.clear();
  }

  /**
   * A slot of a streamed story's card is asked for: the scene to play there, after the button that
   * led to it moved the story on; undefined once the story has ended (the player is stopped).
   */
  request(storyId: string, slot: number): Promise<(Scene & {restarted?: boolean}) | undefined> {
    const story = this.#opts.stories.get(storyId);
    return this.#queue.run(storyId, async () => {
      const {players, cards, bus, attributionWaitMs} = this.#opts;
      const player = await playerAsking({players, cards, bus, waitMs: attributionWaitMs ?? 1000}, story, slot);
      // Nobody on the card (a browser, a check): the start, with nothing kept.
      if (!player) return (await this.#newRun(story)).scene;
      const playing = await this.#load(story, player);
      if (!playing) {
        const first = await this.#begin(story, player, slot);
        // Its saved place was in a story that has changed since: it hears so before the start.
        return this.#changed.delete(key(story.id, player.id)) ? {...first, restarted: true} : first;
      }
      // Back on the card after leaving it (taken out, another card, stopped): it goes on from its
      // place, whichever slot the card starts at, rather than reading that slot as a button.
      if (this.#away.delete(key(story.id, player.id)) && playing.saved.slot !== slot)
        return this.#resume(playing, slot);
      if (playing.saved.slot === slot) return playing.run.scene;
      return this.#move(playing, buttonBetween(playing.saved.slot, slot) as Exit, slot);
    });
  }

  /** Start a streamed story from its beginning on a player (what `stories.play` does for it). */
  async play(player: PlayerState, story: Story, admission: Admission): Promise<StorySession> {
    const card = await this.#cardFor(story);
    await this.#queue.run(story.id, async () => {
      this.#playing.delete(key(story.id, player.id));
      await this.#space?.delete(key(story.id, player.id));
    });
    await this.#opts.players.command(
      player.id,
      {
        command: "play_card",
        cardId: card,
        chapter: cardKey(0, SLOT_COUNT),
        track: cardKey(0, SLOT_COUNT),
      },
      admission,
    );
    // The player's own request for the first slot may have begun it already.
    const playing = await this.#queue.run(story.id, async () => {
      if (!this.#playing.has(key(story.id, player.id))) await this.#begin(story, player, 0);
      return this.#playing.get(key(story.id, player.id)) as Playing;
    });
    return session(playing);
  }

  sessions(): StorySession[] {
    return [...this.#playing.values()].map(session);
  }

  async #begin(story: Story, player: {id: string; name: string}, slot: number): Promise<Scene> {
    const run = await this.#newRun(story);
    const now = Date.now();
    const saved: Saved = {slot, run: run.save(), path: [run.scene.id], startedAt: now, enteredAt: now};
    const playing: Playing = {story, player, cardId: this.#cardOf(story, player.id), run, saved};
    await this.#save(playing);
    // A new run has no place to go back to: an absence noted for the old one must not make its
    // first button read as a return.
    this.#away.delete(key(story.id, player.id));
    this.#emit(playing);
    return run.scene;
  }

  /** A player back on the story: its scene again, now at the slot the card started on. */
  async #resume(playing: Playing, slot: number): Promise<Scene> {
    const previous = playing.saved.slot;
    playing.saved.slot = slot;
    try {
      await this.#save(playing);
    } catch (err) {
      playing.saved.slot = previous;
      throw err;
    }
    this.#emit(playing);
    return playing.run.scene;
  }

  /** A player that left a story's card (or stopped on it) while a run of that story was in memory. */
  #noticeLeaving(player: PlayerState): void {
    for (const [k, playing] of this.#playing) {
      if (playing.player.id !== player.id) continue;
      const cardIds = new Set(this.#opts.cards.forStory(playing.story.id).map((c) => c.cardId));
      if (!cardIds.has(player.playback.cardId ?? "") || player.playback.status === "stopped") this.#away.add(k);
    }
  }

  async #move(playing: Playing, button: Exit, slot: number): Promise<Scene | undefined> {
    const from = playing.run.scene.id;
    const {story, player} = playing;
    let next: Scene | "stop";
    try {
      next = playing.run.press(button);
    } catch (err) {
      // The story failed mid-press (an ink runtime error): its run may be half moved.
      await this.#backToSaved(playing);
      throw err;
    }
    if (next === "stop") {
      this.#playing.delete(key(story.id, player.id));
      await this.#space?.delete(key(story.id, player.id));
      this.#opts.bus.emit("player.buttonPressed", {...base(playing), button, scene: from, to: "stop"});
      this.#opts.players
        .command(player.id, {command: "stop"})
        .catch((err) =>
          this.#opts.log.warning(`Could not stop '${player.name}' at the story's end (${errorMessage(err)})`),
        );
      return undefined;
    }
    const saved: Saved = {
      ...playing.saved,
      slot,
      run: playing.run.save(),
      enteredAt: Date.now(),
      path: [...playing.saved.path, next.id].slice(-PATH_KEPT),
    };
    const kept: Playing = {...playing, saved};
    try {
      await this.#save(kept);
    } catch (err) {
      // Not kept: the run moved in memory only, and nothing may say the player moved on.
      await this.#backToSaved(playing);
      throw err;
    }
    this.#opts.bus.emit("player.buttonPressed", {...base(kept), button, scene: from, to: next.id});
    this.#emit(kept, from, button);
    return next;
  }

  /** The run built again from the place last saved: the player's next press goes on from there. */
  async #backToSaved(playing: Playing): Promise<void> {
    const k = key(playing.story.id, playing.player.id);
    try {
      this.#playing.set(k, {...playing, run: await this.#runOf(playing.story, playing.saved.run)});
    } catch {
      // The saved place cannot be played either: the next request reads it from the store again.
      this.#playing.delete(k);
    }
  }

  #emit(playing: Playing, from?: string, button?: Exit): void {
    this.#opts.bus.emit("story.sceneEntered", {
      ...base(playing),
      scene: playing.run.scene.id,
      ...(from ? {from, button} : {}),
    });
  }

  async #save(playing: Playing): Promise<void> {
    // Kept before the scene is served: a press the player heard answered is never lost.
    await this.#space?.set(key(playing.story.id, playing.player.id), playing.saved);
    this.#playing.set(key(playing.story.id, playing.player.id), playing);
  }

  async #load(story: Story, player: {id: string; name: string}): Promise<Playing | undefined> {
    const k = key(story.id, player.id);
    const known = this.#playing.get(k);
    if (known && known.story === story) return known;
    const saved = known?.saved ?? (await this.#space?.get(k));
    if (!saved) return undefined;
    try {
      const run = await this.#runOf(story, saved.run);
      const playing = {story, player, cardId: this.#cardOf(story, player.id), run, saved};
      this.#playing.set(k, playing);
      return playing;
    } catch (err) {
      // The story changed under the saved place (a new import): it starts again, and is told so.
      this.#changed.add(k);
      this.#opts.log.warning(
        `'${player.name}' starts '${story.id}' again: its saved place no longer fits (${errorMessage(err)})`,
      );
      return undefined;
    }
  }

  async #newRun(story: Story): Promise<StoryRun> {
    return this.#runOf(story);
  }

  /** A run of the story, from its start or from a saved place. */
  async #runOf(story: Story, saved?: RunSave): Promise<StoryRun> {
    if (!story.ink) return scenesRun(story, saved);
    // inkle's runtime is loaded by the first ink story played.
    const {inkStoryRun} = await import("./inkStoryRun.js");
    return inkStoryRun(story, await this.#ink(story), saved);
  }

  /** An ink story's compiled JSON, read again when its file changes. */
  async #ink(story: Story): Promise<string> {
    const file = story.ink as string;
    const {mtimeMs} = await stat(file);
    const known = this.#inkJson.get(file);
    if (known?.mtimeMs === mtimeMs) return known.json;
    const json = await readFile(file, "utf8");
    this.#inkJson.set(file, {mtimeMs, json});
    return json;
  }

  #cardOf(story: Story, playerId: string): string {
    const mine = this.#opts.players.list().find((p) => p.id === playerId)?.playback.cardId;
    return mine ?? this.#opts.cards.forStory(story.id)[0]?.cardId ?? "";
  }

  async #cardFor(story: Story): Promise<string> {
    const cards = this.#opts.cards.forStory(story.id);
    const card = cards.find((c) => c.source.type === "story" && c.source.mode === "streamed");
    if (card) return card.cardId;
    if (story.mode !== "streamed")
      throw badRequest(`Story '${story.id}' is not streamed: it plays from its own card`, "story_not_streamed");
    return (await this.#opts.cards.fromStory(story.id)).cardId;
  }
}

function key(storyId: string, playerId: string): string {
  return `${storyId}:${playerId}`;
}

function base(playing: Playing) {
  return {playerId: playing.player.id, player: playing.player.name, story: playing.story.id, cardId: playing.cardId};
}

function session(playing: Playing): StorySession {
  return {
    ...base(playing),
    mode: "streamed",
    scene: playing.run.scene.id,
    path: [...playing.saved.path],
    variables: playing.run.variables(),
    enteredAt: playing.saved.enteredAt,
    active: true,
  };
}
