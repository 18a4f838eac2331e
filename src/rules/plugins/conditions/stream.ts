import type {ConditionPlugin} from "../../types.js";

/** A stream's active preset, play mode, or whether its queue has anything in it. */
export const streamCondition: ConditionPlugin = {
  kind: "condition",
  type: "stream",
  description: "A stream's preset, mode or queue",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["stream"],
    properties: {
      stream: {type: "string"},
      active_preset: {type: "string"},
      mode: {enum: ["once", "loop", "shuffle", "shuffle_loop"]},
      has_items: {type: "boolean"},
    },
  },
  compile(options, ctx) {
    ctx.reference("stream", options.stream, ["stream"]);
    return (run) => {
      const s = run.services.streams?.list().find((x) => x.name === options.stream);
      if (!s) return false;
      if (options.active_preset !== undefined && s.activePreset !== options.active_preset) return false;
      if (options.mode !== undefined && s.mode !== options.mode) return false;
      return options.has_items === undefined || s.items.length > 0 === options.has_items;
    };
  },
};
