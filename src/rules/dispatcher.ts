import type {EventSource, TriggerHost} from "./types.js";

type Handler = (event: Record<string, unknown>) => void;
type MqttHandler = (topic: string, payload: string) => void;

// setTimeout takes at most ~24.8 days; longer waits are re-armed.
const MAX_TIMER_MS = 2_147_000_000;

/**
 * Where triggers attach. Event handlers are indexed by source and key, so an event reaches only
 * the triggers that named its key (or "*"): dispatch cost follows matching rules, not all rules.
 */
export class Dispatcher implements TriggerHost {
  readonly timeZone: string;
  readonly #handlers = new Map<EventSource, Map<string, Set<Handler>>>();
  readonly #mqtt = new Map<string, Set<MqttHandler>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #onMqttTopics: (topics: string[]) => void | Promise<void>;
  #batching = 0;
  #topicsBefore: string | undefined;
  #subscribed: Promise<void> = Promise.resolve();

  constructor(timeZone: string, onMqttTopics: (topics: string[]) => void | Promise<void> = () => {}) {
    this.timeZone = timeZone;
    this.#onMqttTopics = onMqttTopics;
  }

  /** Settles once the broker has the last change of MQTT topics (as far as the broker says). */
  subscribed(): Promise<void> {
    return this.#subscribed;
  }

  subscribe(source: EventSource, key: string, handler: Handler): () => void {
    const byKey = this.#handlers.get(source) ?? new Map<string, Set<Handler>>();
    this.#handlers.set(source, byKey);
    const set = byKey.get(key) ?? new Set<Handler>();
    byKey.set(key, set);
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0) byKey.delete(key);
    };
  }

  /** Deliver an event to the handlers of its keys and of "*". */
  dispatch(source: EventSource, keys: string[], event: Record<string, unknown>): number {
    const byKey = this.#handlers.get(source);
    if (!byKey) return 0;
    let delivered = 0;
    for (const key of [...keys, "*"]) {
      const set = byKey.get(key);
      if (!set) continue;
      for (const handler of [...set]) {
        delivered++;
        handler(event);
      }
    }
    return delivered;
  }

  schedule(next: (after: number) => number | undefined, handler: (at: number) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const arm = (after: number) => {
      const at = next(after);
      if (at === undefined || stopped) return;
      const wait = () => {
        const left = at - Date.now();
        if (left > 0) {
          timer = setTimeout(wait, Math.min(left, MAX_TIMER_MS));
          this.#timers.add(timer);
          return;
        }
        if (timer) this.#timers.delete(timer);
        handler(at);
        arm(at);
      };
      wait();
    };
    arm(Date.now());
    return () => {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        this.#timers.delete(timer);
      }
    };
  }

  mqtt(topic: string, handler: MqttHandler): () => void {
    const known = this.#mqtt.get(topic);
    const set = known ?? new Set<MqttHandler>();
    if (!known) {
      this.#mqtt.set(topic, set);
      this.#topicsChanged();
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.#mqtt.get(topic) === set) {
        this.#mqtt.delete(topic);
        this.#topicsChanged();
      }
    };
  }

  /**
   * Detach and re-attach triggers inside `fn` and tell the broker only the net change once it
   * returns. A reload re-attaches every rule: without this each MQTT topic would be unsubscribed
   * and subscribed again, and a message arriving in between would be lost.
   */
  batch<T>(fn: () => T): T {
    if (this.#batching++ === 0) this.#topicsBefore = [...this.#mqtt.keys()].sort().join("\n");
    try {
      return fn();
    } finally {
      if (--this.#batching === 0) {
        const topics = [...this.#mqtt.keys()];
        if (topics.sort().join("\n") !== this.#topicsBefore) this.#tellBroker(topics);
      }
    }
  }

  #topicsChanged(): void {
    if (this.#batching === 0) this.#tellBroker([...this.#mqtt.keys()]);
  }

  #tellBroker(topics: string[]): void {
    // Each change subscribes only the topics it adds: wait for those of earlier changes too.
    const told = Promise.resolve(this.#onMqttTopics(topics)).catch(() => undefined);
    this.#subscribed = Promise.all([this.#subscribed, told]).then(() => undefined);
  }

  /** A message from the local broker: exact topics by lookup, wildcard subscriptions by match. */
  deliverMqtt(topic: string, payload: string): void {
    for (const [filter, handlers] of this.#mqtt) {
      if (filter !== topic && !topicMatches(filter, topic)) continue;
      for (const handler of [...handlers]) handler(topic, payload);
    }
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#handlers.clear();
    this.#mqtt.clear();
  }
}

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length || (f[i] !== "+" && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}
