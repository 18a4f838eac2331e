import {compileTemplate} from "../../expressions.js";
import type {ConditionPlugin} from "../../types.js";

/** `condition: template` or a bare `"{{ … }}"`: true when the expression is truthy. */
export const templateCondition: ConditionPlugin = {
  kind: "condition",
  type: "template",
  description: "A {{ }} expression is true",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["value_template"],
    properties: {value_template: {type: "string"}},
  },
  compile(options) {
    const template = compileTemplate(options.value_template as string);
    return (run) => {
      const value = template(run.scope());
      return typeof value === "string"
        ? ["true", "yes", "on", "1"].includes(value.trim().toLowerCase())
        : Boolean(value);
    };
  },
};
