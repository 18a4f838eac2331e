import type {Component} from "./discovery.js";

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
  /** `<base>/bridge/request/<path>` handlers; the answer becomes `data` of the response. */
  requests?: Record<string, (data: Record<string, unknown>) => Promise<unknown>>;
  /** Call `changed()` whenever components, info or retained payloads change; returns an unsubscribe. */
  watch(changed: () => void): () => void;
}
