import {describe, expect, it} from "vitest";
import type {Playback} from "../../../src/shared/api/players.js";
import {TrackLengths} from "../../../src/upnpRenderers/trackLengths.js";

const at = (trackKey: string, trackLength?: number, cardId = "stream-card"): Playback => ({
  status: "playing",
  cardId,
  chapterKey: "01",
  trackKey,
  ...(trackLength !== undefined ? {trackLength} : {}),
});

describe("a renderer's memory of card track lengths", () => {
  it("keeps a streamed track's 1:28 when the player reports 0 after a seek, and knows no other track by it", () => {
    const lengths = new TrackLengths();
    lengths.seen(at("01", 88));
    lengths.seen(at("01", 0));
    expect(lengths.of(at("01", 0))).toBe(88);
    expect(lengths.of(at("01"))).toBe(88);
    expect(lengths.of(at("02", 0))).toBeUndefined();
    expect(lengths.of(at("01", 0, "another-card"))).toBeUndefined();
    // A length the player says is what it says.
    expect(lengths.of(at("01", 90))).toBe(90);
  });

  it("remembers a bounded number of tracks, the least recently seen going first", () => {
    const lengths = new TrackLengths();
    for (let i = 0; i < 70; i++) lengths.seen(at(String(i), 10 + i));
    expect(lengths.of(at("0", 0))).toBeUndefined();
    expect(lengths.of(at("69", 0))).toBe(79);
    expect(lengths.of(at("6", 0))).toBe(16);
  });
});
