import {describe, expect, it} from "vitest";
import {HELD_AGAIN_MS, HeldPlays} from "../../../src/upnpRenderers/heldPlays.js";

const WHY = "Mia's listening for today is used up: 'Bedroom Mini' is quiet until 07:00";

describe("a held play, as the family journal names it", () => {
  it("names what was sent in a parent's words, once for an attempt, and again a minute later or for another reason", () => {
    let now = 1_000_000;
    const held = new HeldPlays(() => now);
    expect(held.asked("SetAVTransportURI", "The Moon Fox", WHY)).toBe("'The Moon Fox'");
    // The Play that follows, and a retry: the same attempt.
    expect(held.asked("Play", "The Moon Fox", WHY)).toBeUndefined();
    now += HELD_AGAIN_MS - 1;
    expect(held.asked("Play", undefined, WHY)).toBeUndefined();
    // Next and a seek are other things asked, each its line; asked again, not.
    expect(held.asked("Next", undefined, WHY)).toBe("Next");
    expect(held.asked("Seek", undefined, WHY)).toBe("A jump in the card");
    expect(held.asked("Seek", undefined, WHY)).toBeUndefined();
    now += HELD_AGAIN_MS;
    expect(held.asked("Seek", undefined, WHY)).toBe("A jump in the card");
    expect(held.asked("Next", undefined, "another reason")).toBe("Next");
  });
});
