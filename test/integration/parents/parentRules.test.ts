import {afterEach, describe, expect, it, vi} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {simulateRules} from "../../../src/rules/simulate.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startEngine} from "../../helpers/rules.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stack?.stop();
  stack = undefined;
});

/** Seconds listened today per player name, as the history service would answer. */
function fakeHistory(today: Record<string, number>) {
  return {
    todaySeconds(idOrName: string) {
      const seconds = today[idOrName];
      if (seconds === undefined) throw new Error(`No player '${idOrName}'`);
      return seconds;
    },
  };
}

describe("the listening condition", () => {
  it("holds above or below the minutes listened today, and not when the history cannot tell", async () => {
    const today = {"Bedroom Mini": 61 * 60, "Living Room": 20 * 60};
    stack = await startEngine(
      {
        "r.yaml": `
- id: over_an_hour
  triggers: [{trigger: mqtt, topic: home/check}]
  conditions: [{condition: listening, player: "{{ trigger.payload }}", above: 60}]
  actions: [{action: log, message: over}]
- id: under_half_an_hour
  triggers: [{trigger: mqtt, topic: home/check}]
  conditions: [{condition: listening, player: "{{ trigger.payload }}", below: 30}]
  actions: [{action: log, message: under}]
- id: between
  triggers: [{trigger: mqtt, topic: home/check}]
  conditions: [{condition: listening, player: "{{ trigger.payload }}", above: 15, below: 61}]
  actions: [{action: log, message: between}]
`,
      },
      {services: {history: fakeHistory(today)}},
    );
    const results = async (player: string) => {
      const out: string[] = [];
      for (const id of ["over_an_hour", "under_half_an_hour", "between"])
        out.push((await stack!.engine.run(id, {payload: player}))!.result);
      return out;
    };
    expect(await results("Bedroom Mini")).toEqual(["completed", "condition_failed", "condition_failed"]);
    expect(await results("Living Room")).toEqual(["condition_failed", "completed", "completed"]);
    // Exactly 60 minutes is not over 60 (Home Assistant's `above` is strict too).
    today["Bedroom Mini"] = 3600;
    expect(await results("Bedroom Mini")).toEqual(["condition_failed", "condition_failed", "completed"]);
    // A player the history does not know: no condition holds.
    expect(await results("Attic")).toEqual(["condition_failed", "condition_failed", "condition_failed"]);
  });

  it("does not hold where there is no listening history (rules check, simulate)", async () => {
    stack = await startEngine({
      "r.yaml": `
- id: budget
  triggers: [{trigger: mqtt, topic: home/check}]
  conditions: [{condition: listening, player: Bedroom Mini, below: 600}]
  actions: [{action: log, message: ok}]
`,
    });
    expect((await stack.engine.run("budget"))?.result).toBe("condition_failed");
  });
});

describe("the listening trigger", () => {
  const budgetRule = `
- id: budget
  mode: queued
  triggers:
    - trigger: listening
      player: Bedroom Mini
      above: 60
  actions:
    - action: log
      message: "{{ trigger.player }} ({{ trigger.player_id }}) listened {{ trigger.minutes }} min"
`;
  const report = (player: string, playerId: string, minutes: number) =>
    stack!.bus.emit("history.changed", {player, playerId, todaySeconds: Math.round(minutes * 60)});
  const ran = () => stack!.lines.filter((l) => l.includes(" listened ")).map((l) => l.slice(l.indexOf("Bedroom Mini")));

  it("fires once when today's listening goes over, and again after the day starts over", async () => {
    vi.useFakeTimers({now: Date.parse("2026-12-01T17:00:00Z"), toFake: ["setTimeout", "clearTimeout", "Date"]});
    stack = await startEngine({"r.yaml": budgetRule});
    // About once a minute while the Mini plays.
    for (const minutes of [58, 59, 60, 61, 62, 63]) {
      report("Bedroom Mini", MINI, minutes);
      await vi.advanceTimersByTimeAsync(60_000);
    }
    // Another player going over is not the Mini.
    report("Living Room", LIVING, 59);
    report("Living Room", LIVING, 70);
    await vi.waitFor(() => expect(stack!.engine.traces("budget")).toHaveLength(1));
    expect(stack.engine.traces("budget")[0]).toMatchObject({
      result: "completed",
      trigger: {type: "listening", player: "Bedroom Mini", player_id: MINI, minutes: 61, seconds: 3660},
    });
    // Midnight: the history's total starts again from zero.
    vi.setSystemTime(Date.parse("2026-12-02T00:00:30Z"));
    for (const minutes of [0, 1, 30, 60, 60.5, 61]) {
      report("Bedroom Mini", MINI, minutes);
      await vi.advanceTimersByTimeAsync(60_000);
    }
    await vi.waitFor(() => expect(stack!.engine.traces("budget")).toHaveLength(2));
    expect(ran()).toEqual([`Bedroom Mini (${MINI}) listened 61 min`, `Bedroom Mini (${MINI}) listened 60.5 min`]);
  });

  it("keeps counting through a reload of the rule files: a crossing between two reports still fires", async () => {
    stack = await startEngine({"r.yaml": budgetRule});
    report("Bedroom Mini", MINI, 59);
    // Saving any rule file reloads every rule between two of the history's reports.
    await stack.engine.reload();
    report("Bedroom Mini", MINI, 60.5);
    await vi.waitFor(() => expect(stack!.engine.traces("budget")).toHaveLength(1));
    expect(stack.engine.traces("budget")[0]?.trigger).toMatchObject({minutes: 60.5, seconds: 3630});
  });

  it("does not fire for a total already over at its first report (as Home Assistant's numeric_state)", async () => {
    stack = await startEngine({"r.yaml": budgetRule});
    report("Bedroom Mini", MINI, 75);
    report("Bedroom Mini", MINI, 76);
    // The player's name in any case, or its id, reaches the same trigger.
    report("bedroom mini", MINI, 0);
    report("Bedroom Mini", MINI, 61);
    await vi.waitFor(() => expect(stack!.engine.traces("budget")).toHaveLength(1));
    expect(stack.engine.traces("budget")[0]?.trigger).toMatchObject({minutes: 61});
  });
});

describe("mistakes in the parents' blocks", () => {
  it("are reported at their place with what to write instead", async () => {
    stack = await startEngine({
      "bad.yaml": `
- id: no_bounds
  triggers: [{trigger: startup}]
  conditions: [{condition: listening, player: Bedroom Mini}]
  actions: [{action: log, message: x}]
- id: empty_range
  triggers: [{trigger: startup}]
  conditions: [{condition: listening, player: Bedroom Mini, above: 90, below: 60}]
  actions: [{action: log, message: x}]
- id: trigger_without_above
  triggers: [{trigger: listening, player: Bedroom Mini}]
  actions: [{action: log, message: x}]
- id: wind_down_minutes
  triggers: [{trigger: startup}]
  actions: [{action: player.wind_down, player: Bedroom Mini, minutes: 0}]
- id: wind_down_volume
  triggers: [{trigger: startup}]
  actions: [{action: player.wind_down, player: Bedroom Mini, minutes: 20, volume: 17}]
- id: wind_down_light
  triggers: [{trigger: startup}]
  actions: [{action: player.wind_down, player: Bedroom Mini, minutes: 20, night_light: dim}]
- id: quiet_until
  triggers: [{trigger: startup}]
  actions: [{action: player.quiet, player: Bedroom Mini, until: 7am}]
- id: quiet_without_until
  triggers: [{trigger: startup}]
  actions: [{action: player.quiet, player: Bedroom Mini}]
`,
    });
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "bad.yaml:4:16 [0].conditions[0] give 'above' or 'below' (minutes listened today), or both",
      "bad.yaml:8:16 [1].conditions[0] 'above' (90) must be less than 'below' (60): no amount of listening is both",
      "bad.yaml:11:14 [2].triggers[0] missing key 'above'",
      "bad.yaml:15:71 [3].actions[0].minutes 'minutes' must be a number of minutes above 0 and at most 240 (got 0)",
      "bad.yaml:18:83 [4].actions[0].volume 'volume' is the level to end at, a hardware step from 0 to 16 (got 17)",
      `bad.yaml:21:88 [5].actions[0].night_light 'night_light' must be a colour like "#3c1800", or false to leave the light as it is (got "dim")`,
      `bad.yaml:24:65 [6].actions[0].until 'until' must be a time of day such as "07:00" (HH:MM or HH:MM:SS; got "7am")`,
      "bad.yaml:27:13 [7].actions[0] missing key 'until'",
    ]);
  });
});

describe("rules simulate", () => {
  it("says what a wind-down and quiet hours would do, touching nothing", async () => {
    stack = await startEngine({
      "r.yaml": `
- id: budget
  triggers: [{trigger: listening, player: Bedroom Mini, above: 60}]
  actions:
    - action: player.quiet
      player: "{{ trigger.player }}"
      until: "07:00"
- id: wind
  triggers: [{trigger: time, at: "19:30"}]
  actions:
    - action: player.wind_down
      player: Bedroom Mini
      minutes: 20
`,
    });
    const services = {log: new Logger({sink: () => {}})};
    const at = Date.parse("2026-12-01T19:30:00Z");
    const timed = await simulateRules(stack.rulesDir, {at, timeZone: "Europe/London", services});
    expect(timed.runs.map((r) => [r.rule, r.result, r.would])).toEqual([
      [
        "wind",
        "completed",
        [
          "player.wind_down 'Bedroom Mini' to volume 3 over 20 min, then sleep at the end of the track and night light #3c1800",
        ],
      ],
    ]);
    const event = {type: "listening", player: "Bedroom Mini", minutes: 61};
    const listened = await simulateRules(stack.rulesDir, {at, timeZone: "Europe/London", services, event});
    expect(listened.runs.map((r) => [r.rule, r.trigger.minutes, r.would])).toEqual([
      [
        "budget",
        61,
        [
          "player.quiet 'Bedroom Mini' until 2026-12-02T07:00:00.000Z: pause, day and night max volume 0, then restore them",
        ],
      ],
    ]);
  });
});
