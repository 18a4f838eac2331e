import {describe, expect, it} from "vitest";
import {RateLimiter} from "../../../src/http/middleware/rateLimit.js";

const limiter = () => new RateLimiter({burst: 2, perSecond: 0.001, trustedProxies: []});

describe("RateLimiter", () => {
  it("answers whether a request would pass without taking a token", () => {
    const rate = limiter();
    for (let i = 0; i < 5; i++) expect(rate.allows("192.0.2.1", undefined)).toBe(true);
    expect(rate.take("192.0.2.1", undefined)).toEqual({ok: true, client: "192.0.2.1"});
    expect(rate.allows("192.0.2.1", undefined)).toBe(true);
    expect(rate.take("192.0.2.1", undefined).ok).toBe(true);
    expect(rate.allows("192.0.2.1", undefined)).toBe(false);
    expect(rate.take("192.0.2.1", undefined)).toMatchObject({ok: false});
    // Another client has its own bucket.
    expect(rate.allows("192.0.2.2", undefined)).toBe(true);
  });

  it("keys an IPv6 client by its /64, for asking as for taking", () => {
    const rate = limiter();
    rate.take("2001:db8::1", undefined);
    rate.take("2001:db8::2", undefined);
    expect(rate.allows("2001:db8::3", undefined)).toBe(false);
    expect(rate.allows("2001:db8:0:1::1", undefined)).toBe(true);
  });
});
