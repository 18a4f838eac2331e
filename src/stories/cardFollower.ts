import {cardKey} from "../cards/cardJson.js";
import type {Cards} from "../cards/cards.js";
import {errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import {assignOwn} from "../core/ownKeys.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {Scene, Story} from "./model/story.js";
import {exitsTo, type Move, type StorySession, type StoryTracker} from "./tracker.js";

const STALE_REPORT_MS = 2000;

export interface CardFollowerOptions {
  bus: EventBus;
  cards: Cards;
  players: {list(): PlayerState[]};
  /** The loaded stories, by id. */
  stories: {has(id: string): boolean; get(id: string): Story};
  log: Logger;
  /**
   * Emit a move's events and resolve when the rule runs they started are done, so a rule that
   * changes a scene's queue on `button` does so before that scene is served.
   */
  settle?: (emit: () => void) => Promise<void>;
  /** How long a scene request waits for the cloud to say which player asked. */
  attributionWaitMs?: number;
  /** How long a scene request waits for the rules its move started. */
  rulesWaitMs?: number;
}

/**
 * Follows players through story cards (the ones that branch on the player itself) from their
 * chapter changes (the cloud) and from their requests for the next scene (this service), whichever
 * comes first, and fires `player.buttonPressed` and `story.sceneEntered` once per move.
 */
export class CardFollower {
  readonly #opts: CardFollowerOptions;
  readonly #tracker: StoryTracker;
  /** Rule runs started by each player's last move; the scene request for it waits on them. */
  readonly #pending = new Map<string, Promise<void>>();
  readonly #waiters = new Set<(session: StorySession) => void>();
  /** Moves first learned from a scene request: the cloud's late report of the scene left is stale. */
  readonly #requested = new Map<string, {from: string; at: number}>();

  constructor(tracker: StoryTracker, opts: CardFollowerOptions) {
    this.#tracker = tracker;
    this.#opts = opts;
  }

  /** Stop waiting for anyone (the service stops). */
  clear(): void {
    this.#waiters.clear();
  }

  /**
   * A player asks for a scene's audio. Work out which player it is (the one whose scene leads
   * here), record the move if the cloud has not told us yet, and resolve once the rules it
   * triggered have run.
   */
  async sceneRequested(story: Story, scene: Scene): Promise<void> {
    const sceneId = scene.id;
    let players = this.#attribute(story, sceneId);
    if (players.length === 0) {
      const arrived = await this.#awaitArrival(story.id, sceneId);
      players = arrived ? [arrived] : [];
    }
    const pending = players.flatMap((id) => this.#pending.get(id) ?? []);
    if (pending.length > 0) await this.#bounded(Promise.all(pending), `scene '${story.id}/${sceneId}'`);
  }

  /** A player reported by the cloud: follow story cards by chapter key, notice leaving them. */
  onPlayer(player: PlayerState): void {
    const card = player.playback.cardId ? this.#opts.cards.find(player.playback.cardId) : undefined;
    const stopped = player.playback.status === "stopped" || !card || card.source.type !== "story";
    if (stopped) {
      this.#tracker.leave(player.id);
      return;
    }
    if (card.source.type !== "story" || !this.#opts.stories.has(card.source.story)) return;
    // A streamed story's slots are followed by the one playing it.
    if (card.source.mode === "streamed") return;
    const scenes = card.source.scenes;
    const index = scenes.findIndex((_, i) => cardKey(i, scenes.length) === player.playback.chapterKey);
    const sceneId = scenes[index];
    const story = asPlayed(this.#opts.stories.get(card.source.story), card.source.mode);
    if (sceneId === undefined || !story.scenes.some((s) => s.id === sceneId)) return;
    // Quick presses: the request for the next scene can beat the cloud's report of the one before.
    const recent = this.#requested.get(player.id);
    if (recent?.from === sceneId && Date.now() - recent.at < STALE_REPORT_MS) return;
    this.announce(player, story, this.#tracker.enter(player, story, card.cardId, sceneId));
  }

  /**
   * Who this request can be from, recording the move when exactly one player's scene leads here.
   * Players already at the scene are re-reading it (a resume with a range). Empty when unsure.
   */
  #attribute(story: Story, sceneId: string): string[] {
    const cardIds = new Set(this.#opts.cards.forStory(story.id).map((c) => c.cardId));
    const players = this.#opts.players.list().filter((p) => {
      const session = this.#tracker.get(p.id);
      return cardIds.has(p.playback.cardId ?? "") || (session?.active && session.story === story.id);
    });
    const arrived = players.filter((p) => {
      const s = this.#tracker.get(p.id);
      return s?.active && s.story === story.id && s.scene === sceneId;
    });
    const movers = players.filter((p) => {
      const s = this.#tracker.get(p.id);
      if (!s?.active || s.story !== story.id || s.scene === sceneId) return false;
      return exitsTo(asPlayed(story, s.mode), s.scene, sceneId).length > 0;
    });
    // A new move beats a player already there (that one is re-reading, e.g. resuming with a range).
    if (movers.length === 1) {
      const p = movers[0] as PlayerState;
      const session = this.#tracker.get(p.id) as StorySession;
      const played = asPlayed(story, session.mode);
      this.#requested.set(p.id, {from: session.scene, at: Date.now()});
      this.announce(p, played, this.#tracker.enter(p, played, session.cardId, sceneId));
      return [p.id];
    }
    if (movers.length === 0 && arrived.length > 0) return arrived.map((p) => p.id);
    // A fresh insertion asks for the start scene: the player on the card with no session is it.
    const starters = players.filter((p) => !this.#tracker.get(p.id)?.active && cardIds.has(p.playback.cardId ?? ""));
    if (movers.length === 0 && arrived.length === 0 && starters.length === 1 && sceneId === story.scenes[0]?.id) {
      const p = starters[0] as PlayerState;
      const card = this.#opts.cards.get(p.playback.cardId as string);
      const played = asPlayed(story, card.source.type === "story" ? card.source.mode : story.mode);
      this.announce(p, played, this.#tracker.enter(p, played, card.cardId, sceneId));
      return [p.id];
    }
    return [];
  }

  /** Unsure who asked: wait (briefly) for the cloud to report a player arriving at this scene. */
  #awaitArrival(storyId: string, sceneId: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const waiter = (session: StorySession) => {
        if (session.story !== storyId || session.scene !== sceneId) return;
        finish(session.playerId);
      };
      const finish = (id: string | undefined) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(id);
      };
      const timer = setTimeout(() => finish(undefined), this.#opts.attributionWaitMs ?? 1000);
      this.#waiters.add(waiter);
    });
  }

  announce(player: {id: string; name: string}, story: Story, move: Move): void {
    if (move.kind === "same") return;
    const {session} = move;
    // The scene's `set` (a Twine passage's): what rules and templates read from now on.
    assignOwn(session.variables, story.scenes.find((s) => s.id === session.scene)?.set ?? {});
    const emit = () => {
      const base = {playerId: player.id, player: player.name, story: story.id, cardId: session.cardId};
      if (move.kind === "moved" && move.button)
        this.#opts.bus.emit("player.buttonPressed", {
          ...base,
          button: move.button,
          scene: move.from,
          to: session.scene,
        });
      this.#opts.bus.emit("story.sceneEntered", {
        ...base,
        scene: session.scene,
        ...(move.kind === "moved" ? {from: move.from, button: move.button} : {}),
      });
    };
    const settle = this.#opts.settle ?? emitNow;
    const done = settle(emit).catch((err) => this.#opts.log.error(`Story rules failed (${errorMessage(err)})`));
    this.#pending.set(player.id, done);
    for (const waiter of [...this.#waiters]) waiter(session);
  }

  async #bounded(pending: Promise<unknown>, what: string): Promise<void> {
    const limit = this.#opts.rulesWaitMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), limit);
    });
    if ((await Promise.race([pending, late])) === "late")
      this.#opts.log.warning(
        `Rules started by a move to ${what} still run after ${limit} ms; serving the scene as it is`,
      );
    clearTimeout(timer);
  }
}

/** The story as a card plays it: a card may be made linear from an interactive story. */
export function asPlayed(story: Story, mode: Story["mode"]): Story {
  return story.mode === mode ? story : {...story, mode};
}

async function emitNow(emit: () => void): Promise<void> {
  emit();
}
