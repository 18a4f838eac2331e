import {describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import type {ChildView} from "../../../src/family/types.js";
import {StoryRadio} from "../../../src/storyRadio/storyRadio.js";
import type {StreamState} from "../../../src/streams/model.js";
import {Programmes} from "../../../src/streams/programme.js";

const mia = {
  name: "Mia",
  plan: {players: ["p1"], shelf: ["library:a", "library:b"]},
  quiet_until: null,
  tonight: [],
  minutes_left: null,
} as unknown as ChildView;

describe("a child's story radio after a change of the plan", () => {
  it("is written back whole when it is no longer what was written, and left alone when it is", async () => {
    const bus = new EventBus(new Logger({level: "error"}));
    const writes: Array<{ids: readonly string[]; mode?: string; whole?: boolean}> = [];
    const streams = new Map<string, StreamState>();
    let written: () => void = () => undefined;
    const radio = new StoryRadio({
      streams: {
        programmes: new Programmes(),
        registerOwner: () => ({
          replace: async (name, ids, mode, opts) => {
            writes.push({ids, mode, whole: opts?.whole});
            const s = {name, items: [...ids], mode, presets: {}, activePreset: null} as unknown as StreamState;
            streams.set(name, s);
            written();
            return s;
          },
          removeItem: async () => ({}) as StreamState,
          othersOwn: () => false,
        }),
        has: (name) => streams.has(name),
        get: (name) => streams.get(name) as StreamState,
        list: () => [...streams.values()],
        delete: async (name) => {
          streams.delete(name);
        },
      },
      family: {
        child: () => mia,
        list: () => ({children: [mia]}),
        listeners: () => [],
        noteFor: async () => undefined,
      },
      players: {list: () => [], command: async () => null},
      cards: {find: () => undefined},
      library: {get: (id) => (["a", "b"].includes(id) ? {} : undefined)},
      bus,
      now: () => 0,
      log: new Logger({level: "error"}),
    });
    await radio.start();
    expect(writes).toEqual([{ids: expect.any(Array), mode: "loop", whole: true}]);

    // Unchanged: a change of the plan writes nothing.
    bus.emit("family.changed", {child: "Mia"} as never);
    await radio.sync();
    expect(writes).toHaveLength(1);

    // Drifted (another mode, a preset, its own queue): the next change of the plan writes it back.
    const now = streams.get("story-radio-mia") as StreamState;
    streams.set("story-radio-mia", {...now, mode: "once", presets: {calm: ["a"]}, items: ["a"]});
    const again = new Promise<void>((resolve) => {
      written = resolve;
    });
    bus.emit("family.changed", {child: "Mia"} as never);
    await again;
    expect(writes).toHaveLength(2);
    expect(writes[1]).toMatchObject({mode: "loop", whole: true});
    expect(new Set(writes[1]!.ids)).toEqual(new Set(["a", "b"]));
    await radio.stop();
  });
});
