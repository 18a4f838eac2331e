/**
 * The way back: a port of `voluptuous_openapi.convert`, which turns the voluptuous schema Home
 * Assistant built from a tool's input schema (`convert_to_voluptuous`, test/helpers/voluptuousOpenapi.ts)
 * into the JSON schema its conversation agents hand the model (`_format_tool` in the OpenAI, Anthropic,
 * Google and Ollama integrations). What the model sees of an argument is what survives both ways.
 *
 * Upstream read (facts only, no code copied): allenporter/voluptuous-openapi `voluptuous_openapi/__init__.py`
 * `convert` @ 47479d3db48832017223d7fb49aba3e43d5a994b (0.1.0) and @ 16d080c70cb427e7de7d54363008aa3a184afb71,
 * which agree on every validator ported here: a Mapping's keys (description, Required, `ensure_default`
 * giving a type-less value "string", or "number" where it has bounds), vol.All merged unless keys clash
 * (then allOf), Range, Length, Datetime, Match (`{"pattern": …}`), In (the first value's type and the
 * values), the four types, a list, vol.Any (anyOf, None as nullable) and None (OpenAPI 3.0's
 * `{"type": "object", "nullable": true, "description": "Must be null"}`).
 */
import type {JsonSchema, Validator} from "./voluptuousOpenapi.js";

const TYPES = {int: "integer", str: "string", float: "number", bool: "boolean"} as const;
const BOUNDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];

/** `ensure_default`: a value without a type (or a combinator) is a string, or a number where it has bounds. */
function ensureDefault(value: JsonSchema): JsonSchema {
  if (["type", "anyOf", "oneOf", "allOf", "not"].some((k) => k in value)) return value;
  return {...value, type: BOUNDS.some((k) => k in value) ? "number" : "string"};
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `convert(schema)` for what `convert_to_voluptuous` builds. */
export function convertToOpenapi(v: Validator): JsonSchema {
  switch (v.kind) {
    case "type":
      return {type: TYPES[v.type]};
    case "none":
      return {type: "object", nullable: true, description: "Must be null"};
    case "in": {
      const first = v.values[0];
      const type =
        typeof first === "boolean"
          ? "boolean"
          : typeof first === "number"
            ? Number.isInteger(first)
              ? "integer"
              : "number"
            : "string";
      return {type, enum: v.values};
    }
    case "match":
      return {pattern: v.pattern};
    case "datetime":
      return {type: "string", format: "date-time"};
    case "length":
      return {...(v.min !== undefined ? {minLength: v.min} : {}), ...(v.max !== undefined ? {maxLength: v.max} : {})};
    case "range":
      return {...(v.min !== undefined ? {minimum: v.min} : {}), ...(v.max !== undefined ? {maximum: v.max} : {})};
    case "all": {
      const merged: JsonSchema = {};
      const allOf: JsonSchema[] = [];
      let fallback = false;
      for (const inner of v.validators) {
        const one = convertToOpenapi(inner);
        if (Object.keys(one).length === 0 || allOf.some((x) => same(x, one))) continue;
        if (Object.keys(one).some((k) => k in merged && !same(merged[k], one[k]))) fallback = true;
        allOf.push(one);
        if (!fallback) Object.assign(merged, one);
      }
      return fallback ? {allOf} : ensureDefault(merged);
    }
    case "any": {
      const nullable = v.validators.some((x) => x.kind === "none");
      const rest = v.validators.filter((x) => x.kind !== "none");
      const result = rest.length === 1 ? convertToOpenapi(rest[0] as Validator) : {anyOf: rest.map(convertToOpenapi)};
      return nullable ? {...result, nullable: true} : result;
    }
    case "list":
      return {type: "array", items: ensureDefault(convertToOpenapi(v.item))};
    case "ref":
      throw new Error("a $ref is not ported back: no tool of ours has one");
    case "object": {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const key of v.keys) {
        const value = convertToOpenapi(key.validator);
        properties[key.name] = ensureDefault(key.description ? {...value, description: key.description} : value);
        if (key.required) required.push(key.name);
      }
      return {type: "object", properties, required, ...(v.extra === "allow" ? {additionalProperties: true} : {})};
    }
  }
}
