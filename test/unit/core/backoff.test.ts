import {afterEach, describe, expect, it, vi} from "vitest";
import {backoffDelay, RECONNECT_BACKOFF} from "../../../src/core/backoff.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The delays of the first `n` retries with the jitter at `random` (0 is 25 % short, 1 is 25 % long). */
function delays(n: number, random: number, backoff = {initialMs: 100, maxMs: 1000}): number[] {
  vi.spyOn(Math, "random").mockReturnValue(random);
  return Array.from({length: n}, (_, attempt) => backoffDelay(attempt, backoff));
}

describe("the delay between reconnect attempts", () => {
  it("doubles from its first, 25 % either way", () => {
    expect(delays(4, 0.5)).toEqual([100, 200, 400, 800]);
    expect(delays(4, 0)).toEqual([75, 150, 300, 600]);
    expect(delays(3, 1)).toEqual([125, 250, 500]);
  });

  it("never waits longer than its cap, however late the attempt or long the jitter", () => {
    expect(delays(6, 1)).toEqual([125, 250, 500, 1000, 1000, 1000]);
    expect(delays(6, 0)).toEqual([75, 150, 300, 600, 750, 750]);
    expect(backoffDelay(2000, {initialMs: 100, maxMs: 1000})).toBeLessThanOrEqual(1000);
  });

  it("waits a second first and a minute at most by default", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    expect(RECONNECT_BACKOFF).toEqual({initialMs: 1000, maxMs: 60_000});
    expect(backoffDelay(0)).toBe(1000);
    expect(backoffDelay(10)).toBe(60_000);
  });
});
