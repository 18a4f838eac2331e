import {describe, expect, it} from "vitest";
import {neighbourTrack, resolveKeys} from "../../../src/yoto/cardKeys.js";
import type {Card} from "../../../src/yoto/rest.js";

// A shop card as GET /card/{id} returns it: an introduction keyed "01-INT", story chapters keyed
// "<position>-<label>", a closing "00"; every track keyed like its chapter.
const track = (key: string, title: string) => ({key, title, type: "audio", format: "aac", duration: 120});
const SHOP_CARD: Card = {
  cardId: "Sh0p1",
  title: "Moon Stories",
  userId: "yoto",
  content: {
    chapters: [
      {key: "01-INT", title: "Welcome", overlayLabel: "", tracks: [track("01-INT", "Welcome")]},
      {key: "02-1", title: "The Hill", overlayLabel: "1", tracks: [track("02-1", "The Hill")]},
      {key: "00", title: "Goodnight", overlayLabel: "", tracks: [track("00", "Goodnight")]},
    ],
  },
};
// A family's own card: two-digit keys, several tracks a chapter.
const MYO_CARD: Card = {
  cardId: "myo01",
  title: "Songs",
  content: {
    chapters: [
      {key: "01", title: "One", tracks: [track("01", "a"), track("02", "b")]},
      {key: "08", title: "Eight", tracks: [track("01", "c")]},
    ],
  },
};

describe("card keys", () => {
  it("are taken as the card spells them, shop keys included, never guessed", () => {
    expect(resolveKeys(SHOP_CARD, "02-1")).toEqual({chapterKey: "02-1"});
    expect(resolveKeys(SHOP_CARD, "01-INT", "01-INT")).toEqual({chapterKey: "01-INT", trackKey: "01-INT"});
    expect(resolveKeys(SHOP_CARD, "0")).toEqual({chapterKey: "00"});
    expect(() => resolveKeys(SHOP_CARD, "2")).toThrow(
      "Card 'Moon Stories' has no chapter '2': its chapters are 01-INT, 02-1, 00",
    );
    expect(() => resolveKeys(SHOP_CARD, "01-INT", "1")).toThrow(
      "Chapter '01-INT' of 'Moon Stories' has no track '1': its tracks are 01-INT",
    );
  });

  it("turn a number into the card's zero-padded key", () => {
    expect(resolveKeys(MYO_CARD, "8", "1")).toEqual({chapterKey: "08", trackKey: "01"});
    expect(resolveKeys(MYO_CARD, undefined, "2")).toEqual({chapterKey: "01", trackKey: "02"});
  });

  it("step through a shop card's real keys in play order", () => {
    expect(neighbourTrack(SHOP_CARD, {chapterKey: "01-INT", trackKey: "01-INT"}, 1)).toEqual({
      chapterKey: "02-1",
      trackKey: "02-1",
    });
    expect(neighbourTrack(SHOP_CARD, {chapterKey: "02-1", trackKey: "02-1"}, 1)).toEqual({
      chapterKey: "00",
      trackKey: "00",
    });
    expect(neighbourTrack(SHOP_CARD, {chapterKey: "02-1", trackKey: "02-1"}, -1)).toEqual({
      chapterKey: "01-INT",
      trackKey: "01-INT",
    });
    expect(neighbourTrack(SHOP_CARD, {chapterKey: "00", trackKey: "00"}, 1)).toBeUndefined();
  });

  it("say so when the player reports a track the card does not have", () => {
    expect(neighbourTrack(SHOP_CARD, {chapterKey: "02", trackKey: "01"}, 1)).toBe("unknown");
    expect(neighbourTrack(MYO_CARD, {chapterKey: "01", trackKey: "02"}, 1)).toEqual({chapterKey: "08", trackKey: "01"});
  });
});
