import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {type FamilyStack, LIVING, MINI, startFamilyStack} from "../../helpers/familyStack.js";
import {until} from "../../helpers/parentRulesStack.js";

/** Who listens on a shared player, when the children around it change; and Allow at the daily cap. */
describe("the family plan's shared players and answers", () => {
  let s: FamilyStack;
  beforeAll(async () => {
    s = await startFamilyStack(Date.now());
  }, 30_000);
  afterAll(() => s?.stop());

  it("forgets who was listening on a shared player once no child shares it", async () => {
    await s.family.put("Leo", {shared_players: ["Living Room"]});
    await s.family.put("Mia", {players: ["Bedroom Mini"]});
    await s.family.setListener("Living Room", "Mia");
    expect(s.family.listeners()).toEqual([{playerId: LIVING, player: "Living Room", child: "Mia", usual: "Leo"}]);
    // Leo goes; Sam takes the Living Room: it is Sam's, not still lent to Mia.
    await s.family.delete("Leo");
    await s.family.put("Sam", {shared_players: ["Living Room"]});
    expect(s.family.listeners()).toEqual([{playerId: LIVING, player: "Living Room", child: "Sam", usual: "Sam"}]);
    // The same when the owner takes it out of shared_players instead.
    await s.family.setListener("Living Room", "Mia");
    await s.family.put("Sam", {players: ["Living Room"]});
    await s.family.put("Sam", {shared_players: ["Living Room"]});
    expect(s.family.listeners()[0]?.child).toBe("Sam");
    // Saved so: after a restart too.
    await s.restart();
    expect(s.family.listeners()[0]?.child).toBe("Sam");
    await s.family.delete("Sam");
    await s.family.delete("Mia");
  });

  it("refuses Allow at the daily cap before the journal says it was allowed", async () => {
    await s.family.put("Ben", {players: ["Bedroom Mini"], budget: {minutes: 0}, bonus: {daily_cap: 0}});
    await until(() => s.quiet.period(MINI) !== undefined, "Ben's player quiet");
    s.sim.player(MINI).insertCard("long");
    await until(() => s.family.child("Ben").request !== null, "Ben's request");
    await expect(s.family.answer("Ben", true, "a parent")).rejects.toThrow(
      "Ben has had 0 bonuses today, the daily cap: raise 'bonus.daily_cap' in the plan to allow more",
    );
    const ben = s.family.child("Ben");
    expect(ben.journal.map((e) => e.what)).toEqual(["budget_reached", "request"]);
    // Still waiting for an answer: Not tonight closes it.
    expect(ben.request).not.toBeNull();
    await s.family.answer("Ben", false, "a parent");
    expect(s.family.child("Ben").request).toBeNull();
  });
});
