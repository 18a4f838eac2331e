/** Remembered at most: past it the one seen longest ago is forgotten (it had a full bucket again by then). */
const MAX_TRACKED = 1000;

/**
 * A token bucket per assistant: `burst` calls at once, refilled at `perSecond`. A refused call
 * takes nothing. Taken and decided in one synchronous step, so a burst of a thousand at once is
 * held to `burst` as one by one are.
 */
export class AssistantRates {
  readonly #rate: {perSecond: number; burst: number};
  readonly #now: () => number;
  readonly #buckets = new Map<string, {tokens: number; at: number}>();

  constructor(rate: {perSecond: number; burst: number}, now: () => number = () => performance.now()) {
    this.#rate = rate;
    this.#now = now;
  }

  /** Undefined when the call (`cost` of them: a batch's) may go on; else the seconds to wait. */
  take(key: string, cost = 1): number | undefined {
    const {perSecond, burst} = this.#rate;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? {tokens: burst, at: now};
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > MAX_TRACKED) this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (bucket.tokens < cost) return Math.max(1, Math.ceil((cost - bucket.tokens) / perSecond));
    bucket.tokens -= cost;
    return undefined;
  }
}
