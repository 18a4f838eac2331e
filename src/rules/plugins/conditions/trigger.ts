import type {ConditionPlugin} from "../../types.js";

/** Which of the rule's triggers started this run (`id`, or its index). */
export const triggerCondition: ConditionPlugin = {
  kind: "condition",
  type: "trigger",
  description: "The run was started by the trigger with this id",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["id"],
    properties: {id: {type: ["string", "integer", "array"]}},
  },
  compile(options) {
    const ids = [options.id].flat().map(String);
    return (run) => ids.includes(run.trigger.id);
  },
};
