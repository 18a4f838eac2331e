import type {Middleware} from "koa";
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

/** A token bucket per client address; over the limit answers 429 with Retry-After. */
export function rateLimit(options: RateLimitOptions): Middleware {
  const trusted = new Set(options.trustedProxies);
  const buckets = new Map<string, {tokens: number; at: number}>();
  return async (ctx, next) => {
    const client = clientAddress(ctx.req.socket.remoteAddress, ctx.get("X-Forwarded-For") || undefined, trusted);
    const now = performance.now();
    const bucket = buckets.get(client) ?? {tokens: options.burst, at: now};
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      ctx.set("Retry-After", String(Math.ceil((1 - bucket.tokens) / options.perSecond)));
      throw new AppError("rate_limited", "Too many requests from this address; slow down and retry", {status: 429});
    }
    bucket.tokens -= 1;
    if (!buckets.has(client) && buckets.size >= MAX_TRACKED_CLIENTS) prune(buckets, options, now);
    buckets.set(client, bucket);
    ctx.state.client = client;
    await next();
  };
}

// Forget clients whose bucket has refilled: they would start full anyway.
function prune(buckets: Map<string, {tokens: number; at: number}>, options: RateLimitOptions, now: number): void {
  const refillMs = (options.burst / options.perSecond) * 1000;
  for (const [client, b] of buckets) if (now - b.at > refillMs) buckets.delete(client);
}
