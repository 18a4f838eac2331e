import {describe, expect, it} from "vitest";
import type {Cards} from "../../../src/cards/cards.js";
import {streamTitles} from "../../../src/playing/streamTitles.js";

const feeds = {has: () => false, view: () => ({title: null}) as never};
const cardsOf = (list: Array<{stream: string; title: string}>) =>
  ({
    list: () => list.map(({stream, title}, i) => ({cardId: `card${i}`, source: {type: "stream", stream}, title})),
  }) as unknown as Pick<Cards, "list">;

describe("a stream's titles from the cards made from it", () => {
  it("are each once, the first card's first, blank titles left out", () => {
    const titles = streamTitles({
      cards: cardsOf([
        {stream: "demo", title: "  "},
        {stream: "demo", title: " The Gruffalo "},
        {stream: "demo", title: "Bedtime"},
        {stream: "demo", title: "The Gruffalo"},
      ]),
      feeds,
    });
    expect(titles("demo")).toBe("The Gruffalo");
    expect(titles.cardTitles("demo")).toEqual(["The Gruffalo", "Bedtime"]);
    // The card that names it is the first titled one: what plays when the stream is played.
    expect(titles.namingCard("demo")).toBe("card1");
    expect(titles.namingCard("tone-fm")).toBeUndefined();
    expect(titles("tone-fm")).toBe("Tone fm");
  });

  it("are read in one pass however many cards a stream has (read on every voice request)", () => {
    const many = Array.from({length: 40_000}, (_, i) => ({stream: "demo", title: `Card ${i}`}));
    const started = performance.now();
    const titles = streamTitles({cards: cardsOf(many), feeds});
    expect(titles.cardTitles("demo")).toHaveLength(40_000);
    // One pass takes a few ms; a search of the titles kept per card took seconds.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
