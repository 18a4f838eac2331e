import {describe, expect, it} from "vitest";
import {LiveHeard} from "../../../src/upnpRenderers/liveHeard.js";
import type {Playback} from "../../../src/yoto/playerModel.js";

const on = (position: number, status: Playback["status"] = "playing"): Playback => ({
  status,
  cardId: "relay",
  position,
});

describe("the seconds heard of a live cast", () => {
  it("are the player's position until an announcement, stand still over it, and go on from there after it", () => {
    let now = 0;
    const heard = new LiveHeard(() => now);
    heard.seen(on(10));
    expect(heard.at(on(10))).toBe(10);
    // The announcement takes the relay 2.5 s after the player's last report: it had heard 12 s.
    now = 2500;
    heard.hold();
    expect(heard.held).toBe(true);
    // The speech's own seconds (and its end) are not the cast's.
    heard.seen(on(4));
    expect(heard.at(on(4))).toBe(12);
    expect(heard.at({status: "stopped", cardId: null})).toBe(12);
    // Put back: a new answer the player counts from 0.
    heard.release();
    expect(heard.at(on(0))).toBe(12);
    heard.seen(on(3));
    expect(heard.at(on(3))).toBe(15);
  });

  it("holds a paused cast where it was paused, however long ago the player said so", () => {
    let now = 0;
    const heard = new LiveHeard(() => now);
    heard.seen(on(7, "paused"));
    now = 60_000;
    heard.hold();
    expect(heard.at(on(2))).toBe(7);
    heard.release();
    expect(heard.at(on(0, "paused"))).toBe(7);
  });

  it("counts two announcements over one cast one after the other", () => {
    let now = 0;
    const heard = new LiveHeard(() => now);
    heard.seen(on(5));
    heard.hold();
    heard.release();
    heard.seen(on(0));
    now = 1000;
    heard.seen(on(4));
    heard.hold();
    expect(heard.at(on(1))).toBe(9);
    heard.release();
    expect(heard.at(on(2))).toBe(11);
  });
});
