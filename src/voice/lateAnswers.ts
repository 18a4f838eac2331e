/** An answer's topic name part: Home Assistant's context ids (ULIDs) and the like, nothing a topic could trip on. */
const TOPIC_SAFE = /^[A-Za-z0-9_-]{1,64}$/;

export interface LateAnswersOptions {
  publish(topic: string, payload: string | object, retain: boolean): void;
  /** The topic of one transaction's answer: `<base>/bridge/response/voice/<transaction>`. */
  topic(transaction: string): string;
  /** How long an answer stays retained; the blueprint waits 20 s at most. */
  keepMs?: number;
  /** Answers retained at once, at most: past it the oldest is cleared early. */
  max?: number;
}

/**
 * Home Assistant's `wait_for_trigger` subscribes to the answer's topic only after the blueprint has
 * published the request, and its MQTT client sends new subscriptions a moment later, in batches; the
 * service answers in a few milliseconds, so the answer could be gone before anyone listens. Each
 * answer is therefore also published retained on a topic of its own transaction, which a late
 * subscriber receives at once, and cleared a minute later (an empty retained message), so the broker
 * keeps no more than `max` of them however many requests come.
 */
export class LateAnswers {
  readonly #opts: LateAnswersOptions;
  readonly #kept = new Map<string, NodeJS.Timeout>();

  constructor(opts: LateAnswersOptions) {
    this.#opts = opts;
  }

  /** Keep one answer for its transaction; a transaction that cannot name a topic is only answered the usual way. */
  keep(transaction: unknown, envelope: object): void {
    if (typeof transaction !== "string" || !TOPIC_SAFE.test(transaction)) return;
    this.#clear(transaction);
    this.#opts.publish(this.#opts.topic(transaction), envelope, true);
    const timer = setTimeout(() => this.#clear(transaction), this.#opts.keepMs ?? 60_000);
    timer.unref();
    this.#kept.set(transaction, timer);
    for (const oldest of this.#kept.keys()) {
      if (this.#kept.size <= (this.#opts.max ?? 200)) break;
      this.#clear(oldest);
    }
  }

  /** Every kept answer cleared: nothing retained is left behind by a stopped service. */
  clearAll(): void {
    for (const transaction of [...this.#kept.keys()]) this.#clear(transaction);
  }

  get size(): number {
    return this.#kept.size;
  }

  #clear(transaction: string): void {
    const timer = this.#kept.get(transaction);
    if (!timer) return;
    clearTimeout(timer);
    this.#kept.delete(transaction);
    this.#opts.publish(this.#opts.topic(transaction), "", true);
  }
}
