import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it, vi} from "vitest";
import {startEngine} from "../../helpers/rules.js";

// Two triggers the service calls back into: one throws on every event, one cannot even attach.
const BAD_TRIGGERS = `export default (api) => {
  api.register({
    kind: "trigger",
    type: "test.bad_listener",
    schema: {type: "object"},
    compile: () => ({
      attach: (host) => host.subscribe("button", "right", () => {
        throw new Error("listener boom");
      }),
    }),
  });
  api.register({
    kind: "trigger",
    type: "test.bad_attach",
    schema: {type: "object"},
    compile: () => ({attach: () => { throw new Error("attach boom"); }}),
  });
};
`;

const RULES = `
- id: a_listens_badly
  triggers: [{trigger: test.bad_listener}]
  actions: [{action: log, message: never}]
- id: b_attaches_badly
  triggers: [{trigger: test.bad_attach}]
  actions: [{action: log, message: never}]
- id: c_press
  triggers: [{trigger: button, button: right}]
  actions: [{action: log, message: pressed}]
`;

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("a third-party trigger that throws when the service calls it back", () => {
  it("is reported against its file; the event still reaches the other rules, and a fixed file clears it", async () => {
    stack = await startEngine({"plugins/bad.mjs": BAD_TRIGGERS, "rules.yaml": RULES});
    expect(stack.engine.list().map((r) => r.id)).toEqual(["a_listens_badly", "b_attaches_badly", "c_press"]);
    stack.bus.emit("player.buttonPressed", {playerId: "y7s9", player: "Living Room", button: "right"});
    await vi.waitFor(() => expect(stack?.engine.traces("c_press")[0]?.result).toBe("completed"));
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "plugins/bad.mjs:16:44 plugin threw from a trigger callback: attach boom (fix or remove the plugin)",
      "plugins/bad.mjs:8:15 plugin threw from a trigger callback: listener boom (fix or remove the plugin)",
    ]);
    expect(
      stack.lines.some((l) =>
        l.includes("ERROR: Plugin plugins/bad.mjs threw from a trigger callback: Error: listener boom\\n    at "),
      ),
    ).toBe(true);

    await writeFile(
      path.join(stack.rulesDir, "plugins/bad.mjs"),
      BAD_TRIGGERS.replaceAll("throw new Error", "void String"),
    );
    await stack.engine.reload();
    expect(stack.engine.errors()).toEqual([]);
  });
});
