import {describe, expect, it} from "vitest";
import {CalledTooEarly, guardedUntilBuilt} from "../../../src/app/lateWiring.js";

describe("the composition root's late wiring", () => {
  it("names a closure called while the app is being built, nested ones by their path, and lets them through after", () => {
    const rules = {reload: () => "reloaded"};
    const late = guardedUntilBuilt({
      reloadRules: () => rules.reload(),
      quiet: {refusal: (id: string) => `quiet ${id}`},
      label: "not a closure",
    });
    expect(() => late.reloadRules()).toThrow(CalledTooEarly);
    expect(() => late.reloadRules()).toThrow(
      "The late wiring 'reloadRules' was called while the app was being built: the service it reaches is built later. Call it from start() or later, or build that service first",
    );
    expect(() => late.quiet.refusal("mini")).toThrow("The late wiring 'quiet.refusal' was called while");
    expect(late.label).toBe("not a closure");
    late.built();
    expect(late.reloadRules()).toBe("reloaded");
    expect(late.quiet.refusal("mini")).toBe("quiet mini");
  });
});
