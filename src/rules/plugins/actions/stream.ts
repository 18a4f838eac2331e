import type {ActionPlugin, RuleServices, RunContext} from "../../types.js";
import {option} from "../helpers.js";

type Streams = NonNullable<RuleServices["streams"]>;
type Spec = {
  fields: Record<string, object>;
  required: string[];
  run: (streams: Streams, name: string, o: Record<string, unknown>) => Promise<unknown>;
};

const ITEMS = {type: "array", items: {type: "string"}, minItems: 1};
const MODE = {enum: ["once", "loop", "shuffle", "shuffle_loop"]};

// The stream.* actions differ only in their fields and the Streams call, so one table holds them.
const SPECS: Record<string, Spec> = {
  replace: {
    fields: {items: {type: "array", items: {type: "string"}}, mode: MODE},
    required: ["items"],
    run: (s, n, o) => s.replace(n, o.items as string[], o.mode as string | undefined),
  },
  append: {fields: {items: ITEMS}, required: ["items"], run: (s, n, o) => s.add(n, o.items as string[])},
  insert: {
    fields: {items: ITEMS, index: {type: "integer", minimum: 0}},
    required: ["items", "index"],
    run: (s, n, o) => s.add(n, o.items as string[], o.index as number),
  },
  remove: {
    fields: {index: {type: "integer", minimum: 0}},
    required: ["index"],
    run: (s, n, o) => s.removeAt(n, o.index as number),
  },
  clear: {fields: {}, required: [], run: (s, n) => s.clear(n)},
  shuffle: {fields: {}, required: [], run: (s, n) => s.shuffleOnce(n)},
  set_mode: {fields: {mode: MODE}, required: ["mode"], run: (s, n, o) => s.setMode(n, o.mode)},
  use_preset: {
    fields: {preset: {type: "string"}},
    required: ["preset"],
    run: (s, n, o) => s.usePreset(n, o.preset as string),
  },
};

/** Streams that these actions create, so rules may refer to them before they exist. */
export const STREAM_CREATING_ACTIONS = [
  "stream.replace",
  "stream.append",
  "stream.insert",
  "stream.speak",
  "stream.set_radio",
];

export const streamActions: ActionPlugin[] = Object.entries(SPECS).map(([verb, spec]) => ({
  kind: "action",
  type: `stream.${verb}`,
  description: `Stream queue: ${verb.replace("_", " ")}`,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["stream", ...spec.required],
    properties: {stream: {type: "string", minLength: 1}, ...spec.fields},
  },
  compile(options, ctx) {
    if (!STREAM_CREATING_ACTIONS.includes(`stream.${verb}`)) ctx.reference("stream", options.stream, ["stream"]);
    const read = option(options);
    return async (run: RunContext) => {
      const o = read(run);
      const name = String(o.stream);
      if (run.dryRun) {
        run.record(`stream.${verb} '${name}'${describe(o)}`);
        return;
      }
      const streams = run.services.streams;
      if (!streams) throw new Error("streams are not available here");
      await spec.run(streams, name, o);
    };
  },
}));

function describe(o: Record<string, unknown>): string {
  const rest = Object.entries(o).filter(([k]) => k !== "stream");
  return rest.length ? ` ${rest.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}` : "";
}
