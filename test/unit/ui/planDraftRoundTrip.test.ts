import {describe, expect, it} from "vitest";
import {PLAN_KEYS} from "../../../src/family/childPlan.js";
import type {ChildPlan} from "../../../src/family/types.js";
import {draftOf, toPlan} from "../../../ui/src/components/plan-draft.js";

/** A plan with every field the service takes, each set away from its default. */
const FULL: Required<ChildPlan> = {
  players: ["Bedroom Mini"],
  shared_players: ["Living Room"],
  age: "3-5",
  budget: {minutes: 60, weekdays: {sat: 90}},
  schedule: {mon: {bedtime: "19:30", wake: "07:00"}},
  overrides: [{date: "2027-12-24", bedtime: "21:00", wake: "08:00", note: "Christmas Eve"}],
  bedtime: {transition: {stream: "bedtime", minutes_before: 20}, wind_down: {minutes: 15, volume: 3}},
  morning_volume: 9,
  bonus: {minutes: 10, daily_cap: 2, voice: "grant", assistant: "grant"},
  warning: {minutes: 5, say: "Five more minutes."},
  not_tonight: {say: "Not tonight."},
  shelf: ["Songs", "stream:rain"],
  sleep: {sounds: ["stream:rain", "library:abc"], volume: 4, minutes: 20, per_night: 2, light: "#ff8800"},
};

describe("the Family page's plan editor", () => {
  it("keeps every field of a child's plan through an edit: what it opens is what it saves", () => {
    expect(Object.keys(FULL).sort()).toEqual([...PLAN_KEYS].sort());
    expect(toPlan(draftOf(FULL))).toEqual(FULL);
  });

  it("sends sleep sounds typed with spaces as a list, and limits without sounds for the service to refuse", () => {
    const draft = draftOf({players: ["Bedroom Mini"]});
    expect(toPlan({...draft, sleepSounds: " stream:rain ,, library:abc "}).sleep).toEqual({
      sounds: ["stream:rain", "library:abc"],
    });
    expect(toPlan({...draft, sleepVolume: "4"}).sleep).toEqual({sounds: [], volume: 4});
    expect(toPlan(draft).sleep).toBeUndefined();
  });
});
