import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {catalogue} from "../../../src/playing/catalogue.js";

type Own = {cardId: string; title: string; source: {type: "stream" | "feed"; stream: string}};

/** The family's streams, each with the cards made from it, in the order the service keeps them. */
function family(cards: Own[], feeds: Record<string, string> = {}) {
  const names = [...new Set(cards.map((c) => c.source.stream))];
  return catalogue({
    players: {familyCards: async () => [], command: async () => undefined, groups: {list: async () => []}} as never,
    streams: {list: () => names.map((name) => ({name, radio: null})) as never},
    feeds: {has: (n: string) => n in feeds, view: (n: string) => ({title: feeds[n] ?? null}) as never},
    stories: {list: () => []} as never,
    library: {list: () => ({items: []}) as never},
    icons: {list: async () => ({public: [], user: []})},
    cards: {
      playStream: async () => undefined as never,
      list: () => cards as never,
      find: (id: string) => cards.find((c) => c.cardId === id) as never,
    },
    announcer: {announce: async () => undefined as never, isRelayCard: () => false},
    log: new Logger({level: "error", sink: () => undefined}),
  });
}

/** What "what's playing" says of the card a stream plays on: Cards.playStream plays the first card made from it. */
const said = (c: ReturnType<typeof family>, cardId: string) => {
  const own = c.ownTitle("player", cardId);
  return own?.kind === "title" ? own.title : own?.kind;
};

describe("a stream played by voice, then asked about", () => {
  it("is said by the same title both times: a podcast with a card the family titled", async () => {
    const c = family([{cardId: "c1", title: "Bedtime Tales", source: {type: "feed", stream: "tales"}}], {
      tales: "Tales for Tiny Ears",
    });
    const [entry] = await c.choices();
    expect(entry?.title).toBe("Bedtime Tales");
    expect(said(c, "c1")).toBe(entry?.title);
  });

  it("is said by the same title both times: its first card's title blank, another's given", async () => {
    const c = family([
      {cardId: "c1", title: " ", source: {type: "stream", stream: "demo"}},
      {cardId: "c2", title: "Bedtime", source: {type: "stream", stream: "demo"}},
    ]);
    const [entry] = await c.choices();
    expect(entry?.title).toBe("Bedtime");
    // Voice plays the stream on c1, the first card made from it.
    expect(said(c, "c1")).toBe(entry?.title);
  });
});

describe("a stream whose card voice made the first time it was played (titled with the stream's name)", () => {
  it("keeps its podcast's title, and its name in words, as before it was first played", async () => {
    // Cards.playStream makes the card with the stream's name as its title when the stream has none.
    const c = family(
      [
        {cardId: "c1", title: "tales", source: {type: "feed", stream: "tales"}},
        {cardId: "c2", title: "tone-fm", source: {type: "stream", stream: "tone-fm"}},
      ],
      {tales: "Tales for Tiny Ears"},
    );
    const titles = (await c.choices()).map((e) => e.title);
    expect(titles).toEqual(["Tales for Tiny Ears", "Tone fm"]);
    expect(said(c, "c1")).toBe("Tales for Tiny Ears");
    expect(said(c, "c2")).toBe("Tone fm");
  });
});
