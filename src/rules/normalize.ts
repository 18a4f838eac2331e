import {closestName} from "../core/closest.js";
import type {ConfigPath} from "../core/configPath.js";
import {RuleError} from "./ruleError.js";

// Keys every item may carry besides its options (Home Assistant's common ones).
const TRIGGER_META = ["trigger", "platform", "id", "alias", "enabled", "variables"];
const CONDITION_META = ["condition", "alias", "enabled"];
const ACTION_META = ["action", "service", "alias", "enabled", "continue_on_error", "data"];
// Building blocks written as their own key, the way Home Assistant scripts write them.
const BLOCKS = ["choose", "if", "delay", "wait_for_trigger", "variables", "stop", "parallel", "sequence"];

export interface Normalized {
  type: string;
  /** The key that named the type, so an unknown type is reported where it was written. */
  typeKey: string;
  options: Record<string, unknown>;
  id?: string;
}

function mapping(item: unknown, path: ConfigPath, what: string): Record<string, unknown> {
  if (typeof item !== "object" || item === null || Array.isArray(item))
    throw new RuleError(path, `${what} must be a mapping`);
  return item as Record<string, unknown>;
}

function without(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !keys.includes(k)));
}

/** A key that is probably the missing one misspelt (`acton:` for `action:`), reported at that key. */
function misspelt(item: Record<string, unknown>, wanted: string[], path: ConfigPath): RuleError | undefined {
  for (const key of Object.keys(item)) {
    const meant = closestName(key, wanted);
    if (meant && meant !== key)
      return new RuleError([...path, key], `unknown key '${key}' (did you mean '${meant}'?)`, true);
  }
  return undefined;
}

/** `- trigger: time` (or the older `platform: time`) and its options. */
export function normalizeTrigger(item: unknown, path: ConfigPath): Normalized {
  const t = mapping(item, path, "a trigger");
  const typeKey = t.trigger !== undefined ? "trigger" : "platform";
  const type = t[typeKey];
  if (typeof type !== "string")
    throw misspelt(t, ["trigger"], path) ?? new RuleError(path, "missing key 'trigger' (e.g. trigger: time)");
  return {type, typeKey, options: without(t, TRIGGER_META), id: t.id === undefined ? undefined : String(t.id)};
}

/** `- condition: time`, the `- or: [...]` shorthands, or a bare `"{{ … }}"` template. */
export function normalizeCondition(item: unknown, path: ConfigPath): Normalized {
  if (typeof item === "string") return {type: "template", typeKey: "condition", options: {value_template: item}};
  const c = mapping(item, path, "a condition");
  if (c.condition === undefined) {
    const shorthand = ["and", "or", "not"].find((k) => k in c);
    if (shorthand) return {type: shorthand, typeKey: shorthand, options: {conditions: c[shorthand]}};
    throw misspelt(c, ["condition"], path) ?? new RuleError(path, "missing key 'condition' (e.g. condition: time)");
  }
  if (typeof c.condition !== "string") throw new RuleError([...path, "condition"], "condition must be a string");
  return {type: c.condition, typeKey: "condition", options: without(c, CONDITION_META)};
}

/** `- action: stream.replace` with options inline or under `data`, or a building block by its key. */
export function normalizeAction(item: unknown, path: ConfigPath): Normalized {
  const a = mapping(item, path, "an action");
  const named = a.action ?? a.service;
  if (named !== undefined) {
    if (typeof named !== "string")
      throw new RuleError([...path, "action"], "action must be a string such as stream.replace");
    const data = a.data;
    if (data !== undefined && (typeof data !== "object" || data === null || Array.isArray(data)))
      throw new RuleError([...path, "data"], "data must be a mapping");
    return {
      type: named,
      typeKey: a.action !== undefined ? "action" : "service",
      options: {...without(a, ACTION_META), ...(data as object)},
    };
  }
  const block = BLOCKS.find((k) => k in a);
  if (block === "if")
    return {type: "if", typeKey: "if", options: without(a, ["alias", "enabled", "continue_on_error"])};
  if (block) return {type: block, typeKey: block, options: without(a, ["alias", "enabled", "continue_on_error"])};
  if ("condition" in a) return {type: "condition", typeKey: "condition", options: {...a}};
  throw (
    misspelt(a, ["action", ...BLOCKS], path) ??
    new RuleError(
      path,
      `missing key 'action' (e.g. action: stream.replace), or a building block: ${BLOCKS.join(", ")}, condition`,
    )
  );
}
