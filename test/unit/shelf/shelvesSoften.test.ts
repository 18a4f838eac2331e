import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {ChildView} from "../../../src/family/types.js";
import {Shelves, type ShelvesDeps} from "../../../src/shelf/shelves.js";
import {VOLUME_PERCENTS} from "../../../src/yoto/playerModel.js";

const NOW = Date.parse("2026-03-02T18:00:00Z");
const WIND_DOWN = NOW + 70_000;
const BEDTIME = WIND_DOWN + 20 * 60_000;

afterEach(() => {
  vi.useRealTimers();
});

function shelvesFor(tonight: {step: string; at: string}[]) {
  const commands: {at: number; percent: number}[] = [];
  const player = {
    id: "p1",
    name: "Bedroom Mini",
    online: true,
    volume: {level: 8, max: 16},
    playback: {status: "playing", cardId: "c1", chapterTitle: "story-radio-mia"},
  };
  const view = {
    name: "Mia",
    plan: {bedtime: {wind_down: {minutes: 20, volume: 4}}},
    players: [{id: "p1", name: "Bedroom Mini"}],
    tonight,
    quiet_until: null,
  } as unknown as ChildView;
  const deps = {
    family: {child: () => view, listeners: () => [], askForMore: vi.fn()},
    players: {
      list: () => [player],
      command: async (_id: string, command: {command: string; percent?: number}) => {
        if (command.command === "volume") commands.push({at: Date.now(), percent: command.percent as number});
      },
      cardSummary: async () => undefined,
      groups: {list: async () => []},
    },
    choices: async () => [],
    play: async () => undefined,
    gate: {why: () => undefined, admit: async () => undefined, play: vi.fn()},
    quietUntil: () => undefined,
    storyRadio: () => undefined,
    timeZone: () => "UTC",
    now: () => Date.now(),
    log: new Logger({level: "error", sink: () => undefined}),
  } as unknown as ShelvesDeps;
  return {shelves: new Shelves(deps), commands};
}

const night = [
  {step: "wind_down", at: new Date(WIND_DOWN).toISOString()},
  {step: "bedtime", at: new Date(BEDTIME).toISOString()},
];

describe("story radio's evening volume step", () => {
  it("waits for the wind-down when the first item of the evening is sent ahead of it (70 s here)", async () => {
    vi.useFakeTimers({now: NOW, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const {shelves, commands} = shelvesFor(night);
    const softened = shelves.soften("Mia", "story-radio-mia");
    await vi.advanceTimersByTimeAsync(69_999);
    expect(commands).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await softened;
    expect(commands).toEqual([{at: WIND_DOWN, percent: VOLUME_PERCENTS[4]}]);
  });

  it("waits for the moment the listener hears the first item of the evening, when the radio says it", async () => {
    vi.useFakeTimers({now: NOW, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const {shelves, commands} = shelvesFor(night);
    const softened = shelves.soften("Mia", "story-radio-mia", WIND_DOWN + 25_000);
    await vi.advanceTimersByTimeAsync(70_000);
    expect(commands).toEqual([]);
    await vi.advanceTimersByTimeAsync(25_000);
    await softened;
    expect(commands).toEqual([{at: WIND_DOWN + 25_000, percent: VOLUME_PERCENTS[4]}]);
  });

  it("steps at once in the evening, and without an evening in the plan (asked by hand)", async () => {
    vi.useFakeTimers({now: WIND_DOWN + 5 * 60_000, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const evening = shelvesFor(night);
    await evening.shelves.soften("Mia", "story-radio-mia");
    expect(evening.commands).toEqual([{at: WIND_DOWN + 5 * 60_000, percent: VOLUME_PERCENTS[4]}]);
    const none = shelvesFor([]);
    await none.shelves.soften("Mia", "story-radio-mia");
    expect(none.commands).toHaveLength(1);
  });
});
