import {afterEach, describe, expect, it, vi} from "vitest";
import {FAMILY_PLAN_ORIGIN, generatedRules} from "../../../src/family/generatedRules.js";
import type {ChildPlan} from "../../../src/family/types.js";
import {fakeTime, LIVING, type ParentStack, startParentStack, tick, until} from "../../helpers/parentRulesStack.js";

let stack: ParentStack | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stack?.stop();
  stack = undefined;
});

const MINUTE = 60_000;
const RULE = "family_mia_wind_down";

describe("the family plan's wind-down with story radio", () => {
  it("ends by time on a stream with no track end, with no error, and health says a failing rule while it fails", async () => {
    stack = await startParentStack({});
    const plan = {players: ["Living Room"], bedtime: {wind_down: {minutes: 20, volume: 5}}} as unknown as ChildPlan;
    await stack.engine.engine.setGenerated(FAMILY_PLAN_ORIGIN, generatedRules([{name: "Mia", plan}]));
    expect(stack.engine.engine.list().find((r) => r.id === RULE)).toMatchObject({from: FAMILY_PLAN_ORIGIN});
    // Story radio on the Yoto: a stream, which reports no track length.
    stack.sim.addCard({
      cardId: "radio",
      title: "story-radio-mia",
      content: {
        chapters: [
          {
            key: "01",
            title: "story-radio-mia",
            tracks: [{key: "01", title: "story-radio-mia", trackUrl: "https://radio.invalid/a.mp3", type: "stream"}],
          },
        ],
      },
    });
    stack.sim.player(LIVING).insertCard("radio");
    await until(() => stack!.cloud.players.get(LIVING).playback.status === "playing", "story radio to play");
    expect(stack.cloud.players.get(LIVING).playback.trackLength ?? 0).toBe(0);

    fakeTime();
    const run = stack.engine.engine.run(RULE, {player_id: LIVING} as never);
    await tick(20 * MINUTE);
    const trace = await run;
    expect(trace?.error).toBeUndefined();
    expect(trace?.result).toBe("completed");
    await until(() => stack!.sim.player(LIVING).volume === 5, "the wind-down's volume");
    // Asleep by time: story radio stops at bedtime by itself, the timer is the longest item the evening plays.
    const timer = stack.sim.player(LIVING).sleepTimer;
    expect(Math.round((timer!.endsAt - Date.now()) / 1000)).toBe(600);
    expect(stack.engine.lines.filter((l) => l.includes("ERROR"))).toEqual([]);
    expect(
      stack.engine.lines.some((l) =>
        l.includes(
          "Wind-down on 'Living Room': it plays a stream, which has no track end, so it sleeps in 10 min (rule 'family_mia_wind_down')",
        ),
      ),
    ).toBe(true);
    expect(stack.engine.engine.health()).toEqual({details: {rules: 1, errors: 0, timeZone: expect.any(String)}});

    // A run that does fail is not "working": health says which rule, and why.
    vi.useRealTimers();
    stack.sim.player(LIVING).setOnline(false);
    await until(() => !stack!.cloud.players.get(LIVING).online, "the Living Room offline");
    expect((await stack.engine.engine.run(RULE, {player_id: LIVING} as never))?.result).toBe("error");
    expect(stack.engine.engine.health()).toMatchObject({
      degraded: true,
      error:
        "A rule failed at its last run: 'Mia: wind-down' ('Living Room' is offline, so the wind-down cannot lower its volume)",
    });
  }, 60_000);
});
