import {describe, expect, it, vi} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {storyRadioStream} from "../../../src/family/shelfField.js";
import type {ChildView} from "../../../src/family/types.js";
import {StoryRadio, WIND_DOWN_ITEM_SECONDS} from "../../../src/storyRadio/storyRadio.js";
import type {StreamState} from "../../../src/streams/model.js";
import {Programmes} from "../../../src/streams/programme.js";

const NOW = Date.UTC(2026, 10, 27, 18, 0);
const MIN = 60_000;

/** Mia's view as the plan gives it, with what the test sets. */
function mia(over: Partial<ChildView>): ChildView {
  return {
    name: "Mia",
    plan: {players: ["p1"], shelf: ["library:a", "stream:songs", "library:b", "stream:radio-station", "Songs card"]},
    players: [],
    date: "2026-11-27",
    evening: "2026-11-27",
    minutes_used: 0,
    minutes_budget: null,
    bonus_minutes: 0,
    minutes_left: null,
    quiet_until: null,
    quiet_reason: null,
    bonus: null,
    bonuses_today: 0,
    bonuses_left: 3,
    request: null,
    tonight: [],
    tonight_evening: null,
    journal: [],
    journal_by_night: [],
    ...over,
  };
}

async function radioFor(view: () => ChildView, softened: string[] = [], refuse?: {error?: Error}) {
  const programmes = new Programmes();
  const written: Array<{name: string; ids: readonly string[]; mode?: string}> = [];
  const streams = new Map<string, Partial<StreamState>>([
    ["songs", {name: "songs", items: ["s1", "b", "s2"]}],
    ["radio-station", {name: "radio-station", items: [], radio: {url: "http://x"}}],
  ]);
  const radio = new StoryRadio({
    streams: {
      programmes,
      registerOwner: () => ({
        replace: async (name, ids, mode) => {
          if (refuse?.error) throw refuse.error;
          written.push({name, ids, mode});
          streams.set(name, {name, items: [...ids]});
          return streams.get(name) as StreamState;
        },
        removeItem: async () => ({}) as StreamState,
        othersOwn: () => false,
      }),
      has: (name) => streams.has(name),
      get: (name) => streams.get(name) as StreamState,
      list: () => [...streams.values()] as StreamState[],
      delete: async (name) => {
        streams.delete(name);
      },
    },
    family: {
      child: () => view(),
      list: () => ({children: [view()]}),
      listeners: () => [],
      noteFor: async () => undefined,
    },
    players: {list: () => [], command: async () => null},
    cards: {find: () => undefined},
    library: {get: (id) => (["a", "b", "s1", "s2"].includes(id) ? {} : undefined)},
    bus: new EventBus(new Logger({level: "error"})),
    now: () => NOW,
    log: new Logger({level: "error"}),
  });
  // What the evening's step does on the player is evening.ts's (its own test); here, when it is asked.
  vi.spyOn(radio, "soften").mockImplementation(async (child) => {
    softened.push(child);
  });
  await radio.start();
  return {radio, programmes, written};
}

describe("a child's story radio", () => {
  it("is written from the shelf's audio here: library items and a stream's tracks, each once, no station, no card", async () => {
    const {radio, written} = await radioFor(() => mia({}));
    expect(storyRadioStream("Mia")).toBe("story-radio-mia");
    expect(storyRadioStream("Anne-Marie O'Neil")).toBe("story-radio-anne-marie-o-neil");
    expect(radio.forChild("Mia")).toEqual({stream: "story-radio-mia", title: "Story radio"});
    expect(written).toHaveLength(1);
    expect(written[0]!.mode).toBe("loop");
    // Units: [a], [s1, b, s2] (b stays where the stream has it), none for the station or the card.
    const round = written[0]!.ids.slice(0, 4).join(",");
    expect(["a,s1,b,s2", "s1,b,s2,a"]).toContain(round);
    await radio.sync();
    expect(written).toHaveLength(1);
    await radio.stop();
  });

  it("says in health when a programme could not be written, until one is", async () => {
    const refuse: {error?: Error} = {error: new Error("Could not save stream 'story-radio-mia': the disk is full")};
    const {radio} = await radioFor(() => mia({}), [], refuse);
    expect(radio.health()).toEqual({
      degraded: true,
      error:
        "Could not write a child's story radio (Could not save stream 'story-radio-mia': the disk is full); it is tried again at the next change of a shelf",
      details: {children: 0},
    });
    refuse.error = undefined;
    await radio.sync();
    expect(radio.health()).toEqual({details: {children: 1}});
    await radio.stop();
  });

  it("plays until bedtime (the item that starts before it whole), only short items after the wind-down, nothing in quiet", async () => {
    const tonight = [
      {
        step: "wind_down" as const,
        at: new Date(NOW + 20 * MIN).toISOString(),
        until: new Date(NOW + 30 * MIN).toISOString(),
        text: "",
      },
      {step: "bedtime" as const, at: new Date(NOW + 30 * MIN).toISOString(), text: ""},
    ];
    let view = mia({tonight});
    const softened: string[] = [];
    const {radio, programmes} = await radioFor(() => view, softened);
    const next = programmes.begin("story-radio-mia")!;
    const long = WIND_DOWN_ITEM_SECONDS + 1;
    expect(next("a", long, NOW)).toBe("play");
    expect(softened).toEqual([]);
    expect(next("a", long, NOW + 21 * MIN)).toBe("skip");
    expect(next("a", 120, NOW + 21 * MIN)).toBe("play");
    expect(next("a", 120, NOW + 29 * MIN)).toBe("play");
    // The evening came once for this listener: the Yoto made softer once.
    expect(softened).toEqual(["Mia"]);
    expect(next("a", 120, NOW + 30 * MIN)).toBe("end");
    // Quiet now (a parent's End now undone, the budget reached): nothing more, whatever the clock says.
    view = mia({tonight, quiet_until: new Date(NOW + 12 * 60 * MIN).toISOString(), quiet_reason: "budget"});
    expect(next("a", 60, NOW)).toBe("end");
    expect(programmes.begin("another-stream")).toBeUndefined();
    await radio.stop();
    expect(programmes.begin("story-radio-mia")).toBeUndefined();
  });

  it("plays on past bedtime while a bonus lifts it, short items only, until the bonus ends", async () => {
    const tonight = [{step: "bedtime" as const, at: new Date(NOW - 5 * MIN).toISOString(), text: ""}];
    const bonus = {
      granted_at: new Date(NOW).toISOString(),
      until: new Date(NOW + 15 * MIN).toISOString(),
      minutes: 15,
      by: "Mum",
    };
    const {radio, programmes} = await radioFor(() => mia({tonight, bonus}));
    const next = programmes.begin("story-radio-mia")!;
    expect(next("a", 120, NOW)).toBe("play");
    expect(next("a", WIND_DOWN_ITEM_SECONDS + 1, NOW + MIN)).toBe("skip");
    expect(next("a", 120, NOW + 14 * MIN)).toBe("play");
    expect(next("a", 120, NOW + 15 * MIN)).toBe("end");
    await radio.stop();
  });

  it("ends where the day's listening does, as it was when the listener came, and a bonus later does not stretch it", async () => {
    let view = mia({minutes_left: 10});
    const {radio, programmes} = await radioFor(() => view);
    const next = programmes.begin("story-radio-mia")!;
    expect(next("a", 300, NOW)).toBe("play");
    expect(next("a", 300, NOW + 9 * MIN)).toBe("play");
    view = mia({minutes_left: 40});
    expect(next("a", 300, NOW + 10 * MIN)).toBe("end");
    // Without a wind-down in the plan, the half hour before bedtime is the evening.
    view = mia({tonight: [{step: "bedtime", at: new Date(NOW + 60 * MIN).toISOString(), text: ""}]});
    const evening = programmes.begin("story-radio-mia")!;
    expect(evening("a", WIND_DOWN_ITEM_SECONDS + 1, NOW + 29 * MIN)).toBe("play");
    expect(evening("a", WIND_DOWN_ITEM_SECONDS + 1, NOW + 31 * MIN)).toBe("skip");
    await radio.stop();
  });
});
