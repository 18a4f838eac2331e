import {didYouMean} from "../core/closest.js";
import {type ConfigPath, formatPath} from "../core/configPath.js";
import {normalizeAction, normalizeCondition, normalizeTrigger} from "./normalize.js";
import {checkOptions, shown} from "./optionCheck.js";
import type {PluginRegistry} from "./registry.js";
import {collecting, RuleError, RuleErrors} from "./ruleError.js";
import type {CompileContext, CompiledTrigger, Condition, RulePlugin, RuleServices, Step} from "./types.js";

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
  /** The rule as written (and where): a reload that finds it unchanged keeps its runs going. */
  fingerprint: string;
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

/**
 * Compile one rule (the `index`-th item of a file). Every problem is collected and thrown together
 * as RuleErrors, so three typos take one round, not three.
 */
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
  const problems: RuleError[] = [];
  const check = (ok: boolean, path: ConfigPath, message: string, atKey = false) => {
    if (!ok) problems.push(new RuleError(path, message, atKey));
  };
  // The message (and its "did you mean", an edit distance per known key) only for a wrong key:
  // built for every key of every rule, it was a third of loading 1,000 rules.
  for (const key of Object.keys(rule))
    if (!RULE_KEYS.includes(key))
      check(
        false,
        at(key),
        `unknown key '${key}'${didYouMean(key, RULE_KEYS)}: a rule takes ${RULE_KEYS.join(", ")}`,
        true,
      );
  const id = rule.id ?? (typeof rule.alias === "string" ? slug(rule.alias) : undefined);
  const idOk = typeof id === "string" && /^[A-Za-z0-9_-]+$/.test(id);
  check(
    idOk,
    rule.id === undefined ? at() : at("id"),
    rule.id === undefined ? "missing key 'id' (e.g. id: bedtime_playlist)" : "id must be letters, digits, '_' or '-'",
  );
  const mode = rule.mode ?? "single";
  check(MODES.includes(mode as string), at("mode"), `mode ${shown(mode)} must be one of ${MODES.join(", ")}`);
  const max = rule.max ?? 10;
  check(
    typeof max === "number" && Number.isInteger(max) && max >= 1,
    at("max"),
    "max must be a whole number of at least 1",
  );
  const listed = (key: "triggers" | "actions") => {
    const ok = Array.isArray(rule[key]) && (rule[key] as unknown[]).length > 0;
    check(
      ok,
      rule[key] === undefined ? at() : at(key),
      `${rule[key] === undefined ? `missing key '${key}'` : `${key} must be a non-empty list`}`,
    );
    return ok ? (rule[key] as unknown[]) : [];
  };
  const rawTriggers = listed("triggers");
  const rawActions = listed("actions");
  check(rule.conditions === undefined || Array.isArray(rule.conditions), at("conditions"), "conditions must be a list");
  const rawConditions = Array.isArray(rule.conditions) ? (rule.conditions as unknown[]) : [];

  const root = makeContext(at(), env);
  const triggers = collecting(problems, () => {
    const compiled = root.compileTriggers(rawTriggers, at("triggers"));
    return rawTriggers.map((t, i) => {
      const {type, id: triggerId} = normalizeTrigger(t, at("triggers", i));
      return {id: triggerId ?? String(i), type, compiled: compiled[i] as CompiledTrigger};
    });
  });
  const conditions = collecting(problems, () => {
    const tests = root.compileConditions(rawConditions, at("conditions"));
    return rawConditions.map((c, i) => ({
      type: normalizeCondition(c, at("conditions", i)).type,
      test: tests[i] as Condition,
    }));
  });
  const actions = collecting(problems, () => root.compileActions(rawActions, at("actions")));
  if (problems.length || !triggers || !conditions || !actions) throw new RuleErrors(problems);
  return {
    id: id as string,
    alias: typeof rule.alias === "string" ? rule.alias : (id as string),
    description: typeof rule.description === "string" ? rule.description : undefined,
    mode: mode as RuleMode,
    max: max as number,
    enabledByDefault: rule.enabled !== false,
    file,
    line,
    triggers,
    conditions,
    actions,
    variables: (rule.variables as Record<string, unknown>) ?? {},
    // Stories and plugins named by the rule are checked again on every load; the text is enough.
    fingerprint: `${file}\n${JSON.stringify(raw)}`,
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
          `unknown stream '${name}'${didYouMean(name, known)}${known.length ? `: known streams are ${known.join(", ")}` : ": no streams exist yet"}`,
        );
      }
      const players = env.services.players?.list() ?? [];
      if (players.length === 0) return; // not linked yet: checked again on the next reload
      const lower = name.toLowerCase();
      if (players.some((p) => p.id === name || p.name.toLowerCase() === lower)) return;
      throw new RuleError(
        where,
        `unknown player '${name}'${didYouMean(
          name,
          players.map((p) => p.name),
        )}: known players are ${players.map((p) => p.name).join(", ")}`,
      );
    },
    compileTriggers: (list, listPath) =>
      compileList("trigger", normalizeTrigger, list, listPath, env).map((c) => c.compiled),
    compileConditions: (list, listPath) =>
      compileList("condition", normalizeCondition, list, listPath, env).map((c) => c.compiled),
    compileActions: (list, listPath) =>
      compileList("action", normalizeAction, list, listPath, env).map(({type, path: p, compiled}, i) => ({
        type,
        path: formatPath(p),
        run: compiled,
        continueOnError: continueOnError(list[i], p),
      })),
  };
  return self;
}

/** Home Assistant's `continue_on_error: true`: the step's failure is traced and the run goes on. */
function continueOnError(item: unknown, path: ConfigPath): boolean {
  const value = item && typeof item === "object" ? (item as Record<string, unknown>).continue_on_error : undefined;
  if (value === undefined) return false;
  if (typeof value !== "boolean")
    throw new RuleError(
      [...path, "continue_on_error"],
      `continue_on_error must be true or false, not ${JSON.stringify(value)}`,
    );
  return value;
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
  // Every item is checked, whatever the ones before it got wrong.
  const problems: RuleError[] = [];
  const out = list.map((item, i) =>
    collecting(problems, () => {
      const path = [...listPath, i];
      const {type, options, typeKey} = normalize(item, path);
      const plugin = pluginFor(env.registry, kind, type, [...path, typeKey]) as RulePlugin;
      const compiled = plugin.compile(checkOptions(plugin, options, path), makeContext(path, env)) as Compiled[K];
      return {type, path, compiled};
    }),
  );
  if (problems.length) throw new RuleErrors(problems);
  return out as Array<{type: string; path: ConfigPath; compiled: Compiled[K]}>;
}

function pluginFor<K extends RulePlugin["kind"]>(registry: PluginRegistry, kind: K, type: string, path: ConfigPath) {
  const plugin = registry.get(kind, type);
  if (!plugin)
    throw new RuleError(
      path,
      `unknown ${kind} '${type}'${didYouMean(type, registry.types(kind))}: known ${kind}s are ${registry.types(kind).join(", ")}`,
    );
  return plugin;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}
