import type {BrokerConnection} from "../broker/localBroker.js";
import type {EventBus} from "../core/events.js";
import {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {AccountStatus} from "../yoto/account.js";
import {cardMoves, type PlayerState} from "../yoto/playerModel.js";
import type {BridgeAnnouncer} from "./announceFeature.js";
import {BridgeRequests} from "./bridgeRequests.js";
import {bridgeDiscovery, type Component} from "./discovery.js";
import type {BridgeFeature, PlayerFeature, TopicFeature} from "./features.js";
import {LocalMqtt} from "./localMqtt.js";
import type {ComponentKit} from "./playerComponents.js";
import {PlayerPublisher} from "./playerPublisher.js";
import type {BridgeTopics} from "./topics.js";

export interface HaBridgeOptions {
  broker: () => BrokerConnection;
  topics: BridgeTopics;
  players: GatedPlayers;
  account: {status(): AccountStatus};
  bus: EventBus;
  log: Logger;
  version: string;
  configurationUrl?: () => string | undefined;
  /** Every message from the local broker also goes here (rule triggers filter their topics). */
  onAnyMessage?: (topic: string, payload: Buffer) => void;
  /** How often the "Play a card" lists are re-read from the family's cards. */
  cardOptionsRefreshMs?: number;
  /** Wait before republishing after Home Assistant's birth message (jittered, as HA advises). */
  republishDelayMs?: () => number;
  backoff?: {initialMs: number; maxMs: number};
  /** Announcements: a notify entity per player, `set {"announce": …}` and `player/announce`. */
  announcer?: BridgeAnnouncer;
  /** How long a flood of refused messages is counted before it is summed up in the log (a minute). */
  floodWindowMs?: number;
}

/** Player fields the discovery payload depends on (names, model, which alarms exist). */
const DISCOVERY_FIELDS = new Set(["name", "firmware", "type", "family", "settings"]);

/**
 * Players as Home Assistant devices over MQTT discovery (docs/home-assistant-mqtt.md, "MQTT and Home Assistant entities"): retained state, availability
 * and discovery per player and for the bridge, commands from `set` topics and `bridge/request`,
 * a full republish on every connect and on Home Assistant's birth message.
 */
export class HaBridge implements Service {
  readonly name = "ha-bridge";
  readonly mqtt: LocalMqtt;
  readonly #opts: HaBridgeOptions;
  readonly #features: BridgeFeature[] = [];
  readonly #playerFeatures: PlayerFeature[] = [];
  /** Per player feature: the topic names last sent for each player, so one it stops sending is cleared. */
  readonly #retainedNames = new Map<PlayerFeature, Map<string, Set<string>>>();
  readonly #topicFeatures: TopicFeature[] = [];
  readonly #unwatch: Array<() => void> = [];
  readonly #requests: BridgeRequests;
  readonly #flood: FloodSummary;
  /** Bridge components published last time, so removed ones can be cleared. */
  #bridgeKeys = new Map<string, string>();
  readonly #publisher: PlayerPublisher;
  #republishTimer?: NodeJS.Timeout;
  #cardOptionsTimer?: NodeJS.Timeout;

  constructor(opts: HaBridgeOptions) {
    this.#opts = opts;
    const t = opts.topics;
    this.#flood = new FloodSummary(opts.log, {windowMs: opts.floodWindowMs});
    this.#requests = new BridgeRequests({
      players: opts.players,
      features: this.#features,
      publish: (topic, payload) => this.mqtt.publish(topic, payload),
      topics: t,
      log: opts.log,
      cardForOption: (option) => this.#publisher.cardForOption(option),
      announcer: opts.announcer,
      flood: this.#flood,
    });
    this.mqtt = new LocalMqtt({
      connection: opts.broker,
      stateTopic: t.bridgeState,
      topics: () => [...t.subscriptions, ...this.#topicFeatures.flatMap((f) => f.subscriptions)],
      onMessage: (topic, payload) => this.#onMessage(topic, payload),
      onConnect: () => this.publishAll(),
      log: opts.log.child("mqtt"),
      backoff: opts.backoff,
    });
    this.#publisher = new PlayerPublisher({
      publish: (topic, payload, retain) => this.mqtt.publish(topic, payload, retain),
      topics: t,
      players: opts.players,
      account: opts.account,
      log: opts.log,
      context: () => this.#ctx(),
    });
  }

  /** Add a feature's entities and requests; call before start. */
  register(feature: BridgeFeature): void {
    this.#features.push(feature);
  }

  /** Add entities to every player's device; call before start. */
  registerPlayer(feature: PlayerFeature): void {
    this.#playerFeatures.push(feature);
    this.#retainedNames.set(feature, new Map());
  }

  /** Add a feature with topics of its own (subscribed, republished with the rest); call before start. */
  registerTopics(feature: TopicFeature): void {
    this.#topicFeatures.push(feature);
  }

  async start(): Promise<void> {
    const {bus} = this.#opts;
    bus.on(this, "player.added", ({player}) => this.#playerAppeared(player));
    bus.on(this, "player.changed", ({player, previous, changed}) => this.#playerChanged(player, previous, changed));
    bus.on(this, "player.removed", ({id, name}) => this.#playerRemoved(id, name));
    bus.on(this, "account.changed", (status) => {
      this.#publishBridge();
      if (status.state === "linked") void this.#publisher.refreshCardOptions();
    });
    // Story moves for Home Assistant's event entity: the inferred button, then the scene entered.
    bus.on(this, "player.buttonPressed", (e) =>
      this.mqtt.publish(this.#opts.topics.player(e.playerId, "event"), {
        event_type: e.button === "end" ? "track_end" : `button_${e.button}`,
        card_id: e.cardId ?? null,
        story: e.story ?? null,
        scene: e.scene ?? null,
        to: e.to ?? null,
      }),
    );
    bus.on(this, "story.sceneEntered", (e) =>
      this.mqtt.publish(this.#opts.topics.player(e.playerId, "event"), {
        event_type: e.from === undefined ? "story_started" : "story_choice",
        card_id: e.cardId ?? null,
        story: e.story,
        scene: e.scene,
        from: e.from ?? null,
        button: e.button ?? null,
      }),
    );
    bus.on(this, "cloud.stateChanged", () => {
      this.#publishBridge();
      for (const p of this.#opts.players.list()) this.#publisher.availability(p);
    });
    for (const f of this.#features) this.#unwatch.push(f.watch(() => this.#publishBridge()));
    for (const f of this.#playerFeatures)
      this.#unwatch.push(
        f.watch((id, only) => (only === "payloads" ? this.#publishRetained(f, id) : this.#publishPlayerFeatures(id))),
      );
    this.#cardOptionsTimer = setInterval(
      () => void this.#publisher.refreshCardOptions(),
      this.#opts.cardOptionsRefreshMs ?? 5 * 60_000,
    );
    this.#cardOptionsTimer.unref();
    await this.mqtt.start();
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    for (const unwatch of this.#unwatch.splice(0)) unwatch();
    clearTimeout(this.#republishTimer);
    clearInterval(this.#cardOptionsTimer);
    await this.mqtt.stop();
    this.#flood.stop();
  }

  health() {
    return {details: {connected: this.mqtt.connected, ...this.mqtt.stats}};
  }

  /** Everything we own, retained: after a connect, a broker restart, or Home Assistant coming online. */
  publishAll(): void {
    this.#publishBridge();
    for (const p of this.#opts.players.list()) {
      this.#publisher.player(p, true);
      this.#publishPlayerFeatures(p.id);
    }
    void this.#publisher.refreshCardOptions();
    for (const f of this.#topicFeatures) f.publishAll();
  }

  #onMessage(topic: string, payload: Buffer): void {
    this.#opts.onAnyMessage?.(topic, payload);
    const t = this.#opts.topics;
    if (topic === t.haStatus) {
      if (payload.toString("utf8").trim() === "online") this.#scheduleRepublish();
      return;
    }
    const set = t.parseSet(topic);
    if (set) {
      void this.#requests.set(set.player, set.attribute, payload);
      return;
    }
    const feature = this.#topicFeatures.find((f) => f.owns(topic));
    if (feature) {
      feature.onMessage(topic, payload);
      return;
    }
    const path = t.parseRequest(topic);
    if (path !== undefined) void this.#requests.handle(path, payload, () => this.publishAll());
  }

  #scheduleRepublish(): void {
    clearTimeout(this.#republishTimer);
    const delay = this.#opts.republishDelayMs?.() ?? 1000 + Math.random() * 2000;
    this.#republishTimer = setTimeout(() => {
      this.#opts.log.info("Home Assistant came online: republishing discovery and state");
      // The bridge state too: a stale offline there keeps every entity unavailable.
      this.mqtt.announceOnline();
      this.publishAll();
    }, delay);
  }

  #publishBridge(): void {
    const {topics: t, version} = this.#opts;
    const extra: Record<string, Component> = {};
    const info: Record<string, unknown> = {};
    for (const f of this.#features) {
      Object.assign(extra, f.components());
      Object.assign(info, f.info());
      for (const [name, value] of Object.entries(f.retained?.() ?? {}))
        this.mqtt.publish(`${t.base}/bridge/${name}`, value as object, true);
    }
    const account = this.#opts.account.status();
    this.mqtt.publish(
      t.bridge("info"),
      {
        version,
        cloud: this.#opts.players.cloud.state,
        account: account.state,
        account_reason: account.reason ?? null,
        account_unsaved_since: account.unsavedSince ?? null,
        players: this.#opts.players.list().length,
        base_topic: t.base,
        ...info,
      },
      true,
    );
    this.mqtt.publish(
      t.bridge("players"),
      this.#opts.players.list().map((p) => ({id: p.id, name: p.name, model: p.type, online: p.online})),
      true,
    );
    const payload = bridgeDiscovery(this.#ctx(), extra);
    const components = payload.components as Record<string, Component>;
    const current = new Map(Object.entries(components).map(([key, c]) => [key, c.platform]));
    // A component that disappeared is sent once with only its platform, which removes it (HA docs).
    for (const [key, platform] of this.#bridgeKeys) if (!current.has(key)) components[key] = {platform};
    this.#bridgeKeys = current;
    this.mqtt.publish(t.discovery(t.bridgeObjectId), payload, true);
  }

  /** Every player feature's retained topics for one player (only while the player is on the account). */
  #publishPlayerFeatures(id: string): void {
    const player = this.#opts.players.list().find((p) => p.id === id);
    if (!player) return;
    // A feature's entities may come and go with it (a player made shared gets a select): sent only when changed.
    this.#publisher.discovery(player);
    for (const f of this.#playerFeatures) this.#sendRetained(f, id);
  }

  /** One feature's retained topics for one player, when only they changed (only while the player is on the account). */
  #publishRetained(feature: PlayerFeature, id: string): void {
    if (this.#opts.players.list().some((p) => p.id === id)) this.#sendRetained(feature, id);
  }

  #sendRetained(feature: PlayerFeature, id: string): void {
    const payloads = feature.retained(id);
    const names = this.#retainedNames.get(feature) as Map<string, Set<string>>;
    // A topic the feature no longer has for this player (a player no longer shared) is cleared.
    for (const name of names.get(id) ?? []) if (!Object.hasOwn(payloads, name)) this.#clear(id, name);
    names.set(id, new Set(Object.keys(payloads)));
    for (const [name, payload] of Object.entries(payloads))
      this.mqtt.publish(`${this.#opts.topics.player(id)}/${name}`, payload as object, true);
  }

  #clear(id: string, name: string): void {
    this.mqtt.publish(`${this.#opts.topics.player(id)}/${name}`, "", true);
  }

  #playerAppeared(p: PlayerState): void {
    this.#publisher.player(p);
    this.#publishPlayerFeatures(p.id);
    this.#publishBridge();
    this.mqtt.publish(this.#opts.topics.bridge("event"), {type: "player_added", data: {id: p.id, name: p.name}});
  }

  #playerChanged(p: PlayerState, previous: PlayerState, changed: string[]): void {
    if (changed.some((key) => DISCOVERY_FIELDS.has(key))) this.#publisher.discovery(p);
    if (changed.includes("online")) this.#publisher.availability(p);
    this.#publisher.state(p);
    const {removed, inserted} = cardMoves(previous, p);
    const t = this.#opts.topics;
    if (removed) this.mqtt.publish(t.player(p.id, "event"), {event_type: "card_removed", card_id: removed});
    if (inserted) {
      this.mqtt.publish(t.player(p.id, "event"), {event_type: "card_inserted", card_id: inserted});
      this.mqtt.publish(t.player(p.id, "card"), inserted);
    }
  }

  #playerRemoved(id: string, name: string): void {
    const t = this.#opts.topics;
    this.#publisher.removed(id);
    for (const f of this.#playerFeatures) {
      const sent = this.#retainedNames.get(f) as Map<string, Set<string>>;
      for (const name of new Set([...(sent.get(id) ?? []), ...Object.keys(f.retained(id))])) this.#clear(id, name);
      sent.delete(id);
    }
    this.#publishBridge();
    this.mqtt.publish(t.bridge("event"), {type: "player_removed", data: {id, name}});
  }

  #ctx() {
    return {
      topics: this.#opts.topics,
      version: this.#opts.version,
      configurationUrl: this.#opts.configurationUrl?.(),
      cardOptions: this.#publisher.cardOptions,
      announce: this.#opts.announcer !== undefined,
      playerComponents: (kit: ComponentKit) =>
        Object.assign({}, ...this.#playerFeatures.map((f) => f.components(kit))) as Record<string, Component>,
    };
  }
}
