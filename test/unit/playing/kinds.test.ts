import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {catalogue} from "../../../src/playing/catalogue.js";

const OWL_ART = "https://cdn.example/owl.jpg";
const icon = (mediaId: string) => ({ref: `yoto:#${mediaId}`, url: `https://icons.example/${mediaId}.png`});

/** A family's things of every kind, each source a small fake answering as the real one does. */
function family() {
  const calls: unknown[][] = [];
  const playables = catalogue({
    players: {
      familyCards: async () => [
        {cardId: "owl", title: "The Owl"},
        {cardId: "bare", title: "Bare card"},
      ],
      groups: {list: async () => [{id: "g1", name: "Bedtime", cardIds: ["owl"]}]},
      cardSummary: async (id: string) =>
        id === "owl" ? {title: "The Owl", image: OWL_ART} : id === "untitled" ? {image: OWL_ART} : {title: "Bare card"},
      command: async (...args: unknown[]) => calls.push(["command", ...args.slice(0, 2)]),
    } as never,
    streams: {
      list: () =>
        [
          {name: "tales", radio: null},
          {name: "songs", radio: null},
        ] as never,
    },
    feeds: {
      has: (name) => name === "tales",
      view: () => ({title: "Tales for Tiny Ears", image: "https://feeds.example/tales.jpg"}) as never,
    },
    stories: {
      list: () =>
        [
          {id: "dragon", title: "The Sleepy Dragon", icon: "dragon-file", scenes: []},
          {id: "fox", title: "The Moon Fox", icon: "fox", scenes: []},
          {id: "plain", title: "Plain", scenes: []},
        ] as never,
      play: async (...args: unknown[]) => calls.push(["story", ...args.slice(0, 2)]) as never,
      // A parent gave the dragon's card another icon in Yoto's app: that one is the story's picture.
      cardUpkeep: {cardIcon: (id) => (id === "dragon" ? "yoto:#dragon-card" : undefined)},
    },
    icons: {list: async () => ({public: [icon("dragon-card"), icon("dragon-file")], user: [icon("fox")]}) as never},
    library: {list: () => ({items: [{id: "lib-hum", title: "Hum"}]}) as never},
    cards: {playStream: async (...args: unknown[]) => calls.push(["stream", ...args.slice(0, 2)]) as never},
    announcer: {
      announce: (...args: unknown[]) => {
        calls.push(["announce", args[0], (args[1] as {source: {ref: string}}).source.ref]);
        return Promise.resolve() as never;
      },
      isRelayCard: (id) => id === "relay",
    },
    log: new Logger({level: "error", sink: () => undefined}),
  });
  return {playables, calls};
}

describe("each kind's own picture", () => {
  it("is a card's art, named by the card's title (or its id)", async () => {
    const {playables} = family();
    expect(await playables.picture("card:owl")).toEqual({url: OWL_ART, source: "art", what: "Card 'The Owl'"});
    expect(await playables.picture("card:untitled")).toEqual({url: OWL_ART, source: "art", what: "Card 'untitled'"});
    expect(await playables.picture("card:bare")).toBeUndefined();
  });

  it("is a story's icon: its card's over its file's, Yoto's or the family's", async () => {
    const {playables} = family();
    expect(await playables.picture("story:dragon")).toEqual({
      url: "https://icons.example/dragon-card.png",
      source: "story",
      what: "Story 'The Sleepy Dragon'",
    });
    expect(await playables.picture("story:fox")).toEqual({
      url: "https://icons.example/fox.png",
      source: "story",
      what: "Story 'The Moon Fox'",
    });
    expect(await playables.picture("story:plain")).toBeUndefined();
    expect(await playables.picture("story:gone")).toBeUndefined();
  });

  it("is a podcast's cover, and no other stream has one", async () => {
    const {playables} = family();
    expect(await playables.picture("stream:tales")).toEqual({
      url: "https://feeds.example/tales.jpg",
      source: "art",
      what: "Podcast 'tales'",
    });
    expect(await playables.picture("stream:songs")).toBeUndefined();
  });

  it("is none for a group, a library item, or an id of no kind (never one along the prototype)", async () => {
    const {playables} = family();
    for (const item of ["group:g1", "library:lib-hum", "constructor:x", "__proto__:x", "toString", "owl"])
      expect(await playables.picture(item)).toBeUndefined();
  });
});

describe("each kind's title and play", () => {
  it("names an item by its id as the catalogue offers it, story radio by its own name", async () => {
    const {playables} = family();
    const titles = await Promise.all(
      ["card:owl", "story:dragon", "stream:tales", "stream:songs", "library:lib-hum", "story-radio"].map((i) =>
        playables.titleOf(i),
      ),
    );
    expect(titles).toEqual(["The Owl", "The Sleepy Dragon", "Tales for Tiny Ears", "Songs", "Hum", "Story radio"]);
    // A group is played through its cards, never picked by its id; what is gone has no title.
    expect(await playables.titleOf("group:g1")).toBeUndefined();
    expect(await playables.titleOf("card:gone")).toBeUndefined();
  });

  it("plays each kind its own way", async () => {
    const {playables, calls} = family();
    const choices = await playables.choices();
    const admission = {} as never;
    for (const id of ["owl", "g1", "dragon", "tales", "songs", "lib-hum"]) {
      const choice = choices.find((c) => c.id === id);
      if (!choice) throw new Error(`no ${id}`);
      await playables.play("p1", choice, admission);
    }
    expect(calls).toEqual([
      ["command", "p1", {command: "play_card", cardId: "owl"}],
      ["command", "p1", {command: "play_group", group: "g1"}],
      ["story", "p1", "dragon"],
      ["stream", "p1", "tales"],
      ["stream", "p1", "songs"],
      ["announce", "p1", "lib-hum"],
    ]);
    // The library item plays on the relay card, named for the family by its title.
    expect(playables.ownTitle("p1", "relay")).toEqual({kind: "title", title: "Hum", chapters: false});
  });
});
