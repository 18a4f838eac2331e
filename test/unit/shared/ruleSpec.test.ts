import {describe, expect, expectTypeOf, it} from "vitest";
import {generatedRules} from "../../../src/family/generatedRules.js";
import type {RuleMode} from "../../../src/rules/compiler.js";
import type {RuleEngine} from "../../../src/rules/engine.js";
import type {ActionSpec, RuleSpec, RuleSpecMode, TriggerSpec} from "../../../src/shared/ruleSpec.js";

// The spec is types: what these lines prove, `npm run typecheck` proves (each @ts-expect-error
// fails the check if its line ever compiles).
describe("a rule written in code", () => {
  it("fails to compile with a misspelt key, a wrong value, an unknown action or trigger", () => {
    const player = "{{ trigger.player_id }}";
    const actions: ActionSpec[] = [
      {action: "player.announce", player, message: "Bedtime", resume: true, continue_on_error: true},
      {action: "player.wind_down", player, minutes: 20},
      // @ts-expect-error 'mesage' is no option of player.announce
      {action: "player.announce", player, mesage: "Bedtime"},
      // @ts-expect-error minutes is a number (or a {{ }} template), not a flag
      {action: "player.wind_down", player, minutes: true},
      // @ts-expect-error player.play_stream needs its stream
      {action: "player.play_stream", player},
      // @ts-expect-error no action player.dance
      {action: "player.dance", player},
    ];
    const triggers: TriggerSpec[] = [
      {trigger: "family", child: "Mia", step: "wind_down"},
      // @ts-expect-error no step 'bath_time' in a family plan
      {trigger: "family", child: "Mia", step: "bath_time"},
      // @ts-expect-error the startup trigger takes no options
      {trigger: "startup", child: "Mia"},
    ];
    const rule: RuleSpec = {
      id: "bedtime",
      mode: "parallel",
      triggers,
      actions,
      // @ts-expect-error a rule's key is 'actions', and 'action' none
      action: [],
    };
    expect(rule.actions).toHaveLength(6);
  });

  it("is what the family plan writes and the engine takes, with the engine's modes", () => {
    expectTypeOf(generatedRules).returns.toEqualTypeOf<RuleSpec[]>();
    expectTypeOf<Parameters<RuleEngine["setGenerated"]>[1]>().toEqualTypeOf<readonly RuleSpec[]>();
    expectTypeOf<RuleSpecMode>().toEqualTypeOf<RuleMode>();
  });
});
