import {PassThrough} from "node:stream";
import {afterEach, describe, expect, it, vi} from "vitest";
import type {Segment} from "../../../src/files/segment.js";
import {HeldSource} from "../../../src/upnpRenderers/heldSource.js";

/** What one answer was sent, as text. */
function answer() {
  const sent: string[] = [];
  const send = async (segments: Segment[]) => {
    for (const s of segments) sent.push(s.memory?.data.subarray(s.start, s.end + 1).toString() ?? "");
  };
  return {sent, send, gone: new AbortController()};
}

const IDLE_MS = 20_000;

describe("a live cast's held source", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends what comes until the source ends", async () => {
    const source = new PassThrough();
    const held = new HeldSource(source);
    const a = answer();
    const piped = held.pipe(a.send, a.gone.signal, IDLE_MS);
    source.write("one ");
    source.end("two");
    await expect(piped).resolves.toBe("ended");
    expect(a.sent.join("")).toBe("one two");
  });

  it("leaves the source unread when the player goes, and the next answer goes on from the same byte", async () => {
    const source = new PassThrough();
    const held = new HeldSource(source);
    const first = answer();
    const piped = held.pipe(first.send, first.gone.signal, IDLE_MS);
    source.write("heard ");
    await vi.waitFor(() => expect(first.sent).toEqual(["heard "]));
    first.gone.abort();
    await expect(piped).resolves.toBe("gone");
    // Written while no answer reads: kept in the source for the next one.
    source.write("after");
    const second = answer();
    const again = held.pipe(second.send, second.gone.signal, IDLE_MS);
    await vi.waitFor(() => expect(second.sent.join("")).toBe("after"));
    // A third answer takes over from the second (the player asked again before it closed).
    const third = answer();
    const taken = held.pipe(third.send, third.gone.signal, IDLE_MS);
    await expect(again).resolves.toBe("taken");
    source.end("!");
    await expect(taken).resolves.toBe("ended");
    expect(third.sent.join("")).toBe("!");
  });

  it("keeps a failure while no answer reads, for the next one, instead of throwing it", async () => {
    const source = new PassThrough();
    const held = new HeldSource(source);
    source.destroy(new Error("connection reset"));
    const a = answer();
    await expect(held.pipe(a.send, a.gone.signal, IDLE_MS)).rejects.toThrow("connection reset");
  });

  it("fails a source that sends nothing for the idle limit while it is waited for, but not while the player is paused", async () => {
    vi.useFakeTimers();
    const source = new PassThrough();
    const held = new HeldSource(source);
    held.hold(true);
    const a = answer();
    const piped = held.pipe(a.send, a.gone.signal, IDLE_MS);
    let outcome: string | undefined;
    piped.then(
      (how) => {
        outcome = how;
      },
      (err: Error) => {
        outcome = err.message;
      },
    );
    // Paused an hour: nothing read, nothing failed.
    source.write("held back");
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(a.sent).toEqual([]);
    expect(outcome).toBeUndefined();
    held.hold(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.sent).toEqual(["held back"]);
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBe("nothing came for 20 s");
  });
});
