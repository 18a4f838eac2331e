import type {TriggerPlugin} from "../../types.js";
import {eventTrigger} from "../helpers.js";

const STEPS = ["transition", "wind_down", "warning", "not_tonight"];

/**
 * A step of a child's family plan is due (docs/family-plan.md, "Family plan"): the plan decides when, for each
 * of the child's players, and the rules it generates say what. Usable in YAML too, to add to a
 * step ("at the wind-down, also dim the hall light").
 */
export const familyTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "family",
  description: "A step of a child's family plan: transition, wind_down, warning or not_tonight",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["child", "step"],
    properties: {child: {type: "string", minLength: 1}, step: {enum: STEPS}},
  },
  compile(options) {
    const step = options.step as string;
    return eventTrigger("family", String(options.child).toLowerCase(), (e) => {
      if (e.step !== step) return undefined;
      const data = {type: "family", child: e.child, step, player: e.player, player_id: e.player_id};
      // The warning says how many minutes are left: `{{ trigger.minutes_left }}`.
      return e.minutes_left === undefined ? data : {...data, minutes_left: e.minutes_left};
    });
  },
};
