import type {ConditionPlugin} from "../../types.js";

const schema = {
  type: "object",
  additionalProperties: false,
  required: ["conditions"],
  properties: {conditions: {type: "array", minItems: 1}},
};

// `and`, `or`, `not` are one idea — combining conditions — so they share this file.
function logical(type: "and" | "or" | "not", combine: (results: boolean[]) => boolean): ConditionPlugin {
  return {
    kind: "condition",
    type,
    description: `${type.toUpperCase()} of the listed conditions`,
    schema,
    compile(options, ctx) {
      const tests = ctx.compileConditions(options.conditions as unknown[], [...ctx.path, "conditions"]);
      return (run) => combine(tests.map((test) => test(run)));
    },
  };
}

export const andCondition = logical("and", (r) => r.every(Boolean));
export const orCondition = logical("or", (r) => r.some(Boolean));
export const notCondition = logical("not", (r) => !r.some(Boolean));
