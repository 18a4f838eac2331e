import {isIP} from "node:net";
import type {Middleware} from "koa";
import {normalizeAddress} from "../../core/address.js";
import {AppError} from "../../core/errors.js";
import {clientAddress} from "../clientAddress.js";

export interface RateLimitOptions {
  /** Requests a client may make at once. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
  trustedProxies: readonly string[];
}

// Generous: a player seeking through a story makes a handful of range requests a second at most.
export const DEFAULT_AUDIO_RATE_LIMIT = {burst: 120, perSecond: 20};
const MAX_TRACKED_CLIENTS = 10_000;

type Bucket = {tokens: number; at: number};

export type RateDecision = {ok: true; client: string} | {ok: false; retryAfterSeconds: number};

/** A token bucket per client. A refused request takes no token (it may be asked again). */
export class RateLimiter {
  readonly #options: RateLimitOptions;
  readonly #trusted: ReadonlySet<string>;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    this.#options = options;
    this.#trusted = new Set(options.trustedProxies.map(normalizeAddress));
  }

  /** Whether `take` would let the request through now, without taking anything. */
  allows(peer: string | undefined, forwardedFor: string | undefined): boolean {
    const existing = this.#buckets.get(bucketKey(clientAddress(peer, forwardedFor, this.#trusted)));
    return !existing || this.#tokensNow(existing, performance.now()) >= 1;
  }

  take(peer: string | undefined, forwardedFor: string | undefined): RateDecision {
    const options = this.#options;
    const buckets = this.#buckets;
    const client = clientAddress(peer, forwardedFor, this.#trusted);
    const key = bucketKey(client);
    const now = performance.now();
    const bucket = buckets.get(key) ?? {tokens: options.burst, at: now};
    bucket.tokens = this.#tokensNow(bucket, now);
    bucket.at = now;
    if (bucket.tokens < 1) return {ok: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / options.perSecond)};
    bucket.tokens -= 1;
    if (!buckets.has(key) && buckets.size >= MAX_TRACKED_CLIENTS) makeRoom(buckets, options, now);
    // Re-insert so the Map's order is least recently seen first.
    buckets.delete(key);
    buckets.set(key, bucket);
    return {ok: true, client};
  }

  #tokensNow(bucket: Bucket, now: number): number {
    const {burst, perSecond} = this.#options;
    return Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
  }
}

/** The limiter as middleware: over the limit answers 429 with Retry-After. */
export function rateLimit(limiter: RateLimiter): Middleware {
  return async (ctx, next) => {
    const decision = limiter.take(ctx.req.socket.remoteAddress, ctx.get("X-Forwarded-For") || undefined);
    if (!decision.ok) {
      ctx.set("Retry-After", String(decision.retryAfterSeconds));
      throw new AppError("rate_limited", "Too many requests from this address; slow down and retry", {status: 429});
    }
    ctx.state.client = decision.client;
    await next();
  };
}

/** One IPv6 host usually owns a whole /64; keying by it stops address hopping around the limit. */
export function bucketKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.toLowerCase().split("::");
  const first = head ? head.split(":") : [];
  const last = tail ? tail.split(":") : [];
  // "::" stands for as many zero groups as make eight.
  const groups = tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill("0"), ...last];
  return `${groups.slice(0, 4).join(":")}::/64`;
}

// Forget refilled clients (they would start full anyway); if none refilled, forget the oldest, so a
// flood of new addresses costs one deletion per request rather than a scan of every client.
function makeRoom(buckets: Map<string, Bucket>, options: RateLimitOptions, now: number): void {
  const refillMs = (options.burst / options.perSecond) * 1000;
  for (const [key, b] of buckets) {
    if (now - b.at <= refillMs) break;
    buckets.delete(key);
  }
  if (buckets.size >= MAX_TRACKED_CLIENTS) buckets.delete(buckets.keys().next().value as string);
}
