import {describe, expect, it} from "vitest";
import {RunClock} from "../../../src/upnpRenderers/runClock.js";

/** A clock on a time the test moves by hand. */
function clock() {
  let now = 1_000_000;
  const c = new RunClock(() => now);
  return {c, pass: (s: number) => (now += s * 1000)};
}

describe("a queue run's clock: the audio the player heard", () => {
  it("runs from the first byte, no further than the audio sent", () => {
    const {c, pass} = clock();
    expect(c.heard()).toBe(0);
    c.start();
    c.fed(10);
    pass(4);
    expect(c.heard()).toBe(4);
    pass(10);
    // Out of audio at 10 s: that is what it heard, however long it waits.
    expect(c.heard()).toBe(10);
    expect(c.elapsed()).toBe(14);
  });

  it("goes on from where the audio ran out when a stalled source sends again", () => {
    const {c, pass} = clock();
    c.start();
    c.fed(5);
    pass(25); // a 20 s stall after the 5 s it had
    c.fed(5);
    expect(c.heard()).toBe(5);
    pass(3);
    expect(c.heard()).toBe(8);
  });

  it("stands still while paused or announced over, and only once both are over moves again", () => {
    const {c, pass} = clock();
    c.start();
    c.fed(60);
    pass(2);
    c.hold("paused");
    pass(1);
    c.hold("interrupted");
    pass(5);
    c.release("paused");
    pass(5);
    expect(c.heard()).toBe(2);
    expect(c.held("interrupted")).toBe(true);
    c.release("interrupted");
    pass(1);
    expect(c.heard()).toBe(3);
    expect(c.held()).toBe(false);
  });

  it("rewinds what was sent to what was heard for a new answer, which sends it again", () => {
    const {c, pass} = clock();
    c.start();
    c.fed(30);
    pass(6);
    c.rewindTo(c.heard());
    expect(c.sent).toBe(6);
    c.fed(2);
    pass(1);
    expect(c.heard()).toBe(7);
  });
});
