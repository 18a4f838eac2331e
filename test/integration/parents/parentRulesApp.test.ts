import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {addLongCard, fakeTime, MINI, realPause, until} from "../../helpers/parentRulesStack.js";

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

// Quiet until 12 hours from now (London time): never within the minutes this test plays.
const quietUntil = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
}).format(Date.now() + 12 * 3600_000);

const RULES = `
- id: budget
  triggers:
    - trigger: listening
      player: Bedroom Mini
      above: 1.5
  conditions:
    - condition: listening
      player: Bedroom Mini
      above: 1
  actions:
    - action: player.quiet
      player: "{{ trigger.player_id }}"
      until: "${quietUntil}"
`;

describe("a listening budget in the running service", () => {
  it("goes from the player's own events through the history to quiet hours on the player", async () => {
    sim = await startSimulator();
    addLongCard(sim);
    t = await startApp(["--yoto_client_id", CLIENT_ID], {
      cloud: sim.endpoints,
      republishDelayMs: () => 0,
      history: {sweepMs: 20},
      timeZone: "Europe/London",
    });
    await writeFile(path.join(t.app.config.rules_dir, "parents.yaml"), RULES);
    await linkAccount(t.app.account);
    await until(
      () =>
        t!.app.players.list().every((p) => p.settings?.dayMaxVolume !== undefined) &&
        t!.app.players.list().length === 2,
      "both players and their settings",
    );
    expect((await t.app.rules.reload()).errors).toEqual([]);
    sim.player(MINI).insertCard("long");
    await until(() => t!.app.players.get(MINI).playback.status === "playing", "the Mini to play");
    fakeTime();
    // Up to four minutes of playing, the Mini reporting every 5 s as a real one does, until the
    // budget rule has run to its end (its commands need the network, which runs in real time).
    const done = () => t!.app.rules.traces("budget")[0]?.result === "completed";
    for (let second = 0; second < 240 && !done(); second++) {
      await vi.advanceTimersByTimeAsync(1000);
      if (second % 5 === 0) sim.player(MINI).requestEvents();
      await realPause(2);
    }
    await until(done, "the budget rule to complete");
    const trace = t.app.rules.traces("budget")[0]!;
    // The history's first update (after about a minute) arms the trigger; the next one crosses 1.5.
    expect(trace.trigger).toMatchObject({type: "listening", player: "Bedroom Mini", player_id: MINI});
    expect(trace.trigger.minutes).toBeGreaterThan(1.5);
    expect(trace.trigger.minutes).toBeLessThan(2.5);
    expect(trace.conditions).toEqual([{index: 0, type: "listening", result: true}]);
    const config = sim.player(MINI).config as Record<string, unknown>;
    expect([config.maxVolumeLimit, config.nightMaxVolumeLimit]).toEqual(["0", "0"]);
    await until(() => t!.app.players.get(MINI).playback.status === "paused", "the Mini to pause");
    expect(t.app.quietHours.list()).toMatchObject([{player: "Bedroom Mini", restore: {dayMaxVolume: 16}}]);
  }, 30_000);
});
