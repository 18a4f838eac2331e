import {describe, expect, it} from "vitest";
import {wallClock, zonedInstant} from "../../../src/core/time/zoned.js";
import {Nights} from "../../../src/family/nights.js";
import type {ChildPlan} from "../../../src/family/types.js";
import {type ChildDay, freshDay, judge} from "../../../src/family/verdict.js";

const ZONE = "Europe/London";
const nights = new Nights(ZONE);
const at = (y: number, m: number, d: number, hh: number, mm = 0) => zonedInstant(y, m, d, hh * 3600 + mm * 60, ZONE);
const hhmm = (t: number) => {
  const w = wallClock(t, ZONE);
  return `${w.month}-${w.day} ${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
};
const every = (bedtime: string, wake: string) =>
  Object.fromEntries(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, {bedtime, wake}]));

describe("nights of a plan", () => {
  it("reads a weekday as its evening, wake the next morning, and a bedtime before noon as after midnight", () => {
    const plan: ChildPlan = {
      players: ["p"],
      schedule: {fri: {bedtime: "20:30", wake: "08:00"}, sat: {bedtime: "00:30", wake: "09:00"}},
    };
    const fri = nights.nightOf(plan, "2026-11-27");
    expect([hhmm(fri!.bedtime), hhmm(fri!.wake)]).toEqual(["11-27 20:30", "11-28 08:00"]);
    const sat = nights.nightOf(plan, "2026-11-28");
    expect([hhmm(sat!.bedtime), hhmm(sat!.wake)]).toEqual(["11-29 00:30", "11-29 09:00"]);
    expect(nights.nightOf(plan, "2026-11-29")).toBeUndefined();
  });

  it("lets a date override a night, or take it away", () => {
    const plan: ChildPlan = {
      players: ["p"],
      schedule: every("19:30", "07:00"),
      overrides: [
        {date: "2026-11-28", quiet: false},
        {date: "2026-12-24", bedtime: "21:00", wake: "09:00"},
      ],
    };
    expect(nights.nightOf(plan, "2026-11-28")).toBeUndefined();
    expect(nights.quietAt(plan, at(2026, 11, 28, 22))).toBeUndefined();
    expect(hhmm(nights.nightOf(plan, "2026-12-24")!.bedtime)).toBe("12-24 21:00");
    // Sunday morning still ends Saturday's night as the week says; it is Saturday's evening that is off.
    expect(nights.quietAt(plan, at(2026, 11, 28, 6))).toBeDefined();
  });

  it("puts a bedtime in the spring gap at the moment the clocks jump, once", () => {
    const plan: ChildPlan = {players: ["p"], schedule: every("01:30", "07:00")};
    // 28 March 2027: 01:00 GMT jumps to 02:00 BST, so 01:30 never shows on the clock.
    const night = nights.nightOf(plan, "2027-03-27");
    expect(new Date(night!.bedtime).toISOString()).toBe("2027-03-28T01:00:00.000Z");
    expect(hhmm(night!.wake)).toBe("3-28 07:00");
  });

  it("judges bedtime, a used-up budget, and a bonus that lifts them", () => {
    const plan: ChildPlan = {players: ["p"], schedule: every("19:30", "07:00"), budget: {minutes: 60}};
    const day: ChildDay = freshDay("2026-11-24");
    const afternoon = at(2026, 11, 24, 15);
    const half = judge(plan, day, 30 * 60, afternoon, nights);
    expect([half.leftSeconds, half.blocked]).toEqual([1800, undefined]);
    expect(judge(plan, day, 60 * 60, afternoon, nights).blocked).toEqual({
      reason: "budget",
      until: at(2026, 11, 25, 7),
    });
    expect(judge(plan, day, 0, at(2026, 11, 24, 20), nights).blocked?.reason).toBe("bedtime");
    const bonus: ChildDay = {
      ...day,
      bonusMinutes: 15,
      bonus: {grantedAt: afternoon, until: afternoon + 900_000, minutes: 15, by: "x"},
    };
    // Fifteen more minutes of listening: over the budget by a minute, it is not over the budget and the bonus.
    const more = judge(plan, bonus, 61 * 60, afternoon + 60_000, nights);
    expect([more.leftSeconds, more.blocked]).toEqual([14 * 60, undefined]);
    expect(judge(plan, bonus, 75 * 60, afternoon + 60_000, nights).blocked?.reason).toBe("budget");
    const evening = at(2026, 11, 24, 20);
    const tonight: ChildDay = {
      ...day,
      bonus: {grantedAt: evening, until: evening + 900_000, endOfTrack: true, by: "x"},
    };
    expect(judge(plan, tonight, 90 * 60, evening + 60_000, nights).blocked).toBeUndefined();
    expect(judge(plan, tonight, 90 * 60, evening + 900_000, nights).blocked?.reason).toBe("bedtime");
  });

  it("takes a weekday's own budget when the plan has one", () => {
    const plan: ChildPlan = {players: ["p"], budget: {minutes: 60, weekdays: {sat: 90}}};
    expect(judge(plan, freshDay("2026-11-28"), 0, at(2026, 11, 28, 10), nights).budgetSeconds).toBe(90 * 60);
    expect(judge(plan, freshDay("2026-11-27"), 0, at(2026, 11, 27, 10), nights).budgetSeconds).toBe(60 * 60);
    // No night planned: a used-up budget is quiet until midnight, when a new day's budget begins.
    expect(judge(plan, freshDay("2026-11-27"), 3600, at(2026, 11, 27, 10), nights).blocked?.until).toBe(
      at(2026, 11, 28, 0),
    );
  });
});
