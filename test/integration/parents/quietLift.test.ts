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

  it("mutes a player left lifted by a stop mid-announcement when the service starts again", async () => {
    const lift = await s.quiet.lift(MINI);
    expect(lift).toBeDefined();
    expect(max()).toBe(16);
    // Stopped with nothing undone, as a crash leaves it: the lift was saved before the player heard it.
    await s.restart();
    await until(() => max() === 0, "muted again after the restart");
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
