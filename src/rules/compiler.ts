import {Ajv, type ErrorObject, type ValidateFunction} from "ajv";
import {compileTemplate, ExpressionError} from "./expressions.js";
import {normalizeAction, normalizeCondition, normalizeTrigger} from "./normalize.js";
import type {PluginRegistry} from "./registry.js";
import {RuleError} from "./ruleError.js";
import type {CompileContext, CompiledTrigger, Condition, ConfigPath, RulePlugin, RuleServices, Step} from "./types.js";

export type RuleMode = "single" | "restart" | "queued" | "parallel";

/** A rule ready to run: every option checked, every expression parsed, every step bound. */
export interface CompiledRule {
  id: string;
  alias: string;
  description?: string;
  mode: RuleMode;
  max: number;
  enabledByDefault: boolean;
  file: string;
  line: number;
  triggers: Array<{id: string; type: string; compiled: CompiledTrigger}>;
  conditions: Array<{type: string; test: Condition}>;
  actions: Step[];
  variables: Record<string, unknown>;
}

const RULE_KEYS = [
  "id",
  "alias",
  "description",
  "mode",
  "max",
  "max_exceeded",
  "enabled",
  "variables",
  "triggers",
  "conditions",
  "actions",
];
const MODES = ["single", "restart", "queued", "parallel"];

export interface CompilerEnv {
  registry: PluginRegistry;
  timeZone: string;
  services: RuleServices;
  /** Streams that rules in this set create, so referring to them is not an error. */
  createdStreams: Set<string>;
}

/** Streams that exist now or that some rule creates, sorted: what error messages list. */
export function knownStreams(streams: {list(): Array<{name: string}>}, created: Set<string>): string[] {
  return [...new Set([...streams.list().map((s) => s.name), ...created])].sort();
}

const ajv = new Ajv({allErrors: true, strict: false});
const validators = new WeakMap<RulePlugin, ValidateFunction>();

/** Compile one rule (the `index`-th item of a file); throws RuleError at the first problem. */
export function compileRule(raw: unknown, index: number, file: string, line: number, env: CompilerEnv): CompiledRule {
  const at = (...rest: ConfigPath): ConfigPath => [index, ...rest];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new RuleError(at(), "a rule must be a mapping with id, triggers and actions");
  const rule = {...(raw as Record<string, unknown>)};
  // Home Assistant's older singular keys still work there, so they work here.
  for (const [old, now] of [
    ["trigger", "triggers"],
    ["condition", "conditions"],
    ["action", "actions"],
  ] as const)
    if (rule[old] !== undefined && rule[now] === undefined) {
      rule[now] = rule[old];
      delete rule[old];
    }
  for (const key of Object.keys(rule))
    if (!RULE_KEYS.includes(key))
      throw new RuleError(at(key), `unknown key '${key}': a rule takes ${RULE_KEYS.join(", ")}`);
  const id = rule.id ?? (typeof rule.alias === "string" ? slug(rule.alias) : undefined);
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]+$/.test(id))
    throw new RuleError(
      rule.id === undefined ? at() : at("id"),
      rule.id === undefined ? "missing key 'id' (e.g. id: bedtime_playlist)" : "id must be letters, digits, '_' or '-'",
    );
  const mode = rule.mode ?? "single";
  if (!MODES.includes(mode as string))
    throw new RuleError(at("mode"), `mode must be one of ${MODES.join(", ")} (got ${JSON.stringify(mode)})`);
  const max = rule.max ?? 10;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1)
    throw new RuleError(at("max"), "max must be a whole number of at least 1");
  for (const key of ["triggers", "actions"] as const)
    if (!Array.isArray(rule[key]) || (rule[key] as unknown[]).length === 0)
      throw new RuleError(
        rule[key] === undefined ? at() : at(key),
        `${rule[key] === undefined ? `missing key '${key}'` : `${key} must be a non-empty list`}`,
      );
  if (rule.conditions !== undefined && !Array.isArray(rule.conditions))
    throw new RuleError(at("conditions"), "conditions must be a list");

  const root = makeContext(at(), env);
  const compiledTriggers = root.compileTriggers(rule.triggers as unknown[], at("triggers"));
  const triggers = (rule.triggers as unknown[]).map((t, i) => {
    const {type, id: triggerId} = normalizeTrigger(t, at("triggers", i));
    return {id: triggerId ?? String(i), type, compiled: compiledTriggers[i] as CompiledTrigger};
  });
  const rawConditions = (rule.conditions as unknown[] | undefined) ?? [];
  const tests = root.compileConditions(rawConditions, at("conditions"));
  const conditions = rawConditions.map((c, i) => ({
    type: normalizeCondition(c, at("conditions", i)).type,
    test: tests[i] as Condition,
  }));
  const actions = root.compileActions(rule.actions as unknown[], at("actions"));
  return {
    id,
    alias: typeof rule.alias === "string" ? rule.alias : id,
    description: typeof rule.description === "string" ? rule.description : undefined,
    mode: mode as RuleMode,
    max,
    enabledByDefault: rule.enabled !== false,
    file,
    line,
    triggers,
    conditions,
    actions,
    variables: (rule.variables as Record<string, unknown>) ?? {},
  };
}

function makeContext(path: ConfigPath, env: CompilerEnv): CompileContext {
  const self: CompileContext = {
    path,
    timeZone: env.timeZone,
    fail(message, relative = []) {
      throw new RuleError([...path, ...relative], message);
    },
    reference(kind, name, relative) {
      if (typeof name !== "string" || name.includes("{{")) return;
      const where = [...path, ...relative];
      if (kind === "stream") {
        const streams = env.services.streams;
        if (!streams || streams.has(name) || env.createdStreams.has(name)) return;
        const known = knownStreams(streams, env.createdStreams);
        throw new RuleError(
          where,
          `unknown stream '${name}'${known.length ? `: known streams are ${known.join(", ")}` : ": no streams exist yet"}`,
        );
      }
      const players = env.services.players?.list() ?? [];
      if (players.length === 0) return; // not linked yet: checked again on the next reload
      const lower = name.toLowerCase();
      if (players.some((p) => p.id === name || p.name.toLowerCase() === lower)) return;
      throw new RuleError(
        where,
        `unknown player '${name}': known players are ${players.map((p) => p.name).join(", ")}`,
      );
    },
    compileTriggers: (list, listPath) =>
      compileList("trigger", normalizeTrigger, list, listPath, env).map((c) => c.compiled),
    compileConditions: (list, listPath) =>
      compileList("condition", normalizeCondition, list, listPath, env).map((c) => c.compiled),
    compileActions: (list, listPath) =>
      compileList("action", normalizeAction, list, listPath, env).map(({type, path: p, compiled}) => ({
        type,
        path: formatPath(p),
        run: compiled,
      })),
  };
  return self;
}

type Compiled = {trigger: CompiledTrigger; condition: Condition; action: Step["run"]};

/** Each item of a trigger, condition or action list: normalise, find its plugin, check, compile. */
function compileList<K extends RulePlugin["kind"]>(
  kind: K,
  normalize: (item: unknown, path: ConfigPath) => {type: string; options: Record<string, unknown>; typeKey: string},
  list: unknown[],
  listPath: ConfigPath,
  env: CompilerEnv,
): Array<{type: string; path: ConfigPath; compiled: Compiled[K]}> {
  return list.map((item, i) => {
    const path = [...listPath, i];
    const {type, options, typeKey} = normalize(item, path);
    const plugin = pluginFor(env.registry, kind, type, [...path, typeKey]) as RulePlugin;
    const compiled = plugin.compile(checkOptions(plugin, options, path), makeContext(path, env)) as Compiled[K];
    return {type, path, compiled};
  });
}

function pluginFor<K extends RulePlugin["kind"]>(registry: PluginRegistry, kind: K, type: string, path: ConfigPath) {
  const plugin = registry.get(kind, type);
  if (!plugin)
    throw new RuleError(path, `unknown ${kind} '${type}': known ${kind}s are ${registry.types(kind).join(", ")}`);
  return plugin;
}

/** The plugin's JSON schema, with messages a person can act on; template strings pass, then parse. */
function checkOptions(plugin: RulePlugin, options: Record<string, unknown>, path: ConfigPath): Record<string, unknown> {
  let validate = validators.get(plugin);
  if (!validate) {
    validate = ajv.compile(plugin.schema);
    validators.set(plugin, validate);
  }
  if (!validate(options)) {
    const errors = (validate.errors ?? []).filter((e) => !isTemplate(valueAt(options, e.instancePath)));
    const first = errors[0];
    if (first) throw new RuleError([...path, ...pointer(first)], describe(first, plugin));
  }
  walkTemplates(options, path);
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

function describe(error: ErrorObject, plugin: RulePlugin): string {
  const params = error.params as Record<string, unknown>;
  const known = Object.keys((plugin.schema.properties as object | undefined) ?? {});
  switch (error.keyword) {
    case "required":
      return `missing key '${params.missingProperty}'`;
    case "additionalProperties":
      return `unknown key '${params.additionalProperty}' for ${plugin.kind} '${plugin.type}'${known.length ? ` (it takes ${known.join(", ")})` : ""}`;
    case "type":
      return `must be ${article(String(params.type))}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
    default:
      return error.message ?? "is not valid";
  }
}

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

/** `[0, "triggers", 1, "at"]` → `[0].triggers[1].at`. */
export function formatPath(path: ConfigPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}
