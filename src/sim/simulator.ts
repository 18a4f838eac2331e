import http from "node:http";
import type {AddressInfo} from "node:net";
import Router from "@koa/router";
import Koa from "koa";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {SimBroker} from "./broker.js";
import {cdnRoutes} from "./cdn.js";
import type {SimCard} from "./content.js";
import {controlRoutes} from "./control.js";
import {groupRoutes, newGroup, type SimGroup} from "./groups.js";
import {iconImage} from "./imageRoutes.js";
import {SimulatorMedia} from "./mediaFaults.js";
import {SimOAuth} from "./oauth.js";
import {type PlayerSpec, type PlayerWorld, VirtualPlayer} from "./player.js";
import {apiGuard, restRoutes, type SimRestState} from "./rest.js";
import {uploadRoutes} from "./uploads.js";

export interface SimulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tokenTtlSeconds?: number;
  /** Auth0's refresh-token reuse interval (default 0: a rotated token is dead at once). */
  refreshReuseSeconds?: number;
  deviceCodeIntervalSeconds?: number;
  deviceCodeTtlSeconds?: number;
  /** The scopes the client's app allows (default: any); asking for another ends the sign-in. */
  allowedScopes?: readonly string[];
  /** The scopes Yoto grants (default: every one asked for); the rest are left out without an error. */
  grantedScopes?: readonly string[];
  /** Whether token answers say what they grant (the `scope` field, the JWT's claim); default both. */
  tellScopes?: {answer?: boolean; token?: boolean};
  /** Seconds of playback per real second; tests speed tracks up. */
  speed?: number;
  /** Full event snapshots while a player plays (default 5 s, as real players). */
  eventsIntervalMs?: number;
  /**
   * How far a player reads a stream with no end before it takes it as endless and stops (default
   * 4 MiB); Infinity reads a live cast for as long as it plays, as a Yoto does.
   */
  fetchLimitBytes?: number;
  /** Legacy status partials and unsolicited data/status (default 5 min, as real players). */
  statusIntervalMs?: number;
  players?: PlayerSpec[];
  /** Lifetime of signed media links in read-backs (default 3600 s, as Yoto's); also `sim.signedLinkSeconds`. */
  signedLinkSeconds?: number;
  log?: Logger;
}

/** The demo's two players: a third-generation player and a Mini. */
export const DEMO_PLAYERS: PlayerSpec[] = [
  {deviceId: "y7s9dk3mqp2x8v4n1c6b0zlq", name: "Living Room", deviceType: "v3", deviceFamily: "v3"},
  {deviceId: "y2m8rj5tnw4h9f1g7e3k6aqp", name: "Bedroom Mini", deviceType: "mini", deviceFamily: "mini"},
];

/**
 * A local stand-in for Yoto's cloud on one port: OAuth and REST over HTTP, MQTT over WebSocket
 * at /mqtt, virtual players behind it, the CDN and upload bucket (media faults: SimulatorMedia),
 * and /sim for control and faults. The client is pointed at it by base URLs only.
 */
export class YotoSimulator extends SimulatorMedia implements Service {
  readonly name = "yoto-simulator";
  readonly players = new Map<string, VirtualPlayer>();
  readonly oauth: SimOAuth;
  readonly broker: SimBroker;
  readonly acks = {delayMs: 0, lose: false};
  readonly #state: SimRestState;
  readonly #groups = new Map<string, SimGroup>();
  readonly #opts: SimulatorOptions;
  readonly #world: PlayerWorld;
  #server?: http.Server;

  constructor(opts: SimulatorOptions = {}) {
    super(opts.signedLinkSeconds);
    this.#opts = opts;
    this.oauth = new SimOAuth({
      tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
      deviceCodeTtlSeconds: opts.deviceCodeTtlSeconds ?? 300,
      deviceCodeIntervalSeconds: opts.deviceCodeIntervalSeconds ?? 5,
      refreshReuseSeconds: opts.refreshReuseSeconds ?? 0,
      baseUrl: () => this.url,
      allowedScopes: opts.allowedScopes,
      grantedScopes: opts.grantedScopes,
      tellScopes: opts.tellScopes,
    });
    this.#state = {
      players: this.players,
      cards: new Map(),
      icons: new Map(),
      iconImages: new Map(),
      failNext: 0,
      rateLimit: this.rateLimit,
      limits: this.limits,
      baseUrl: () => this.url,
      links: () => ({baseUrl: this.url, seconds: this.media.signedLinkSeconds, generation: this.media.generation}),
    };
    this.broker = new SimBroker(this.oauth, this.players);
    this.#world = {
      publish: (topic: string, payload: object | string, retain?: boolean) =>
        this.broker.publish(topic, payload, retain),
      card: (cardId: string) => this.#state.cards.get(cardId),
      acks: this.acks,
      speed: opts.speed ?? 1,
      eventsIntervalMs: opts.eventsIntervalMs ?? 5000,
      statusIntervalMs: opts.statusIntervalMs ?? 5 * 60_000,
      ...(opts.fetchLimitBytes !== undefined ? {fetchLimitBytes: opts.fetchLimitBytes} : {}),
    };
    for (const spec of opts.players ?? DEMO_PLAYERS)
      this.players.set(spec.deviceId, new VirtualPlayer({...spec}, this.#world));
  }

  async start(): Promise<void> {
    const app = new Koa();
    app.silent = true;
    const router = new Router();
    this.oauth.routes(router);
    groupRoutes(router, this.#groups);
    restRoutes(router, this.#state);
    cdnRoutes(
      router,
      this.media,
      () => this.url,
      (mediaId) => iconImage(this.#state, mediaId),
    );
    uploadRoutes(router, this.media, this.uploadSettings, () => this.url);
    controlRoutes(router, {
      oauth: this.oauth,
      broker: this.broker,
      state: this.#state,
      acks: this.acks,
      mediaFaults: (f) => this.applyMediaFaults(f),
    });
    app.use(apiGuard(this.oauth, this.#state));
    app.use(router.routes());
    app.use(router.allowedMethods());
    const server = http.createServer(app.callback());
    await this.broker.start(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#opts.port ?? 0, this.#opts.host ?? "127.0.0.1", () => resolve());
    });
    this.#server = server;
    for (const player of this.players.values()) player.start();
    this.#opts.log?.info(`Yoto cloud simulator on ${this.url} with ${this.players.size} virtual player(s)`);
  }

  async stop(): Promise<void> {
    for (const player of this.players.values()) player.stop();
    await this.broker.stop();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    const address = this.#server?.address() as AddressInfo | null;
    return `http://${this.#opts.host ?? "127.0.0.1"}:${address?.port ?? this.#opts.port ?? 0}`;
  }

  /** Base URLs a client is pointed at: the only thing that tells it this is not Yoto. */
  get endpoints(): {authUrl: string; apiUrl: string; mqttUrl: string} {
    return {authUrl: this.url, apiUrl: this.url, mqttUrl: `${this.url.replace(/^http/, "ws")}/mqtt`};
  }

  /** Put a card straight into the account (tests and the demo). */
  addCard(card: {
    cardId: string;
    title: string;
    content: SimCard["content"];
    metadata?: Record<string, unknown>;
  }): SimCard {
    const now = new Date().toISOString();
    const stored: SimCard = {...card, userId: "auth0|sim-family-user", createdAt: now, updatedAt: now};
    this.#state.cards.set(card.cardId, stored);
    return stored;
  }

  /**
   * A shop or physical card in the family's library: theirs to play, not to read through
   * `/content/{id}` or to edit, with Yoto's own keys (`01-INT`, `02-1`, `00`).
   */
  addStoreCard(card: {
    cardId: string;
    title: string;
    content: SimCard["content"];
    metadata?: Record<string, unknown>;
  }): SimCard {
    const stored = this.addCard(card);
    stored.userId = "yoto";
    return stored;
  }

  /** The family makes (or edits) a group in the Yoto app ("Bedtime": these cards, in this order); returns its id. */
  addGroup(name: string, cardIds: string[]): string {
    // The same name again is the family editing that group.
    const id = [...this.#groups.values()].find((g) => g.name === name)?.id ?? `grp${this.#groups.size + 1}`;
    this.#groups.set(id, newGroup(id, name, cardIds));
    return id;
  }

  /** The family deletes a card in the Yoto app. */
  removeCard(cardId: string): boolean {
    return this.#state.cards.delete(cardId);
  }

  /** Every card on the simulated account. */
  get cardIds(): string[] {
    return [...this.#state.cards.keys()];
  }

  /** A card as stored: to read. Change one with `editCard` (the listings are kept per card object). */
  card(cardId: string): SimCard | undefined {
    return this.#state.cards.get(cardId);
  }

  /** Change a card as the family does in Yoto's own app: `edit` gets a copy, which replaces it. */
  editCard(cardId: string, edit: (card: SimCard) => void): void {
    const stored = this.#state.cards.get(cardId);
    if (!stored) throw new Error(`sim: no card ${cardId}`);
    const copy = structuredClone(stored);
    edit(copy);
    this.#state.cards.set(cardId, copy);
  }

  /** An icon the family uploaded elsewhere (Yoto's own app): it shows in their icon list. */
  addUserIcon(mediaId: string, title: string): void {
    this.#state.icons.set(mediaId, {
      mediaId,
      displayIconId: `user-${mediaId.slice(0, 8)}`,
      userId: "auth0|sim-family-user",
      title,
      url: `${this.url}/icons/${mediaId}.png`,
    });
  }

  /** A player newly added to the family's account (it shows in the device list from now on). */
  addPlayer(spec: PlayerSpec): VirtualPlayer {
    const player = new VirtualPlayer({...spec}, this.#world);
    this.players.set(spec.deviceId, player);
    if (this.#server) player.start();
    return player;
  }

  /** A player taken off the family's account. */
  removePlayer(deviceId: string): void {
    this.players.get(deviceId)?.stop();
    this.players.delete(deviceId);
  }

  player(deviceId: string): VirtualPlayer {
    const player = this.players.get(deviceId);
    if (!player) throw new Error(`YotoSimulator: no virtual player '${deviceId}'`);
    return player;
  }
}
