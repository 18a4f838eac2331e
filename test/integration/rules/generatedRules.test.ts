import {afterEach, describe, expect, it} from "vitest";
import type {RuleSpec} from "../../../src/shared/ruleSpec.js";
import {startEngine} from "../../helpers/rules.js";

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const RULE = "- id: from_file\n  triggers:\n    - trigger: startup\n  actions:\n    - action: log\n      message: hi\n";
const generated: RuleSpec = {
  id: "made_by_plan",
  triggers: [{trigger: "startup"}],
  actions: [{action: "log", message: "hi"}],
};

describe("rules an origin generates", () => {
  it("reload the set when they change, and not when an origin that had none still has none", async () => {
    stack = await startEngine({"rules.yaml": RULE});
    const loads = () => stack?.lines.filter((l) => l.includes("Rules loaded:")).length;
    expect(loads()).toBe(1);

    // The family plan's first word at start-up, with no children: nothing to compile again.
    await stack.engine.setGenerated("family plan", []);
    expect(loads()).toBe(1);

    await stack.engine.setGenerated("family plan", [generated]);
    expect(loads()).toBe(2);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["from_file", "made_by_plan"]);

    // Taken away again: that is a change, and the set is loaded without them.
    await stack.engine.setGenerated("family plan", []);
    expect(loads()).toBe(3);
    expect(stack.engine.list().map((r) => r.id)).toEqual(["from_file"]);
  });
});
