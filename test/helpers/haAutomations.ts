import {execFile} from "node:child_process";
import path from "node:path";
import type {Tags} from "yaml";

const RUNNER = path.join(import.meta.dirname, "haAutomationBlueprint.py");

/**
 * The selectors the shipped blueprints use and the options each takes, as homeassistant/helpers/selector.py
 * declares them (EntitySelector's filter: EntityFilterSelectorConfig; NumberSelector; DurationSelector; TextSelector;
 * TimeSelector, which takes none; SelectSelector).
 */
export const SELECTOR_OPTIONS: Record<string, string[]> = {
  entity: ["filter", "multiple", "include_entities", "exclude_entities", "reorder"],
  number: ["min", "max", "step", "unit_of_measurement", "mode", "translation_key"],
  duration: ["enable_day", "enable_millisecond", "allow_negative"],
  text: ["multiline", "prefix", "suffix", "type", "autocomplete", "multiple"],
  time: [],
  select: ["options", "multiple", "custom_value", "mode", "translation_key", "sort"],
};
export const ENTITY_FILTER_KEYS = ["integration", "domain", "device_class", "supported_features"];

/** `!input name`, as Home Assistant's blueprint loader reads it. */
export class Input {
  constructor(readonly name: string) {}
}
export const customTags: Tags = [{tag: "!input", resolve: (value: string) => new Input(value)}];

/** Every `!input` a part of a blueprint uses. */
export function inputsUsed(node: unknown, out: string[] = []): string[] {
  if (node instanceof Input) out.push(node.name);
  else if (Array.isArray(node)) for (const n of node) inputsUsed(n, out);
  else if (node && typeof node === "object") for (const n of Object.values(node)) inputsUsed(n, out);
  return out;
}

/** Where a blueprint holds an empty string (Home Assistant takes one for a missing value). */
export function emptyStrings(node: unknown, where = "", out: string[] = []): string[] {
  if (typeof node === "string" && node.trim() === "") out.push(where);
  else if (Array.isArray(node)) for (const [i, n] of node.entries()) emptyStrings(n, `${where}[${i}]`, out);
  else if (node && typeof node === "object" && !(node instanceof Input))
    for (const [k, n] of Object.entries(node)) emptyStrings(n, `${where}.${k}`, out);
  return out;
}

export interface Call {
  action: string;
  target: {entity_id?: string};
  data: Record<string, unknown>;
}
export interface Case {
  states?: Record<string, string>;
  change?: {entity_id: string; from: string; to: string};
  start?: true;
  /** The clock reads this ("18:00:00") on this weekday ("sun"): a time trigger and a time condition's day. */
  time?: string;
  weekday?: string;
  /** What `state_attr` reads, by entity. */
  attributes?: Record<string, Record<string, unknown>>;
}
export interface Ran {
  fired: Array<{id: string | null; for: unknown}>;
  calls: Call[];
}

/** haAutomationBlueprint.py on a blueprint file: the triggers each case fires and the actions the runs call. */
export function runAutomationBlueprint(
  python: string,
  file: string,
  inputs: Record<string, unknown>,
  cases: Case[],
): Promise<Ran[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, [RUNNER, file], {maxBuffer: 16 * 1024 * 1024}, (err, stdout, stderr) =>
      err
        ? reject(new Error(`haAutomationBlueprint.py failed: ${stderr || err.message}`))
        : resolve((JSON.parse(stdout) as {cases: Ran[]}).cases),
    );
    child.stdin?.end(JSON.stringify({inputs, cases}));
  });
}
