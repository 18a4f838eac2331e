import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {ChildView} from "../../../src/family/types.js";
import {type EveningDeps, softenForEvening} from "../../../src/storyRadio/evening.js";
import {VOLUME_PERCENTS} from "../../../src/yoto/playerModel.js";

const NOW = Date.parse("2026-03-02T18:00:00Z");
const WIND_DOWN = NOW + 70_000;
const BEDTIME = WIND_DOWN + 20 * 60_000;

afterEach(() => {
  vi.useRealTimers();
});

function eveningFor(tonight: {step: string; at: string}[], playing = {cardId: "c1", stream: "story-radio-mia"}) {
  const commands: {at: number; percent: number}[] = [];
  const player = {
    id: "p1",
    name: "Bedroom Mini",
    online: true,
    volume: {level: 8, max: 16},
    // The card is titled as the family says it: the radio is known by the stream its card plays.
    playback: {status: "playing", cardId: playing.cardId, chapterTitle: "Mia's story radio"},
  };
  const view = {
    name: "Mia",
    plan: {bedtime: {wind_down: {minutes: 20, volume: 4}}},
    players: [{id: "p1", name: "Bedroom Mini"}],
    tonight,
    quiet_until: null,
  } as unknown as ChildView;
  const deps = {
    family: {child: () => view, listeners: () => []},
    players: {
      list: () => [player],
      command: async (_id: string, command: {command: string; percent?: number}) => {
        if (command.command === "volume") commands.push({at: Date.now(), percent: command.percent as number});
        return null;
      },
    },
    cards: {
      find: (cardId: string) =>
        cardId === playing.cardId
          ? {cardId, title: "Mia's story radio", source: {type: "stream", stream: playing.stream}}
          : undefined,
    },
    now: () => Date.now(),
    log: new Logger({level: "error", sink: () => undefined}),
  } as unknown as EveningDeps;
  const soften = (heardAt?: number) => softenForEvening(deps, "Mia", "story-radio-mia", heardAt);
  return {soften, commands};
}

const night = [
  {step: "wind_down", at: new Date(WIND_DOWN).toISOString()},
  {step: "bedtime", at: new Date(BEDTIME).toISOString()},
];

describe("story radio's evening volume step", () => {
  it("waits for the wind-down when the first item of the evening is sent ahead of it (70 s here)", async () => {
    vi.useFakeTimers({now: NOW, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const {soften, commands} = eveningFor(night);
    const softened = soften();
    await vi.advanceTimersByTimeAsync(69_999);
    expect(commands).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await softened;
    expect(commands).toEqual([{at: WIND_DOWN, percent: VOLUME_PERCENTS[4]}]);
  });

  it("waits for the moment the listener hears the first item of the evening, when the radio says it", async () => {
    vi.useFakeTimers({now: NOW, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const {soften, commands} = eveningFor(night);
    const softened = soften(WIND_DOWN + 25_000);
    await vi.advanceTimersByTimeAsync(70_000);
    expect(commands).toEqual([]);
    await vi.advanceTimersByTimeAsync(25_000);
    await softened;
    expect(commands).toEqual([{at: WIND_DOWN + 25_000, percent: VOLUME_PERCENTS[4]}]);
  });

  it("steps at once in the evening, and without an evening in the plan (asked by hand)", async () => {
    vi.useFakeTimers({now: WIND_DOWN + 5 * 60_000, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const evening = eveningFor(night);
    await evening.soften();
    expect(evening.commands).toEqual([{at: WIND_DOWN + 5 * 60_000, percent: VOLUME_PERCENTS[4]}]);
    const none = eveningFor([]);
    await none.soften();
    expect(none.commands).toHaveLength(1);
  });

  it("leaves a Yoto alone that plays another stream's card, whatever its chapter is titled", async () => {
    vi.useFakeTimers({now: WIND_DOWN + 5 * 60_000, toFake: ["setTimeout", "clearTimeout", "Date"]});
    const other = eveningFor(night, {cardId: "c1", stream: "story-radio-ben"});
    await other.soften();
    expect(other.commands).toEqual([]);
  });
});
