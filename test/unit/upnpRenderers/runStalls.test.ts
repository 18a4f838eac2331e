import {afterEach, beforeEach, describe, expect, it, vi} from "vitest";
import {RunClock} from "../../../src/upnpRenderers/runClock.js";
import {RunStalls, type StallNews} from "../../../src/upnpRenderers/runStalls.js";

// The clock is the run's own (RunClock); time is vitest's fake clock, so each step is exact.
describe("a run's stalls the player hears", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function run() {
    const clock = new RunClock(() => Date.now());
    const told: StallNews[] = [];
    const stalls = new RunStalls(clock, (news) => told.push(news));
    clock.start();
    const feed = (seconds: number) => {
      stalls.feeding();
      clock.fed(seconds);
      stalls.watch();
    };
    return {clock, stalls, told, feed};
  }

  it("tells a stall once when the player has been out of audio a second, and once when audio comes, with how long", () => {
    const {told, feed} = run();
    feed(4);
    vi.advanceTimersByTime(4900);
    expect(told).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(told).toEqual([{kind: "began", at: 4}]);
    // Silent for a long while: still one line.
    vi.advanceTimersByTime(15_000);
    expect(told).toHaveLength(1);
    feed(2);
    expect(told[1]).toEqual({kind: "ended", at: 4, seconds: 16.1});
    // Audio flows again: nothing more is told while it does.
    vi.advanceTimersByTime(1500);
    feed(2);
    expect(told).toHaveLength(2);
  });

  it("says nothing of a source that stalled while the player still had audio, nor of a gap under a second", () => {
    const {told, feed} = run();
    feed(10);
    // The source sends nothing for 8 s: the player still has 2 s when it comes again.
    vi.advanceTimersByTime(8000);
    feed(2);
    // Out of audio for 0.8 s: a gap, not a stall worth a line.
    vi.advanceTimersByTime(4800);
    feed(5);
    vi.advanceTimersByTime(4000);
    expect(told).toEqual([]);
  });

  it("says nothing while the player is paused, nor once the track's source has ended", () => {
    const {clock, stalls, told, feed} = run();
    feed(3);
    vi.advanceTimersByTime(2000);
    clock.hold("paused");
    vi.advanceTimersByTime(30_000);
    expect(told).toEqual([]);
    stalls.quiet();
    clock.release("paused");
    vi.advanceTimersByTime(30_000);
    expect(told).toEqual([]);
  });
});
