import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {type FamilyStack, MINI, startFamilyStack} from "../../helpers/familyStack.js";
import {until} from "../../helpers/parentRulesStack.js";

/**
 * Quiet hours lifted for an announcement: the max volumes come back for it and go to 0 after,
 * and a stop in between (a crash mid-announcement) mutes the player again on the next start.
 */
describe("quiet hours lifted for a moment", () => {
  let s: FamilyStack;
  const max = () => s.cloud.players.get(MINI).settings?.dayMaxVolume;

  beforeAll(async () => {
    s = await startFamilyStack(Date.now());
    await until(() => max() === 16, "the Mini's max volume reported");
  }, 30_000);
  afterAll(() => s?.stop());

  it("lifts the max volume, mutes again on release, and keeps the end", async () => {
    const end = Date.now() + 3_600_000;
    await s.quiet.begin(MINI, end);
    await until(() => max() === 0, "quiet");
    const lift = await s.quiet.lift(MINI);
    expect(lift).toMatchObject({until: end});
    expect(max()).toBe(16);
    expect(s.quiet.period(MINI)?.lifted).toBe(true);
    await lift?.release();
    await until(() => max() === 0, "quiet again");
    expect(s.quiet.period(MINI)).toMatchObject({until: end});
    expect(s.quiet.period(MINI)?.lifted).toBeUndefined();
    expect(await s.quiet.lift("Living Room")).toBeUndefined();
  });

  it("mutes a lifted player again when the service stops in the middle of the announcement", async () => {
    const lift = await s.quiet.lift(MINI);
    expect(lift).toBeDefined();
    expect(max()).toBe(16);
    // A clean stop (Ctrl+C, an add-on update) must not leave the player audible until the next start.
    await s.quiet.stop();
    await until(() => max() === 0, "muted by the stop");
    await s.restart();
    expect(s.quiet.period(MINI)?.lifted).toBeUndefined();
  });

  it("mutes a player a crash left lifted when the service starts again", async () => {
    // What a kill -9 mid-announcement leaves: the lift saved, the player audible.
    const period = s.quiet.period(MINI);
    expect(period).toBeDefined();
    await s
      .store()
      .namespace("quiet_hours")
      .set(MINI, {...period, lifted: true});
    const sim = s.sim.player(MINI);
    sim.config.maxVolumeLimit = "16";
    sim.config.nightMaxVolumeLimit = "16";
    sim.configChanged();
    await s.restart();
    await until(() => sim.config.maxVolumeLimit === "0" && sim.config.nightMaxVolumeLimit === "0", "muted again");
    await until(() => s.quiet.period(MINI)?.lifted === undefined, "the lift forgotten");
    expect(s.lines.some((l) => l.includes("Quiet hours on 'Bedroom Mini' back after the announcement"))).toBe(true);
  });

  it("does not mute again when the quiet was ended while lifted", async () => {
    const lift = await s.quiet.lift(MINI);
    await s.quiet.end(MINI);
    await lift?.release();
    expect(s.quiet.period(MINI)).toBeUndefined();
    expect(max()).toBe(16);
  });
});
