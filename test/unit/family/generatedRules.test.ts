import {describe, expect, it} from "vitest";
import {DEFAULT_WARNING_SAY, generatedRules} from "../../../src/family/generatedRules.js";
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

describe("the plan's rules as written", () => {
  it("are the same, key for key and byte for byte, as the plan's YAML rules have always been", () => {
    const children = [
      {
        name: "Mia",
        plan: {
          players: ["mini"],
          budget: {minutes: 60},
          bedtime: {transition: {card: "Goodnight Moon", minutes_before: 20}, wind_down: {minutes: 15, volume: 4}},
          not_tonight: {say: "Not tonight, Mia."},
        },
      },
      {
        name: "Leo Ray",
        plan: {
          players: ["lr"],
          budget: {minutes: 30},
          warning: {minutes: 5, say: "Five more minutes."},
          bedtime: {transition: {stream: "lullabies", minutes_before: 10}, wind_down: {minutes: 20}},
        },
      },
      // No budget: no warning, whatever the plan would say.
      {name: "Ann", plan: {players: ["x"], warning: {say: "unused"}}},
    ];
    const player = "{{ trigger.player_id }}";
    const rule = (child: string, id: string, alias: string, description: string, step: string, action: object) => ({
      id,
      alias: `${child}: ${alias}`,
      description: `From the family plan: ${description}`,
      mode: "parallel",
      triggers: [{trigger: "family", child, step}],
      actions: [action],
    });
    const expected = [
      rule(
        "Mia",
        "family_mia_transition",
        "transition card before bedtime",
        "20 min before Mia's bedtime",
        "transition",
        {
          action: "player.play_card",
          player,
          card: "Goodnight Moon",
        },
      ),
      rule("Mia", "family_mia_wind_down", "wind-down", "the last 15 min before Mia's bedtime", "wind_down", {
        action: "player.wind_down",
        player,
        minutes: 15,
        volume: 4,
      }),
      rule("Mia", "family_mia_warning", "budget warning", "said on Mia's player", "warning", {
        action: "player.announce",
        player,
        message: DEFAULT_WARNING_SAY,
        resume: true,
        continue_on_error: true,
      }),
      rule("Mia", "family_mia_not_tonight", "not tonight", "said on Mia's player", "not_tonight", {
        action: "player.announce",
        player,
        message: "Not tonight, Mia.",
        resume: false,
        continue_on_error: true,
      }),
      rule(
        "Leo Ray",
        "family_leo_ray_transition",
        "'lullabies' before bedtime",
        "10 min before Leo Ray's bedtime",
        "transition",
        {action: "player.play_stream", player, stream: "lullabies"},
      ),
      rule(
        "Leo Ray",
        "family_leo_ray_wind_down",
        "wind-down",
        "the last 20 min before Leo Ray's bedtime",
        "wind_down",
        {
          action: "player.wind_down",
          player,
          minutes: 20,
        },
      ),
      rule("Leo Ray", "family_leo_ray_warning", "budget warning", "said on Leo Ray's player", "warning", {
        action: "player.announce",
        player,
        message: "Five more minutes.",
        resume: true,
        continue_on_error: true,
      }),
    ];
    // The plan's rules are told to the engine only when this text changes: the same plan, the same text.
    expect(JSON.stringify(generatedRules(children))).toBe(JSON.stringify(expected));
  });
});
