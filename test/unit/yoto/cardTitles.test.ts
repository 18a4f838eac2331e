import {describe, expect, it} from "vitest";
import {type CatalogCard, closestTitles} from "../../../src/yoto/cardCatalog.js";
import {parseCommand} from "../../../src/yoto/commands.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

const card = (cardId: string, title: string, madeByFamily = false): CatalogCard => ({cardId, title, madeByFamily});
const CARDS = [
  card("abc12", "The Gruffalo"),
  card("xyz98", "Gruffalo's Child"),
  card("myo01", "Bedtime Songs", true),
  card("myo02", "Road Trip Mix", true),
  card("st0r3", "Moon Stories"),
];

describe("closest titles", () => {
  it("puts titles containing the name first, then titles sharing most letter pairs", () => {
    expect(closestTitles(CARDS, "Gruffalo").map((c) => c.cardId)).toEqual(["abc12", "xyz98"]);
    expect(closestTitles(CARDS, "bedtime song").map((c) => c.cardId)).toEqual(["myo01"]);
    expect(closestTitles(CARDS, "Moon Storys").map((c) => c.cardId)).toEqual(["st0r3"]);
    expect(closestTitles(CARDS, "Dinosaurs")).toEqual([]);
    expect(closestTitles(CARDS, "   ")).toEqual([]);
  });

  it("suggests at most three", () => {
    const many = Array.from({length: 10}, (_, i) => card(`c000${i}`, `Story ${i}`));
    expect(closestTitles(many, "Story")).toHaveLength(3);
  });

  it("stays quick on titles and lists of any size", () => {
    const huge = "ab".repeat(500_000);
    const cards = (n: number) => Array.from({length: n}, (_, i) => card(`k${String(i).padStart(4, "0")}`, huge));
    expect(readsInLinearTime(cards, (many) => closestTitles(many, huge), 50_000)).toHaveLength(3);
  });
});

describe("play_card's card", () => {
  it("takes an id or a title, and refuses empty text or control characters", () => {
    expect(parseCommand({command: "play_card", cardId: "The Gruffalo"})).toEqual({
      command: "play_card",
      cardId: "The Gruffalo",
    });
    const wrong = (value: unknown) =>
      `'play_card' cardId must be a card id or a card's title (1 to 100 characters, no control characters) (got ${JSON.stringify(value)})`;
    for (const value of ["", "   ", "bad\u0000name", "x".repeat(101), 12345])
      expect(() => parseCommand({command: "play_card", cardId: value})).toThrow(wrong(value));
  });
});
