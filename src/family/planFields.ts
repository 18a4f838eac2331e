import {badRequest} from "../core/errors.js";
import {parseTimeOfDay} from "../core/time/zoned.js";

/** The words of one field's mistake in a child's plan, and the readers every part of the plan shares. */

const MAX_SAY = 300;

const shown = (v: unknown) => JSON.stringify(v) ?? String(v);
export const problem = (field: string, rule: string, value: unknown) =>
  badRequest(`'${field}' ${rule} (got ${shown(value)})`, "bad_plan");

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function wholeNumber(field: string, value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw problem(field, `must be a whole number of ${what} from ${min} to ${max}`, value);
  return value;
}

export function objectAt(field: string, value: unknown, keys: string[]): Record<string, unknown> {
  if (!isObject(value)) throw problem(field, `must be an object with ${keys.map((k) => `'${k}'`).join(", ")}`, value);
  for (const key of Object.keys(value))
    if (!keys.includes(key))
      throw problem(`${field}.${key}`, `is not a field here; the fields are ${keys.join(", ")}`, value[key]);
  return value;
}

export function timeAt(field: string, value: unknown): string {
  if (typeof value !== "string" || parseTimeOfDay(value) === undefined)
    throw problem(field, 'must be a time of day such as "19:30" (HH:MM)', value);
  return value.trim();
}

export function sayAt(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_SAY)
    throw problem(field, `must be a sentence to speak, at most ${MAX_SAY} characters`, value);
  // The line becomes a rule's message, where '{{ }}' is an expression: a parent's words are said as written.
  if (value.includes("{{") || value.includes("}}"))
    throw problem(field, "must be plain words to speak: '{{' and '}}' are not spoken (leave them out)", value);
  return value;
}
