import type {Component} from "./discovery.js";
import type {ComponentKit} from "./playerComponents.js";

/**
 * Something that adds entities to the bridge device and answers bridge requests: stream preset
 * selects today, rule switches with the rule engine. Adding one is one `register()` call.
 */
export interface BridgeFeature {
  readonly name: string;
  /** Components for the bridge device's discovery payload, keyed by component id. */
  components(): Record<string, Component>;
  /** Merged into the retained `<base>/bridge/info`, which those components read. */
  info(): Record<string, unknown>;
  /** Retained topics of its own under `<base>/bridge/` (e.g. `streams`), with their payloads. */
  retained?(): Record<string, unknown>;
  /**
   * `<base>/bridge/request/<path>` handlers; the answer becomes `data` of the response. The request's
   * `transaction` is echoed by the bridge, and handed over for a handler that must not act twice on one.
   */
  requests?: Record<string, (data: Record<string, unknown>, transaction?: unknown) => Promise<unknown>>;
  /** Call `changed()` whenever components, info or retained payloads change; returns an unsubscribe. */
  watch(changed: () => void): () => void;
}

/**
 * Something that adds entities to every player's device (listening time today), read from
 * retained topics of its own under `<base>/<player id>/`. Adding one is one `registerPlayer()` call.
 */
export interface PlayerFeature {
  readonly name: string;
  /** Components for one player's discovery payload, built with that player's kit. */
  components(kit: ComponentKit): Record<string, Component>;
  /** Retained payloads by topic name under `<base>/<player id>/`. */
  retained(playerId: string): Record<string, unknown>;
  /**
   * Call `changed(playerId)` when that player's entities or payloads may have changed, or
   * `changed(playerId, "payloads")` when only this feature's payloads did (a tick of a sensor):
   * then its retained topics are sent and the player's discovery is not rebuilt to be compared.
   * Returns an unsubscribe.
   */
  watch(changed: (playerId: string, only?: "payloads") => void): () => void;
}

/**
 * Something with topics of its own on the local broker, outside the bridge's discovery (the
 * media players the MQTT Media Player integration reads): republished with everything else after
 * every connect, and handed the messages on the topics it subscribes to.
 */
export interface TopicFeature {
  readonly name: string;
  /** Subscriptions beyond the bridge's own; wildcards allowed. */
  readonly subscriptions: readonly string[];
  /** Whether a message on `topic` is this feature's. */
  owns(topic: string): boolean;
  onMessage(topic: string, payload: Buffer): void;
  /** Everything retained, again (a connect, a broker that lost its retained messages). */
  publishAll(): void;
}
