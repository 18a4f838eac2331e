import {afterEach, describe, expect, it} from "vitest";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import type {FamilyPlan} from "../../../src/family/familyPlan.js";
import {type FamilyStack, LIVING, MINI, startFamilyStack, ZONE} from "../../helpers/familyStack.js";

/** An instant from "2027-11-01 19:00" on the London wall clock. */
function at(text: string): number {
  const [date, time] = text.split(" ") as [string, string];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, min] = time.split(":").map(Number) as [number, number];
  return zonedInstant(y, m, d, h * 3600 + min * 60, ZONE);
}
const week = (bedtime: string) =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, {bedtime, wake: "07:00"}]));

/**
 * Why a player is held, worked out the way it was before a play's check judged only the child on
 * the player: from every child's whole view (`list()`), the child on the player found among them.
 */
function heldFromTheList(family: FamilyPlan, period: {until: number} | undefined, playerId: string) {
  const {children, listeners} = family.list();
  const listener = listeners.find((l) => l.playerId === playerId)?.child;
  const child = children.find((c) =>
    listener ? c.name === listener : c.players.some((p) => p.id === playerId && (!p.shared || p.listening)),
  );
  const until = child?.quiet_until ? Date.parse(child.quiet_until) : period?.until;
  const reason = child?.quiet_reason === "bedtime" || child?.quiet_reason === "budget" ? child.quiet_reason : "quiet";
  return {
    reason,
    ...(child && reason !== "quiet" ? {child: child.name} : {}),
    ...(until !== undefined ? {until} : {}),
  };
}

describe("what a play's check and voice read of the plan, without every child's view", () => {
  let s: FamilyStack | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it("say what the whole list says, and a plan changed is seen at once", async () => {
    s = await startFamilyStack(at("2027-11-01 19:00"));
    const {family} = s;
    await family.put("Mia", {players: ["Bedroom Mini"], schedule: week("20:00")});
    await family.put("Ben", {players: ["Living Room"], budget: {minutes: 0}});
    const same = (playerId: string) =>
      expect(family.held(playerId)).toEqual(heldFromTheList(family, s?.quiet.period(playerId), playerId));
    const roster = () => family.list().children.map((c) => ({name: c.name, players: c.players}));
    expect(family.roster()).toEqual({children: roster(), listeners: family.listeners()});
    same(MINI);
    // Ben's day used up (no minutes): held for his budget, as the list says.
    await family.evaluate();
    same(LIVING);
    expect(family.held(LIVING)).toMatchObject({reason: "budget", child: "Ben"});

    // Bedtime: Mia held until 07:00.
    s.clock.now = at("2027-11-01 20:30");
    await family.evaluate();
    same(MINI);
    expect(family.held(MINI)).toEqual({reason: "bedtime", child: "Mia", until: at("2027-11-02 07:00")});
    expect(family.child("Mia").tonight.find((t) => t.step === "bedtime")?.at).toBe(
      new Date(at("2027-11-01 20:00")).toISOString(),
    );

    // Her bedtime moved to 21:00: the next read says so at once (her nights are the new plan's).
    await family.put("Mia", {players: ["Bedroom Mini"], schedule: week("21:00")});
    expect(family.child("Mia").tonight.find((t) => t.step === "bedtime")?.at).toBe(
      new Date(at("2027-11-01 21:00")).toISOString(),
    );
    expect(family.child("Mia").quiet_reason).toBe(null);
    same(MINI);
    expect(family.held(MINI).reason).not.toBe("bedtime");

    // The Mini lent to Ben: a play on it is Ben's to be held for.
    await family.put("Mia", {players: [], shared_players: ["Bedroom Mini"], schedule: week("21:00")});
    await family.setListener("Bedroom Mini", "Ben");
    expect(family.roster()).toEqual({children: roster(), listeners: family.listeners()});
    same(MINI);
    expect(family.held(MINI)).toMatchObject({reason: "budget", child: "Ben"});
  }, 60_000);
});
