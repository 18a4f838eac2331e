/** A token bucket's size and refill. */
export interface SsdpRate {
  burst: number;
  perSecond: number;
}

/**
 * Anyone on the network can send M-SEARCHes, and one search for ssdp:all costs six answers per
 * renderer: searches are limited per sender, and answers across all senders, so a flood (or a
 * spoofed sender aiming our answers at a third host) costs a bounded number of datagrams.
 */
export const DEFAULT_PER_SENDER: SsdpRate = {burst: 10, perSecond: 2};
export const DEFAULT_ALL_SENDERS: SsdpRate = {burst: 600, perSecond: 300};
/** Senders remembered; past this the least recently seen is forgotten (a full bucket again). */
const MAX_SENDERS = 4096;

type Bucket = {tokens: number; at: number};

function refill(bucket: Bucket, rate: SsdpRate, now: number): void {
  bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
  bucket.at = now;
}

/** Per-sender search limits and a shared answer budget; a refused take costs nothing. */
export class SsdpLimits {
  readonly #perSender: SsdpRate;
  readonly #all: SsdpRate;
  readonly #senders = new Map<string, Bucket>();
  readonly #shared: Bucket;

  constructor(perSender: SsdpRate = DEFAULT_PER_SENDER, all: SsdpRate = DEFAULT_ALL_SENDERS) {
    this.#perSender = perSender;
    this.#all = all;
    this.#shared = {tokens: all.burst, at: performance.now()};
  }

  /** Whether `sender` may have `answers` datagrams for one more search now: "sender", "all" or undefined when it may. */
  take(sender: string, answers: number): "sender" | "all" | undefined {
    const now = performance.now();
    const bucket = this.#senders.get(sender) ?? {tokens: this.#perSender.burst, at: now};
    refill(bucket, this.#perSender, now);
    refill(this.#shared, this.#all, now);
    // Re-inserted so the Map's order is least recently seen first.
    this.#senders.delete(sender);
    if (this.#senders.size >= MAX_SENDERS) {
      const oldest = this.#senders.keys().next().value;
      if (oldest !== undefined) this.#senders.delete(oldest);
    }
    this.#senders.set(sender, bucket);
    if (bucket.tokens < 1) return "sender";
    // More renderers than the whole budget still get answered, once the budget is full.
    const cost = Math.min(answers, this.#all.burst);
    if (this.#shared.tokens < cost) return "all";
    bucket.tokens -= 1;
    this.#shared.tokens -= cost;
    return undefined;
  }
}
