import {afterEach, describe, expect, it} from "vitest";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import {type FamilyStack, startFamilyStack, ZONE} from "../../helpers/familyStack.js";

/** An instant from "2027-11-02 00:30" on the London wall clock. */
function at(text: string): number {
  const [date, time] = text.split(" ") as [string, string];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, min] = time.split(":").map(Number) as [number, number];
  return zonedInstant(y, m, d, h * 3600 + min * 60, ZONE);
}
const iso = (text: string) => new Date(at(text)).toISOString();
const schedule = Object.fromEntries(
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, {bedtime: "20:00", wake: "07:00"}]),
);

/*
 * Monday night, 00:30 on Tuesday: tonight is still Monday's evening. A parent setting tonight's
 * wake later sets Monday's, not Tuesday night's.
 */
describe("a date that differs from the week, set after midnight", () => {
  let s: FamilyStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it("is tonight's until the night's wake, then the day's own", async () => {
    s = await startFamilyStack(at("2027-11-01 19:00"));
    await s.family.put("Mia", {players: ["Bedroom Mini"], schedule});
    s.clock.now = at("2027-11-02 00:30");
    await s.family.evaluate();
    expect(s.family.child("Mia")).toMatchObject({
      date: "2027-11-02",
      evening: "2027-11-01",
      quiet_until: iso("2027-11-02 07:00"),
    });

    // Tonight's wake an hour and a half later: Monday's evening, the night under way.
    const later = {date: "2027-11-01", bedtime: "20:00", wake: "08:30", note: "a late morning"};
    const view = await s.family.put("Mia", {players: ["Bedroom Mini"], schedule, overrides: [later]});
    expect(view.plan.overrides).toEqual([later]);
    await s.family.evaluate();
    expect(s.family.child("Mia")).toMatchObject({evening: "2027-11-01", quiet_until: iso("2027-11-02 08:30")});

    // Past that wake, Monday is over: tonight is Tuesday's, and Monday's date is refused in words.
    s.clock.now = at("2027-11-02 09:00");
    await s.family.evaluate();
    expect(s.family.child("Mia").evening).toBe("2027-11-02");
    await expect(
      s.family.put("Mia", {players: ["Bedroom Mini"], schedule, overrides: [{...later, wake: "09:30"}]}),
    ).rejects.toThrow("'overrides[0].date' is in the past (tonight is the evening of 2027-11-02)");
  }, 60_000);

  it("with no night planned, is yesterday's until noon", async () => {
    s = await startFamilyStack(at("2027-11-02 00:30"));
    await s.family.put("Ben", {players: ["Bedroom Mini"]});
    expect(s.family.child("Ben").evening).toBe("2027-11-01");
    const soon = {date: "2027-11-01", bedtime: "00:45", wake: "07:00"};
    expect((await s.family.put("Ben", {players: ["Bedroom Mini"], overrides: [soon]})).plan.overrides).toEqual([soon]);
    s.clock.now = at("2027-11-02 00:50");
    await s.family.evaluate();
    expect(s.family.child("Ben")).toMatchObject({quiet_reason: "bedtime", quiet_until: iso("2027-11-02 07:00")});
    s.clock.now = at("2027-11-02 12:00");
    expect(s.family.child("Ben").evening).toBe("2027-11-02");
  }, 60_000);
});
