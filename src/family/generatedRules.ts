import type {ActionSpec, RuleSpec, TriggerSpec} from "../shared/ruleSpec.js";
import {childSlug} from "./childNames.js";
import type {ChildRecord} from "./familyStore.js";
import type {FamilyStep} from "./types.js";

/** Where the plan's rules say they come from, in the Rules view and the API. */
export const FAMILY_PLAN_ORIGIN = "family plan";

/** What the budget warning says when the plan gives no `warning.say`: "5 more minutes of stories today." */
export const DEFAULT_WARNING_SAY =
  "{{ trigger.minutes_left }} more minute{{ '' if trigger.minutes_left == 1 else 's' }} of stories today.";

/**
 * The rules that carry out a child's plan, written as a parent would write them in YAML, with the
 * same blocks (`player.play_card`, `player.play_stream`, `player.wind_down`, `player.announce`):
 * the plan decides when (a `family` trigger, fired for each step and player), the rules what. They
 * show read-only in the Rules view; quiet hours themselves the plan holds through the quiet hours
 * service, since they are a state to keep (across restarts, bonuses), not a moment. Typed as the
 * engine reads a rule (shared/ruleSpec.ts), so a wrong key fails to compile.
 */
export function generatedRules(children: Iterable<Pick<ChildRecord, "name" | "plan">>): RuleSpec[] {
  const rules: RuleSpec[] = [];
  for (const {name, plan} of children) {
    const id = (what: string) => `family_${childSlug(name)}_${what}`;
    const on = (step: FamilyStep["step"]): TriggerSpec[] => [{trigger: "family", child: name, step}];
    const player = "{{ trigger.player_id }}";
    const transition = plan.bedtime?.transition;
    const play = transition && transitionAction(transition, player);
    if (transition && play)
      rules.push({
        id: id("transition"),
        alias: `${name}: ${transition.card ? "transition card" : `'${transition.stream}'`} before bedtime`,
        description: `From the family plan: ${transition.minutes_before} min before ${name}'s bedtime`,
        mode: "parallel",
        triggers: on("transition"),
        actions: [play],
      });
    const wind = plan.bedtime?.wind_down;
    if (wind)
      rules.push({
        id: id("wind_down"),
        alias: `${name}: wind-down`,
        description: `From the family plan: the last ${wind.minutes} min before ${name}'s bedtime`,
        mode: "parallel",
        triggers: on("wind_down"),
        actions: [
          {
            action: "player.wind_down",
            player,
            minutes: wind.minutes,
            ...(wind.volume !== undefined ? {volume: wind.volume} : {}),
          },
        ],
      });
    // A budget always warns aloud: the parent's line, or one saying the minutes left.
    for (const [step, say, alias] of [
      ["warning", plan.budget ? (plan.warning?.say ?? DEFAULT_WARNING_SAY) : undefined, "budget warning"],
      ["not_tonight", plan.not_tonight?.say, "not tonight"],
    ] as const)
      if (say)
        rules.push({
          id: id(step),
          alias: `${name}: ${alias}`,
          description: `From the family plan: said on ${name}'s player`,
          mode: "parallel",
          triggers: on(step),
          // The warning comes mid-story, which goes on; "not tonight" must not start it again.
          actions: [
            {action: "player.announce", player, message: say, resume: step === "warning", continue_on_error: true},
          ],
        });
  }
  return rules;
}

/**
 * The transition's card or stream, as an action. The plan holds one of the two (childPlan.ts
 * refuses both or neither); a plan with neither has no transition to play.
 */
function transitionAction(
  transition: {card?: string; stream?: string},
  player: string,
): ActionSpec<"player.play_card" | "player.play_stream"> | undefined {
  if (transition.card) return {action: "player.play_card", player, card: transition.card};
  if (transition.stream) return {action: "player.play_stream", player, stream: transition.stream};
  return undefined;
}
