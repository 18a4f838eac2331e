import {Ajv, type ErrorObject, type ValidateFunction} from "ajv";
import {closestName, didYouMean} from "../core/closest.js";
import type {ConfigPath} from "../core/configPath.js";
import {compileTemplate, ExpressionError} from "./expressions.js";
import {RuleError, RuleErrors} from "./ruleError.js";
import type {RulePlugin} from "./types.js";

const ajv = new Ajv({allErrors: true, strict: false});
const validators = new WeakMap<RulePlugin, ValidateFunction>();

/** The plugin's JSON schema, with messages a person can act on; template strings pass, then parse. */
export function checkOptions(
  plugin: RulePlugin,
  options: Record<string, unknown>,
  path: ConfigPath,
): Record<string, unknown> {
  let validate = validators.get(plugin);
  if (!validate) {
    validate = ajv.compile(plugin.schema);
    validators.set(plugin, validate);
  }
  if (!validate(options)) {
    const all = (validate.errors ?? []).filter((e) => !isTemplate(valueAt(options, e.instancePath)));
    // `weekday: [mon, funday]` fails both of anyOf's shapes; the error inside the list says what
    // is wrong, the one about the whole list (or the anyOf itself) would only mislead.
    const errors = all.filter(
      (e) =>
        !(e.keyword === "anyOf" || e.schemaPath.includes("/anyOf/")) ||
        !all.some((other) => other.instancePath.startsWith(`${e.instancePath}/`)),
    );
    // Each wrong option once (ajv can report one key under several rules), and a missing key
    // that is only misspelt is reported as the misspelling.
    const known = Object.keys((plugin.schema.properties as object | undefined) ?? {});
    const meant = new Set(
      errors
        .filter((e) => e.keyword === "additionalProperties")
        .map((e) => closestName(String((e.params as {additionalProperty: string}).additionalProperty), known)),
    );
    const seen = new Set<string>();
    const problems = errors.flatMap((e) => {
      if (e.keyword === "required" && meant.has(String((e.params as {missingProperty: string}).missingProperty)))
        return [];
      const where = [...path, ...pointer(e)];
      const key = where.join("/");
      if (seen.has(key)) return [];
      seen.add(key);
      const message = describe(e, plugin, valueAt(options, e.instancePath));
      return [new RuleError(where, message, e.keyword === "additionalProperties")];
    });
    if (problems.length) throw new RuleErrors(problems);
  }
  const verbatim = new Set(plugin.verbatim ?? []);
  if (!isNested(path))
    for (const [key, value] of Object.entries(options)) if (!verbatim.has(key)) walkTemplates(value, [...path, key]);
  return options;
}

function walkTemplates(value: unknown, path: ConfigPath): void {
  if (typeof value === "string" && value.includes("{{")) {
    try {
      compileTemplate(value);
    } catch (err) {
      throw new RuleError(
        path,
        `bad expression ${JSON.stringify(value)}: ${err instanceof ExpressionError ? err.message : String(err)}`,
      );
    }
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkTemplates(v, [...path, i]);
  } else if (value && typeof value === "object" && !isNested(path))
    for (const [k, v] of Object.entries(value)) walkTemplates(v, [...path, k]);
}

// Nested trigger/condition/action lists are checked when they are compiled themselves.
function isNested(path: ConfigPath): boolean {
  const last = path.at(-1);
  return last === "sequence" || last === "then" || last === "else" || last === "default";
}

function describe(error: ErrorObject, plugin: RulePlugin, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  const known = Object.keys((plugin.schema.properties as object | undefined) ?? {});
  switch (error.keyword) {
    case "required":
      return `missing key '${params.missingProperty}'`;
    case "additionalProperties":
      return `unknown key '${params.additionalProperty}'${didYouMean(String(params.additionalProperty), known)} for ${plugin.kind} '${plugin.type}'${known.length ? ` (it takes ${known.join(", ")})` : ""}`;
    case "type":
      return `must be ${article(String(params.type))}`;
    case "enum": {
      // Name the key and echo what was written: the line alone may hold several values.
      const key = pointer(error).findLast((p) => typeof p === "string");
      return `${key ? `${key} ` : ""}${shown(value)} must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
    }
    default:
      return error.message ?? "is not valid";
  }
}

/** A value as the user wrote it, quoted, and shortened when long: `'funday'`, `5`, `[1,2]`. */
export function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const clipped = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return typeof value === "string" ? `'${clipped}'` : clipped;
}

const MAX_SHOWN = 40;

function article(type: string): string {
  const names: Record<string, string> = {
    string: "a string",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "a mapping",
  };
  return type
    .split(",")
    .map((t) => names[t] ?? t)
    .join(" or ");
}

function pointer(error: ErrorObject): ConfigPath {
  const parts = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, "/").replace(/~0/g, "~")));
  if (error.keyword === "additionalProperties")
    parts.push(String((error.params as {additionalProperty: string}).additionalProperty));
  return parts;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const part of instancePath.split("/").slice(1)) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function isTemplate(value: unknown): boolean {
  return typeof value === "string" && value.includes("{{");
}
