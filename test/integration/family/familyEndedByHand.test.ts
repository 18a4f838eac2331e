import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import type {BonusRequest} from "../../../src/family/types.js";
import {type FamilyStack, MINI, startFamilyStack, ZONE} from "../../helpers/familyStack.js";
import {addLongCard, until} from "../../helpers/parentRulesStack.js";

/** An instant from "2027-11-03 19:30" on the London wall clock. */
function at(text: string): number {
  const [date, time] = text.split(" ") as [string, string];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, min] = time.split(":").map(Number) as [number, number];
  return zonedInstant(y, m, d, h * 3600 + min * 60, ZONE);
}

/** Bedtime ended by a parent's hand stays ended that night, and the next bedtime holds again. */
describe("the family plan's bedtime ended by hand", () => {
  let s: FamilyStack;
  const requests: BonusRequest[] = [];
  async function runTo(text: string): Promise<void> {
    const target = at(text);
    while (s.clock.now < target) {
      s.clock.now = Math.min(target, s.clock.now + 60_000);
      await s.family.evaluate();
    }
  }
  const muted = (quiet: boolean) =>
    until(
      () => s.cloud.players.get(MINI).settings?.dayMaxVolume === (quiet ? 0 : 16),
      `the Mini ${quiet ? "muted" : "back"}`,
    );

  beforeAll(async () => {
    s = await startFamilyStack(at("2027-11-03 18:00"));
    addLongCard(s.sim);
    s.cloud.bus.on({}, "family.requested", (r) => void requests.push(r));
    const night = {bedtime: "19:30", wake: "07:00"};
    await s.family.put("Mia", {
      players: ["Bedroom Mini"],
      schedule: Object.fromEntries(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, night])),
    });
  }, 30_000);
  afterAll(() => s?.stop());

  it("plays what the child puts in that night, raises no request, and is quiet again at the next bedtime", async () => {
    await runTo("2027-11-03 19:30");
    await muted(true);
    expect(s.family.child("Mia").quiet_reason).toBe("bedtime");

    await s.quiet.end(MINI);
    await muted(false);
    expect(s.family.child("Mia")).toMatchObject({quiet_until: null, quiet_reason: null});
    // The child puts a card in: it plays, through the plan's passes that night.
    s.sim.player(MINI).insertCard("long");
    await until(() => s.cloud.players.get(MINI).playback.status === "playing", "the card playing");
    await runTo("2027-11-03 21:00");
    expect(s.cloud.players.get(MINI).playback.status).toBe("playing");
    expect(requests).toEqual([]);
    expect(s.quiet.period(MINI)).toBeUndefined();

    // Wake, then the next evening's bedtime holds again.
    s.sim.player(MINI).removeCard();
    await runTo("2027-11-04 19:30");
    await muted(true);
    expect(s.family.child("Mia")).toMatchObject({quiet_reason: "bedtime"});
    s.sim.player(MINI).insertCard("long");
    await until(() => requests.length === 1, "Mia's request for one more story");
  }, 60_000);
});
