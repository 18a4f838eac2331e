import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {PlayerReads} from "../gate/gatedPlayers.js";
import type {AccountStatus} from "../yoto/account.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {CardOptions} from "./cardOptions.js";
import {type DiscoveryContext, playerDiscovery} from "./discovery.js";
import {type CardSummary, playerStateJson} from "./playerState.js";
import type {BridgeTopics} from "./topics.js";

export interface PlayerPublisherOptions {
  publish(topic: string, payload: object | string, retain?: boolean): void;
  topics: BridgeTopics;
  players: Pick<PlayerReads, "list" | "cardSummary" | "familyCards" | "cloud">;
  account: {status(): AccountStatus};
  log: Logger;
  /** Everything discovery needs but the card options, which this keeps. */
  context(): Omit<DiscoveryContext, "cardOptions">;
}

/**
 * What each player is in Home Assistant, on the local broker: its discovery (sent again only when
 * it changes), its retained state JSON with the card's title, its availability, its artwork on a
 * topic of its own, and the "Play a card" options every player's discovery lists.
 */
export class PlayerPublisher {
  readonly #opts: PlayerPublisherOptions;
  readonly #cards = new Map<string, CardSummary | null>();
  /** Each player's discovery as last published. */
  readonly #discovery = new Map<string, string>();
  /** Each player's artwork URL as last published on its own topic. */
  readonly #artwork = new Map<string, string>();
  readonly #cardOptions = new CardOptions();

  constructor(opts: PlayerPublisherOptions) {
    this.#opts = opts;
  }

  get cardOptions(): readonly string[] {
    return this.#cardOptions.options;
  }

  cardForOption(option: string): string | undefined {
    return this.#cardOptions.cardFor(option);
  }

  /** Everything about one player; `force` sends even what has not changed (after a connect). */
  player(p: PlayerState, force = false): void {
    this.discovery(p, force);
    this.availability(p);
    this.state(p, force);
  }

  /** Discovery when it changed (a rename, alarms added, new card options), or always when forced. */
  discovery(p: PlayerState, force = false): void {
    const t = this.#opts.topics;
    const payload = playerDiscovery(p, {...this.#opts.context(), cardOptions: this.#cardOptions.options});
    const text = JSON.stringify(payload);
    if (!force && this.#discovery.get(p.id) === text) return;
    this.#discovery.set(p.id, text);
    this.#opts.publish(t.discovery(t.playerObjectId(p.id)), payload, true);
  }

  state(p: PlayerState, force = false): void {
    const cardId = p.playback.cardId;
    const card = cardId ? this.#cards.get(cardId) : undefined;
    const option = this.#cardOptions.optionFor(cardId);
    this.#opts.publish(this.#opts.topics.player(p.id), playerStateJson(p, card ?? undefined, option), true);
    this.#artworkOf(p.id, card?.image, force);
    if (cardId && !this.#cards.has(cardId)) void this.#lookUpCard(p.id, cardId);
  }

  availability(p: PlayerState): void {
    const available = p.online && this.#opts.players.cloud.state === "connected";
    this.#opts.publish(this.#opts.topics.player(p.id, "availability"), {state: available ? "online" : "offline"}, true);
  }

  /** A player gone from the account: its retained messages are cleared, so HA removes it. */
  removed(id: string): void {
    const t = this.#opts.topics;
    this.#opts.publish(t.discovery(t.playerObjectId(id)), "", true);
    this.#opts.publish(t.player(id), "", true);
    this.#opts.publish(t.player(id, "availability"), "", true);
    if (this.#artwork.delete(id)) this.#opts.publish(t.player(id, "card_image"), "", true);
    this.#discovery.delete(id);
  }

  /** The family's cards for the "Play a card" selects; a change republishes every player's discovery. */
  async refreshCardOptions(): Promise<void> {
    if (this.#opts.account.status().state !== "linked") return;
    try {
      if (!this.#cardOptions.update(await this.#opts.players.familyCards())) return;
    } catch (err) {
      this.#opts.log.debug(`Could not read the family's cards for the card pickers: ${errorMessage(err)}`);
      return;
    }
    for (const p of this.#opts.players.list()) {
      this.discovery(p);
      this.state(p);
    }
  }

  /**
   * The artwork URL on its own retained topic, sent only when it changes: Home Assistant fetches
   * the image on every message there. With no card (or no artwork) the last artwork stays, rather
   * than a URL Home Assistant would refuse.
   */
  #artworkOf(playerId: string, url: string | undefined, force: boolean): void {
    const last = this.#artwork.get(playerId);
    const next = url ?? last;
    if (!next || (next === last && !force)) return;
    this.#artwork.set(playerId, next);
    this.#opts.publish(this.#opts.topics.player(playerId, "card_image"), next, true);
  }

  /** Card title and artwork for the state JSON; remembered, including "unknown", per card. */
  async #lookUpCard(playerId: string, cardId: string): Promise<void> {
    this.#cards.set(cardId, null);
    const summary = await this.#opts.players.cardSummary(cardId);
    this.#cards.set(cardId, summary ?? null);
    const player = this.#opts.players.list().find((p) => p.id === playerId);
    if (summary && player?.playback.cardId === cardId) this.state(player);
  }
}
