import {describe, expect, it} from "vitest";
import {HELD_AGAIN_MS, HeldPlays} from "../../../src/upnpRenderers/heldPlays.js";

const WHY =
  "'Bedroom Mini' is quiet until 07:00 (quiet hours, bedtime or the day's listening used): nothing plays before then";

describe("a held play in the family journal", () => {
  it("names what was sent in a parent's words, once for an attempt, and again a minute later or for another reason", () => {
    let now = 1_000_000;
    const held = new HeldPlays(() => now);
    expect(held.journalLine("SetAVTransportURI", "The Moon Fox", WHY)).toBe(
      `'The Moon Fox', sent from Home Assistant or another app, was not played: ${WHY}`,
    );
    // The Play that follows, and a retry: the same attempt.
    expect(held.journalLine("Play", "The Moon Fox", WHY)).toBeUndefined();
    now += HELD_AGAIN_MS - 1;
    expect(held.journalLine("Play", undefined, WHY)).toBeUndefined();
    now += HELD_AGAIN_MS;
    expect(held.journalLine("Seek", undefined, WHY)).toBe(
      `A jump in the card, sent from Home Assistant or another app, was not played: ${WHY}`,
    );
    expect(held.journalLine("Next", undefined, "another reason")).toBe(
      "Next, sent from Home Assistant or another app, was not played: another reason",
    );
  });
});
