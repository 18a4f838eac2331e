import {describe, expect, it} from "vitest";
import type {SimCard} from "../../../src/sim/content.js";
import {type LinkIssuer, ReadBacks} from "../../../src/sim/signing.js";

const card = (cardId: string, title: string): SimCard => ({
  cardId,
  title,
  userId: "family",
  content: {
    chapters: [{key: "01", title: "One", tracks: [{key: "01", title: "One", trackUrl: "yoto:#abc", type: "audio"}]}],
  },
  createdAt: "2026-11-01T00:00:00Z",
  updatedAt: "2026-11-01T00:00:00Z",
});
const links = (over: Partial<LinkIssuer> = {}): LinkIssuer => ({
  baseUrl: "http://sim.local",
  seconds: 3600,
  generation: 1,
  now: Date.parse("2026-11-29T06:00:00Z"),
  ...over,
});
const listed = (body: Buffer) =>
  (JSON.parse(body.toString()) as {cards: SimCard[]}).cards.map((c) => [
    c.title,
    c.content.chapters[0]?.tracks[0]?.trackUrl,
  ]);

describe("the simulator's card listings, made once and reused while they may be", () => {
  it("answers the same cards with the same bytes, and a card written since with its new self", () => {
    const readBacks = new ReadBacks();
    const cards = [card("aaaaa", "The Owl"), card("bbbbb", "The Moon")];
    const first = readBacks.listing(cards, links());
    expect(readBacks.listing([...cards], links({now: links().now! + 60_000}))).toBe(first);
    const written = [cards[0] as SimCard, card("bbbbb", "The Moon Fox")];
    const after = listed(readBacks.listing(written, links({now: links().now! + 60_000})));
    expect(after.map(([title]) => title)).toEqual(["The Owl", "The Moon Fox"]);
    expect(after[1]?.[1]).toMatch(/^http:\/\/sim\.local\/secure-media\/yoto\/abc\?Expires=/);
  });

  it("signs again once links voided (a new generation) or past a twentieth of their life", () => {
    const readBacks = new ReadBacks();
    const cards = [card("aaaaa", "The Owl")];
    const first = listed(readBacks.listing(cards, links()))[0]?.[1];
    expect(listed(readBacks.listing(cards, links({generation: 2})))[0]?.[1]).not.toBe(first);
    const later = listed(readBacks.listing(cards, links({generation: 2, now: links().now! + 181_000})))[0]?.[1];
    expect(later).toMatch(/Expires=(\d+)/);
    expect(Number(/Expires=(\d+)/.exec(later as string)?.[1])).toBe(Math.floor(links().now! / 1000) + 181 + 3600);
  });

  it("lists the library's entries as made for each card, made again for a card written since", () => {
    const readBacks = new ReadBacks();
    const owl = card("aaaaa", "The Owl");
    const entry = (c: SimCard) => ({cardId: c.cardId, card: {title: c.title}});
    const first = readBacks.library([owl], entry);
    expect(readBacks.library([owl], entry)).toBe(first);
    const renamed = {...owl, title: "The Snowy Owl"};
    expect(JSON.parse(readBacks.library([renamed], entry).toString())).toEqual({
      cards: [{cardId: "aaaaa", card: {title: "The Snowy Owl"}}],
    });
  });
});
