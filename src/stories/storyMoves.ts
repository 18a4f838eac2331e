import {cardKey} from "../cards/cardJson.js";
import type {Cards, OwnCard} from "../cards/cards.js";
import {badRequest, notFound} from "../core/errors.js";
import {assignOwn} from "../core/ownKeys.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Start} from "../gate/types.js";
import {asPlayed, type CardFollower} from "./cardFollower.js";
import type {StoryCardUpkeep} from "./cardUpkeep.js";
import type {Story} from "./model/story.js";
import type {StreamedPlayer} from "./storiesOptions.js";
import type {StorySession, StoryTracker} from "./tracker.js";

/** What moving players through stories needs of the face and its parts. */
export interface StoryMovesOptions {
  players: Pick<GatedPlayers, "get" | "command" | "admit">;
  cards: Cards;
  tracker: StoryTracker;
  follower: CardFollower;
  cardUpkeep: StoryCardUpkeep;
  /** A loaded story (a 404 for an unknown one). */
  story(id: string): Story;
  /** The player's current (or last) session, card or streamed. */
  session(player: string): StorySession | undefined;
  /** Who plays streamed stories, once the composition root has said. */
  streamed(): StreamedPlayer | undefined;
}

/**
 * What the family does to a player in a story (the API's and the rules' play, goto and set): a card
 * story is played through its card, the player told which chapter; a streamed one through its player.
 */
export class StoryMoves {
  readonly #opts: StoryMovesOptions;

  constructor(opts: StoryMovesOptions) {
    this.#opts = opts;
  }

  /** Begin a story on a player (through its card, made now if needed), optionally at a scene. */
  async play(
    player: string,
    storyId: string,
    start: Start,
    opts: {scene?: string; variables?: Record<string, unknown>} = {},
  ) {
    const {tracker, cardUpkeep} = this.#opts;
    const story = this.#opts.story(storyId);
    const p = this.#opts.players.get(player);
    // Asked first: a refusal writes no card and leaves the player's session as it was.
    const admission = await this.#opts.players.admit(p.id, start, async () => `'${story.title}'`);
    // A story just edited: its card is written again first, so the player starts the story as it is.
    await cardUpkeep.latest(story.id);
    // A streamed story, or one whose only card is streamed (made so from the panel or the API).
    const card = story.mode === "streamed" ? undefined : await this.#cardFor(story);
    if (!card || (card.source.type === "story" && card.source.mode === "streamed")) {
      const streamed = this.#opts.streamed();
      if (!streamed) throw notFound("Streamed stories are not played by this service", "no_streamed_stories");
      if (opts.scene)
        throw badRequest(
          `Story '${storyId}' is streamed: it starts at its beginning, not at a scene`,
          "story_streamed",
        );
      tracker.leave(p.id);
      return streamed.play(p, story, admission);
    }
    const sceneId = opts.scene ?? story.start;
    cardUpkeep.startable(card, sceneId);
    const key = this.#key(card, sceneId);
    // A fresh start: whatever reports the player's arrival first (the cloud or its scene request)
    // begins the new session; otherwise it begins here once the player has acknowledged.
    const before = tracker.get(p.id);
    tracker.leave(p.id);
    await this.#opts.players.command(
      p.id,
      {command: "play_card", cardId: card.cardId, chapter: key, track: key},
      admission,
    );
    const arrived = tracker.get(p.id);
    if (arrived && arrived !== before && arrived.cardId === card.cardId) {
      arrived.active = true;
      assignOwn(arrived.variables, opts.variables ?? {});
      return arrived;
    }
    const played = asPlayed(story, card.source.type === "story" ? card.source.mode : story.mode);
    const session = tracker.begin(p, played, card.cardId, sceneId, opts.variables);
    this.#opts.follower.announce(p, played, {kind: "started", session});
    return session;
  }

  /** Send a player in a story to another scene (not a button press: no button event). */
  async goto(player: string, sceneId: string, start: Start): Promise<StorySession> {
    const session = this.#active(player);
    const story = asPlayed(this.#opts.story(session.story), session.mode);
    const admission = await this.#opts.players.admit(session.playerId, start, async () => `'${story.title}'`);
    const card = this.#opts.cards.get(session.cardId);
    const key = this.#key(card, sceneId);
    this.#opts.tracker.expect(session.playerId, sceneId);
    await this.#opts.players.command(
      session.playerId,
      {
        command: "play_card",
        cardId: card.cardId,
        chapter: key,
        track: key,
      },
      admission,
    );
    const move = this.#opts.tracker.enter({id: session.playerId, name: session.player}, story, card.cardId, sceneId);
    this.#opts.follower.announce({id: session.playerId, name: session.player}, story, move);
    return session;
  }

  /** Change story variables for the player's session (what `{{ story.variables.* }}` reads). */
  set(player: string, variables: Record<string, unknown>): StorySession {
    const session = this.#active(player);
    assignOwn(session.variables, variables);
    return session;
  }

  #active(player: string): StorySession {
    const session = this.#opts.session(player);
    if (session?.mode === "streamed")
      throw badRequest(
        `Player '${player}' is in a streamed story: its buttons choose, not goto or set`,
        "story_streamed",
      );
    if (!session?.active) throw notFound(`Player '${player}' is not in a story right now`, "no_story_session");
    return session;
  }

  async #cardFor(story: Story): Promise<OwnCard> {
    const cards = this.#opts.cards.forStory(story.id);
    const existing = cards.find((c) => c.source.type === "story" && c.source.mode === story.mode) ?? cards[0];
    if (existing) return existing;
    return this.#opts.cards.get((await this.#opts.cards.fromStory(story.id)).cardId);
  }

  #key(card: OwnCard, sceneId: string): string {
    const scenes = card.source.type === "story" ? card.source.scenes : [];
    const index = scenes.indexOf(sceneId);
    if (index < 0)
      throw notFound(
        `Card '${card.cardId}' has no scene '${sceneId}' (scenes: ${scenes.join(", ")}): update the card`,
        "unknown_scene",
      );
    return cardKey(index, scenes.length);
  }
}
