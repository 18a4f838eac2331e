import {describe, expect, it} from "vitest";
import {PayloadBytes} from "../../../src/streams/payloadBytes.js";

const bytes = (n: number, fill: number) => async () => Buffer.alloc(n, fill);

describe("PayloadBytes", () => {
  it("keeps what is being played: a newcomer past the limit is read from its file, not swapped in", async () => {
    const cache = new PayloadBytes(100, 60_000);
    let loads = 0;
    const counted = (n: number, fill: number) => () => {
      loads++;
      return bytes(n, fill)();
    };
    expect((await cache.get("a", 60, counted(60, 1)))?.[0]).toBe(1);
    expect((await cache.get("b", 40, counted(40, 2)))?.[0]).toBe(2);
    // Full of bytes played just now: "c" is not read into memory and pushes nothing out.
    expect(await cache.get("c", 30, counted(30, 3))).toBeUndefined();
    expect(loads).toBe(2);
    expect(cache.bytes).toBe(100);
    expect((await cache.get("a", 60, counted(60, 9)))?.[0]).toBe(1);
    expect((await cache.get("b", 40, counted(40, 9)))?.[0]).toBe(2);
    expect(loads).toBe(2);
  });

  it("lets bytes go that were not played for a while, least recently played first", async () => {
    const cache = new PayloadBytes(100, 30);
    await cache.get("old", 50, bytes(50, 1));
    await cache.get("older-but-used", 50, bytes(50, 2));
    await new Promise((r) => setTimeout(r, 40));
    await cache.get("old", 50, bytes(50, 9)); // played again: now the newest
    expect((await cache.get("new", 50, bytes(50, 3)))?.[0]).toBe(3);
    expect(cache.bytes).toBe(100);
    // "older-but-used" went; "old" stayed.
    expect((await cache.get("old", 50, bytes(50, 8)))?.[0]).toBe(1);
    // It went, and cannot come back while both others are in play.
    let reloaded = false;
    const again = await cache.get("older-but-used", 50, async () => {
      reloaded = true;
      return Buffer.alloc(50, 2);
    });
    expect(again).toBeUndefined();
    expect(reloaded).toBe(false);
  });

  it("never holds a file larger than the whole budget", async () => {
    const cache = new PayloadBytes(100, 30);
    expect(await cache.get("huge", 101, bytes(101, 1))).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });
});
