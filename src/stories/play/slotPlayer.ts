import {cardKey} from "../../cards/cardJson.js";
import type {Cards} from "../../cards/cards.js";
import type {EventBus} from "../../core/events.js";
import type {PlayerState} from "../../yoto/playerModel.js";
import type {Story} from "../model/story.js";
import {SLOT_COUNT} from "./streamedCard.js";

export interface SlotPlayerDeps {
  players: {list(): PlayerState[]};
  cards: Pick<Cards, "forStory">;
  bus: EventBus;
  /** How long to wait for the cloud to say which player is on the card. */
  waitMs: number;
}

/**
 * Which player asks for a streamed story's slot: the one on the story's card (a player stopped on
 * it, its story ended, is not asking); of several, the one the cloud says is on that slot. A card
 * just put in can ask before the cloud reports it, so with nobody on the card this waits a moment
 * for the report.
 */
export async function playerAsking(deps: SlotPlayerDeps, story: Story, slot: number): Promise<PlayerState | undefined> {
  const cardIds = new Set(deps.cards.forStory(story.id).map((c) => c.cardId));
  const onCard = () =>
    deps.players.list().filter((p) => cardIds.has(p.playback.cardId ?? "") && p.playback.status !== "stopped");
  let players = onCard();
  if (players.length === 0) players = await arrival(deps, onCard);
  if (players.length <= 1) return players[0];
  const there = players.filter((p) => p.playback.chapterKey === cardKey(slot, SLOT_COUNT));
  return there[0] ?? players[0];
}

function arrival(deps: SlotPlayerDeps, onCard: () => PlayerState[]): Promise<PlayerState[]> {
  return new Promise((resolve) => {
    const owner = {};
    const done = (found: PlayerState[]) => {
      clearTimeout(timer);
      deps.bus.off(owner);
      resolve(found);
    };
    const timer = setTimeout(() => done([]), deps.waitMs);
    deps.bus.on(owner, "player.changed", () => {
      const found = onCard();
      if (found.length > 0) done(found);
    });
  });
}
