import {afterEach, describe, expect, it, vi} from "vitest";
import {
  fakeTime,
  LIVING,
  MINI,
  type ParentStack,
  startParentStack,
  tick,
  until,
} from "../../helpers/parentRulesStack.js";

let stack: ParentStack | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await stack?.stop();
  stack = undefined;
});

const MINUTE = 60_000;

const windDownRule = (player: string, extra = "", mode = "single") => `
- id: wind
  mode: ${mode}
  triggers:
    - trigger: mqtt
      topic: home/wind
  actions:
    - action: player.wind_down
      player: ${player}
      minutes: 20
${extra}`;

/** The volume level the simulated player itself is at (what a child hears). */
const heard = (id: string) => stack!.sim.player(id).volume;

describe("player.wind_down with simulated players and fake time", () => {
  it("lowers one hardware step at a time, evenly over the minutes, then sleeps at the track's end and dims the light", async () => {
    stack = await startParentStack({"r.yaml": windDownRule('"Living Room"', "      volume: 3\n")});
    stack.sim.player(LIVING).insertCard("long");
    await until(() => stack!.cloud.players.get(LIVING).playback.status === "playing", "the story to play");
    expect(heard(LIVING)).toBe(8);
    fakeTime();
    const run = stack.engine.engine.run("wind");
    // From 8 to 3 is five steps over 20 minutes: one every 4 minutes, the last at 20.
    const seen: number[] = [];
    for (let step = 1; step <= 5; step++) {
      await tick(4 * MINUTE - 1000);
      expect(heard(LIVING)).toBe(8 - step + 1);
      await tick(1000);
      await until(() => heard(LIVING) === 8 - step, `step ${step}`);
      seen.push(heard(LIVING));
    }
    expect(seen).toEqual([7, 6, 5, 4, 3]);
    const trace = await run;
    expect(trace?.result).toBe("completed");
    // Sleep when the current track ends (it has about 3 h 40 min left), and a dim amber light.
    const timer = stack.sim.player(LIVING).sleepTimer;
    expect(timer).toBeDefined();
    expect(Math.round((timer!.endsAt - Date.now()) / MINUTE)).toBeGreaterThan(200);
    expect(stack.sim.player(LIVING).nightlight).toBe("0x3c1800");
    expect(stack.engine.lines.some((l) => l.includes("Wind-down on 'Living Room': volume 8 → 3 over 20 min"))).toBe(
      true,
    );
  }, 30_000);

  it("raises nothing when the volume is already below the target, and says so", async () => {
    stack = await startParentStack({"r.yaml": windDownRule('"Living Room"', "      volume: 10\n")});
    stack.sim.player(LIVING).insertCard("long");
    await until(() => stack!.cloud.players.get(LIVING).playback.status === "playing", "the story to play");
    expect(heard(LIVING)).toBe(8);
    fakeTime();
    const run = stack.engine.engine.run("wind");
    await tick(20 * MINUTE);
    expect((await run)?.result).toBe("completed");
    expect(heard(LIVING)).toBe(8);
    expect(stack.sim.player(LIVING).sleepTimer).toBeDefined();
    expect(
      stack.engine.lines.some((l) =>
        l.includes("Wind-down on 'Living Room': the volume is already at 8, at or below 10; sleep and light in 20 min"),
      ),
    ).toBe(true);
  }, 30_000);

  it("lets a volume turned up by hand win: the ramp stops lowering, the player still sleeps at the end", async () => {
    stack = await startParentStack({"r.yaml": windDownRule('"Bedroom Mini"')});
    stack.sim.player(MINI).insertCard("long");
    await until(() => stack!.cloud.players.get(MINI).playback.status === "playing", "the story to play");
    fakeTime();
    const run = stack.engine.engine.run("wind");
    // Default target: step 3. From 8, a step every 4 minutes.
    await tick(4 * MINUTE);
    await until(() => heard(MINI) === 7, "the first step");
    stack.sim.player(MINI).turnKnob(3);
    await until(() => stack!.cloud.players.get(MINI).volume.level === 10, "the knob's volume to be reported");
    await tick(16 * MINUTE);
    const trace = await run;
    expect(trace?.result).toBe("completed");
    expect(heard(MINI)).toBe(10);
    expect(stack.sim.player(MINI).sleepTimer).toBeDefined();
    expect(
      stack.engine.lines.filter((l) => l.includes("Wind-down on 'Bedroom Mini': ")).map((l) => l.split(": ").pop()),
    ).toEqual([
      "volume 8 → 3 over 20 min (rule 'wind')",
      "the volume was turned up to 10 by hand, so it is left there (rule 'wind')",
      "a Yoto Mini has no night light to dim",
    ]);
  }, 30_000);

  it("is cancelled by mode restart like a delay: the new run ramps from where the old one stopped", async () => {
    stack = await startParentStack({"r.yaml": windDownRule('"Living Room"', "", "restart")});
    fakeTime();
    const first = stack.engine.engine.run("wind");
    await tick(4 * MINUTE);
    await until(() => heard(LIVING) === 7, "the first run's first step");
    await tick(MINUTE);
    const second = stack.engine.engine.run("wind");
    expect((await first)?.result).toBe("aborted");
    // The second run goes 7 → 3 over 20 minutes: a step every 5 minutes from now. The first
    // run's next step (at its 8th minute, 3 minutes from now) never comes.
    await tick(5 * MINUTE - 1000);
    expect(heard(LIVING)).toBe(7);
    await tick(1000);
    await until(() => heard(LIVING) === 6, "the second run's first step");
    await tick(15 * MINUTE);
    expect((await second)?.result).toBe("completed");
    expect(heard(LIVING)).toBe(3);
    // Nothing was playing at the end: no track end to sleep at, and that is said, not failed.
    expect(stack.sim.player(LIVING).sleepTimer).toBeUndefined();
    expect(
      stack.engine.lines.some((l) =>
        l.includes("Wind-down on 'Living Room': nothing is playing, so there is no track end to sleep at"),
      ),
    ).toBe(true);
  }, 30_000);

  it("fails the run with a readable reason when the player is offline or does not answer", async () => {
    stack = await startParentStack({"r.yaml": windDownRule('"Bedroom Mini"')});
    stack.sim.player(MINI).setOnline(false);
    await until(() => !stack!.cloud.players.get(MINI).online, "the Mini to go offline");
    const offline = await stack.engine.engine.run("wind");
    expect([offline?.result, offline?.error]).toEqual([
      "error",
      "'Bedroom Mini' is offline, so the wind-down cannot lower its volume",
    ]);

    stack.sim.player(MINI).setOnline(true);
    await until(() => stack!.cloud.players.get(MINI).online, "the Mini to be back");
    fakeTime();
    const run = stack.engine.engine.run("wind");
    stack.sim.acks.lose = true;
    await tick(4 * MINUTE + 60_000);
    const trace = await run;
    expect([trace?.result, trace?.error]).toEqual([
      "error",
      "Wind-down on 'Bedroom Mini' stopped: lowering the volume to 7 failed ('volume' on 'Bedroom Mini' was not acknowledged within 60 s: the player may be offline, asleep or out of Wi-Fi range)",
    ]);
  }, 30_000);
});
