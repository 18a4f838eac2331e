import {describe, expect, it} from "vitest";
import {LiveAudio} from "../../../src/announce/liveAudio.js";

const chunk = (mark: number, size = 10) => Buffer.alloc(size, mark);

describe("LiveAudio as a window (a cast track)", () => {
  it("holds the writer back once its reader is `ahead` behind, and lets it go on as the reader reads", async () => {
    const live = new LiveAudio(1000, "end", {ahead: 30, behind: 10});
    expect(live.append(chunk(1))).toBe(true);
    expect(live.append(chunk(2))).toBe(true);
    expect(live.append(chunk(3))).toBe(false);
    let resumed = false;
    live.whenRoom(() => {
      resumed = true;
    });
    const reader = live.follow(undefined, 0);
    expect((await reader.next()).value).toEqual(chunk(1));
    expect(resumed).toBe(false);
    // Asking for the second chunk says the first is read: 20 bytes ahead now, under 30.
    expect((await reader.next()).value).toEqual(chunk(2));
    expect(resumed).toBe(true);
    await reader.return(undefined);
  });

  it("lets go of what lies more than `behind` before the furthest byte read, and refuses a start there", async () => {
    const live = new LiveAudio(1000, "end", {ahead: 100, behind: 10});
    for (let mark = 1; mark <= 5; mark++) live.append(chunk(mark));
    live.end();
    const read: number[] = [];
    for await (const c of live.follow(undefined, 25)) read.push(c.length);
    // From byte 25: the rest of the third chunk, then the fourth and fifth.
    expect(read).toEqual([5, 10, 10]);
    expect(live.held).toBe(10);
    expect(live.has(40)).toBe(true);
    expect(live.has(39)).toBe(false);
    await expect(live.follow(undefined, 0).next()).rejects.toThrow("byte 0 of the audio is no longer kept");
    expect(() => live.bytes()).toThrow("a windowed audio holds only what its reader reads next");
    live.drop();
    expect(live.held).toBe(0);
  });

  it("lets a reader that starts further on skip ahead without holding what lies before it", async () => {
    const live = new LiveAudio(1000, "end", {ahead: 20, behind: 10});
    const reader = (async () => {
      const read: number[] = [];
      for await (const c of live.follow(undefined, 95)) read.push(...c);
      return read;
    })();
    for (let mark = 0; mark < 10; mark++) {
      // The writer is never held back on the way there, and keeps at most `behind` and a chunk.
      expect(live.append(chunk(mark))).toBe(true);
      expect(live.held).toBeLessThanOrEqual(20);
      await new Promise((resolve) => setImmediate(resolve));
    }
    live.end();
    expect(await reader).toEqual([9, 9, 9, 9, 9]);
  });
});
