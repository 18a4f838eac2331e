import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {takeOver} from "../../../src/storyRadio/takeover.js";
import type {StreamState} from "../../../src/streams/model.js";

const RADIO = "story-radio-mia";
const stream = (s: Partial<StreamState>): StreamState => ({
  name: RADIO,
  items: [],
  mode: "loop",
  presets: {},
  activePreset: null,
  version: 1,
  createdAt: "2026-11-28T10:00:00.000Z",
  updatedAt: "2026-11-28T10:00:00.000Z",
  ...s,
});

/** What a takeover did to the stream there: deleted or left, and the journal's lines. */
async function taken(there: StreamState, opts: {feed?: boolean} = {}) {
  const streams = new Map([[RADIO, there]]);
  const journal: string[] = [];
  const logged: string[] = [];
  await takeOver(
    {
      streams: {
        has: (n) => streams.has(n),
        get: (n) => streams.get(n) as StreamState,
        delete: async (n) => {
          streams.delete(n);
        },
      },
      writes: {othersOwn: () => opts.feed === true},
      library: {get: (id) => (["a", "b", "other"].includes(id) ? {} : undefined)},
      family: {noteFor: async (_child, _what, text) => void journal.push(text)},
      log: new Logger({level: "warning", sink: (line) => logged.push(line)}),
    },
    "Mia",
    RADIO,
    ["a", "b"],
  );
  return {left: streams.has(RADIO), journal, logged: logged.length};
}

describe("a story radio's stream from before this start", () => {
  it("is left to be written again when it is a story radio's own (a loop of the shelf, an item since gone)", async () => {
    expect(await taken(stream({items: ["a", "b", "a", "b"]}))).toEqual({left: true, journal: [], logged: 0});
    expect(await taken(stream({items: ["b", "gone"]}))).toEqual({left: true, journal: [], logged: 0});
  });

  it("is taken over, said in the journal and the log, when it is anything else", async () => {
    const line = (was: string) =>
      `A stream named 'story-radio-mia' was there before, ${was}: Mia's story radio took it over and plays Mia's shelf there now.`;
    const cases: Array<[StreamState, {feed?: boolean}, string]> = [
      [stream({}), {feed: true}, "following a podcast feed"],
      [stream({radio: {url: "http://127.0.0.1:9/station.mp3"}}), {}, "playing a radio station"],
      [stream({items: ["a", "other"]}), {}, "with a queue of its own (2 items)"],
      [stream({items: ["a"], mode: "shuffle"}), {}, "with a queue of its own (1 item)"],
      [stream({items: ["a"], presets: {calm: ["a"]}}), {}, "with a queue of its own (1 item)"],
    ];
    for (const [there, opts, was] of cases)
      expect(await taken(there, opts)).toEqual({left: false, journal: [line(was)], logged: 1});
  });
});
