import {formatBytes} from "../core/bytes.js";

export interface RetainedLimits {
  /** How many topics may hold a retained message. */
  maxMessages: number;
  /** Their topics and payloads together, in bytes. */
  maxBytes: number;
}

/**
 * Keeps count of what the embedded broker retains (Aedes keeps it in memory and never gives it back
 * on its own): a retained message that would take the store over its limits is refused. The
 * service's own messages (discovery, state) are always taken, and count like everyone else's, so
 * another client filling the store can never make Home Assistant lose an entity.
 */
export class RetainedBudget {
  readonly #limits: RetainedLimits;
  /** Topic → bytes it holds. A Map: topics come off the wire, and "__proto__" is a fine topic. */
  readonly #sizes = new Map<string, number>();
  #bytes = 0;

  constructor(limits: RetainedLimits) {
    this.#limits = limits;
  }

  /**
   * Records a retained message about to be stored and returns undefined, or returns why it is
   * refused (and records nothing). An empty payload deletes the topic's message: always fine.
   */
  admit(topic: string, payloadBytes: number, alwaysFits: boolean): string | undefined {
    const previous = this.#sizes.get(topic);
    if (payloadBytes === 0) {
      this.#sizes.delete(topic);
      this.#bytes -= previous ?? 0;
      return undefined;
    }
    const size = Buffer.byteLength(topic) + payloadBytes;
    const bytes = this.#bytes - (previous ?? 0) + size;
    const messages = this.#sizes.size + (previous === undefined ? 1 : 0);
    if (!alwaysFits) {
      const {maxMessages, maxBytes} = this.#limits;
      if (messages > maxMessages)
        return `the broker already keeps ${this.#sizes.size} retained messages, its limit is ${maxMessages}`;
      if (bytes > maxBytes)
        return `retained messages would take ${formatBytes(bytes)}, over the broker's limit of ${formatBytes(maxBytes)}`;
    }
    this.#sizes.set(topic, size);
    this.#bytes = bytes;
    return undefined;
  }

  get stats(): {messages: number; bytes: number} {
    return {messages: this.#sizes.size, bytes: this.#bytes};
  }
}
