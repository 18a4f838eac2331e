import type {ActionPlugin, Condition, Step} from "../../types.js";
import {DURATION_SCHEMA, durationMs, option} from "../helpers.js";

const LIST = {type: "array", minItems: 1};

/** `choose`: the first option whose conditions all hold runs its sequence; else `default`. */
export const chooseAction: ActionPlugin = {
  kind: "action",
  type: "choose",
  description: "Run the first matching option",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["choose"],
    properties: {choose: {type: "array", minItems: 1}, default: LIST},
  },
  compile(options, ctx) {
    const branches = (options.choose as unknown[]).map((raw, i) => {
      const path = [...ctx.path, "choose", i];
      if (typeof raw !== "object" || raw === null)
        return ctx.fail("each choice needs conditions and sequence", ["choose", i]);
      const branch = raw as Record<string, unknown>;
      for (const key of Object.keys(branch))
        if (key !== "conditions" && key !== "sequence" && key !== "alias")
          ctx.fail(`unknown key '${key}' in a choice (it takes conditions, sequence)`, ["choose", i, key]);
      if (!Array.isArray(branch.sequence)) ctx.fail("missing key 'sequence'", ["choose", i]);
      const conditions = [branch.conditions ?? []].flat();
      return {
        tests: ctx.compileConditions(conditions, [...path, "conditions"]),
        steps: ctx.compileActions(branch.sequence as unknown[], [...path, "sequence"]),
      };
    });
    const fallback = options.default ? ctx.compileActions(options.default as unknown[], [...ctx.path, "default"]) : [];
    return async (run) => {
      const chosen = branches.find((b) => b.tests.every((test) => test(run)));
      await run.runSteps(chosen ? chosen.steps : fallback);
    };
  },
};

/** `if` / `then` / `else`. */
export const ifAction: ActionPlugin = {
  kind: "action",
  type: "if",
  description: "Run `then` when the conditions hold, else `else`",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["if", "then"],
    // biome-ignore lint/suspicious/noThenProperty: `then` is Home Assistant's key for this block
    properties: {if: {}, then: LIST, else: LIST},
  },
  compile(options, ctx) {
    const tests: Condition[] = ctx.compileConditions([options.if].flat(), [...ctx.path, "if"]);
    const then: Step[] = ctx.compileActions(options.then as unknown[], [...ctx.path, "then"]);
    const otherwise: Step[] = options.else ? ctx.compileActions(options.else as unknown[], [...ctx.path, "else"]) : [];
    return async (run) => run.runSteps(tests.every((t) => t(run)) ? then : otherwise);
  },
};

/** `delay: "00:00:05"`, `delay: 5` or `delay: {minutes: 1}`. */
export const delayAction: ActionPlugin = {
  kind: "action",
  type: "delay",
  description: "Wait",
  schema: {type: "object", additionalProperties: false, required: ["delay"], properties: {delay: DURATION_SCHEMA}},
  compile(options, ctx) {
    const read = option(options.delay);
    if (typeof options.delay !== "string" || !options.delay.includes("{{"))
      if (durationMs(options.delay) === undefined)
        ctx.fail(`'delay' must be a duration such as "00:00:05", 5 or {seconds: 5}`, ["delay"]);
    return async (run) => {
      const ms = durationMs(read(run));
      if (ms === undefined) throw new Error(`delay ${JSON.stringify(read(run))} is not a duration`);
      await run.sleep(ms);
    };
  },
};

/** `wait_for_trigger` with `timeout` and `continue_on_timeout` (default true); sets `wait`. */
export const waitForTriggerAction: ActionPlugin = {
  kind: "action",
  type: "wait_for_trigger",
  description: "Wait until one of the triggers fires",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["wait_for_trigger"],
    properties: {wait_for_trigger: {}, timeout: DURATION_SCHEMA, continue_on_timeout: {type: "boolean"}},
  },
  compile(options, ctx) {
    const triggers = ctx.compileTriggers([options.wait_for_trigger].flat(), [...ctx.path, "wait_for_trigger"]);
    const timeoutMs = options.timeout === undefined ? undefined : durationMs(options.timeout);
    if (options.timeout !== undefined && timeoutMs === undefined)
      ctx.fail(`'timeout' must be a duration such as "00:01:00"`, ["timeout"]);
    return async (run) => {
      const fired = await run.waitForTrigger(triggers, timeoutMs);
      run.variables.wait = {trigger: fired ?? null, completed: fired !== undefined};
      if (!fired && options.continue_on_timeout === false && !run.dryRun)
        throw new Error("timed out waiting for a trigger");
    };
  },
};

/** An inline condition: the run stops quietly here when it does not hold. */
export const conditionAction: ActionPlugin = {
  kind: "action",
  type: "condition",
  description: "Stop here unless the condition holds",
  schema: {type: "object"},
  compile(options, ctx) {
    const [test] = ctx.compileConditions([options], ctx.path);
    return async (run) => {
      if (!(test as Condition)(run)) throw Object.assign(new Error("condition not met"), {quiet: true});
    };
  },
};

/** `variables: {name: value}` for the rest of the run. */
export const variablesAction: ActionPlugin = {
  kind: "action",
  type: "variables",
  description: "Set variables for the rest of the run",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["variables"],
    properties: {variables: {type: "object"}},
  },
  compile(options) {
    const read = option(options.variables as Record<string, unknown>);
    return async (run) => {
      Object.assign(run.variables, read(run));
    };
  },
};
