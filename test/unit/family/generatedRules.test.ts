import {describe, expect, it} from "vitest";
import {generatedRules} from "../../../src/family/generatedRules.js";
import {compileTemplate} from "../../../src/rules/expressions.js";

type Rule = {id: string; actions: Array<{action: string; message?: string; resume?: boolean}>};
const rules = (plan: Record<string, unknown>) =>
  generatedRules([{name: "Mia", plan: {players: ["mini"], ...plan}}]) as Rule[];
const warning = (plan: Record<string, unknown>) => rules(plan).find((r) => r.id === "family_mia_warning");

describe("the plan's budget warning rule", () => {
  it("says the minutes left when the plan gives no line, the plan's line when it does, and goes on with the story", () => {
    const said = warning({budget: {minutes: 60}})?.actions[0];
    expect(said).toMatchObject({action: "player.announce", resume: true});
    const line = compileTemplate(said?.message ?? "");
    expect(line({trigger: {minutes_left: 5}})).toBe("5 more minutes of stories today.");
    expect(line({trigger: {minutes_left: 1}})).toBe("1 more minute of stories today.");
    expect(warning({budget: {minutes: 60}, warning: {say: "Ten more minutes."}})?.actions[0]?.message).toBe(
      "Ten more minutes.",
    );
    // No budget, no warning.
    expect(warning({warning: {say: "Ten more minutes."}})).toBeUndefined();
  });
});
