import {describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {catalogue} from "../../../src/playing/catalogue.js";
import type {Story} from "../../../src/stories/model/story.js";

const log = new Logger({level: "error", sink: () => undefined});

/**
 * The sources a catalogue is made of, as plain data the test changes: the family's cards as Yoto's
 * list is read (a new list each read, as the card catalogue answers one read again), their groups,
 * the stories, the streams and the library. `reads` counts what the catalogue reads of them.
 */
function sources() {
  const state = {
    cards: [
      {cardId: "c0001", title: "Songs", madeByFamily: true},
      {cardId: "c0002", title: "The Gruffalo", madeByFamily: false},
    ],
    streams: ["bedtime-songs"],
    items: [{id: "lib-1", title: "Lullaby"}],
    stories: [{id: "moon", title: "The Moon Fox", scenes: []}] as unknown as Story[],
    reads: 0,
  };
  const make = (bus?: EventBus) =>
    catalogue({
      players: {
        // The filter a read goes through: the same cards, a new list each time.
        familyCards: async () => state.cards.filter(() => true),
        command: async () => undefined,
        groups: {list: async () => []},
      } as never,
      streams: {
        list: () => {
          state.reads++;
          return state.streams.map((name) => ({name, radio: null})) as never;
        },
      },
      feeds: {has: () => false, view: () => ({title: null}) as never},
      stories: {list: () => [...state.stories], play: async () => 0} as never,
      library: {list: () => ({items: state.items}) as never},
      icons: {list: async () => ({public: [], user: []})},
      cards: {playStream: async () => undefined as never},
      announcer: {announce: async () => undefined as never, isRelayCard: () => false},
      ...(bus ? {bus} : {}),
      log,
    });
  return {state, make};
}

describe("the catalogue kept between requests", () => {
  it("is the same list while nothing changed, equal to one built afresh", async () => {
    const {state, make} = sources();
    const bus = new EventBus(log);
    const kept = make(bus);
    await kept.start();
    const first = await kept.choices();
    const reads = state.reads;
    expect(await kept.choices()).toBe(first);
    expect(await kept.choices(true)).toBe(first);
    expect(state.reads).toBe(reads);
    // The uncached path (never started: built on every call) over the same sources.
    expect(first).toEqual(await make().choices());
    expect(first.map((c) => c.title)).toEqual(["Songs", "The Gruffalo", "The Moon Fox", "Bedtime songs", "Lullaby"]);
    await kept.stop();
  });

  it("takes a card renamed in the list read again at once, and a change an event says", async () => {
    const {state, make} = sources();
    const bus = new EventBus(log);
    const kept = make(bus);
    await kept.start();
    const before = await kept.choices();
    // Yoto's list read again with the card renamed: a new item in its place.
    state.cards = [
      state.cards[0] as (typeof state.cards)[0],
      {cardId: "c0002", title: "The Gruffalo's Child", madeByFamily: false},
    ];
    const renamed = await kept.choices();
    expect(renamed).not.toBe(before);
    expect(renamed.find((c) => c.id === "c0002")?.title).toBe("The Gruffalo's Child");
    expect(renamed).toEqual(await make().choices());
    // A stream added: its event makes the next read build again.
    state.streams = ["bedtime-songs", "tone-fm"];
    expect((await kept.choices()).some((c) => c.id === "tone-fm")).toBe(false);
    bus.emit("stream.changed", {name: "tone-fm", version: 1, reason: "created", items: 0});
    const added = await kept.choices();
    expect(added.some((c) => c.id === "tone-fm")).toBe(true);
    expect(added).toEqual(await make().choices());
    // A library item and a story, each by what says it changed.
    state.items = [...state.items, {id: "lib-2", title: "Rain"}];
    bus.emit("library.changed", {added: 1, removed: 0, updated: 0});
    expect((await kept.choices()).some((c) => c.id === "lib-2")).toBe(true);
    // Stories are compared as they are read: one more is seen without an event.
    state.stories = [...state.stories, {id: "owl", title: "The Owl", scenes: []} as unknown as Story];
    expect((await kept.choices()).some((c) => c.id === "owl")).toBe(true);
    await kept.stop();
  });

  it("builds on every call once stopped, and listens no more", async () => {
    const {state, make} = sources();
    const bus = new EventBus(log);
    const kept = make(bus);
    await kept.start();
    await kept.choices();
    await kept.stop();
    const reads = state.reads;
    const a = await kept.choices();
    const b = await kept.choices();
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
    expect(state.reads).toBe(reads + 2);
  });
});
