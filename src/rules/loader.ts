import {readdir} from "node:fs/promises";
import path from "node:path";
import {type ConfigPath, formatPath} from "../core/configPath.js";
import {errorMessage} from "../core/errors.js";
import type {LoadError} from "../shared/api/rules.js";
import type {RuleSpec} from "../shared/ruleSpec.js";
import {type CompiledRule, type CompilerEnv, compileRule} from "./compiler.js";
import type {FilePlaces} from "./filePlaces.js";
import {PluginAttribution} from "./pluginAttribution.js";
import {STREAM_CREATING_ACTIONS} from "./plugins/actions/stream.js";
import {registerBuiltins} from "./plugins/index.js";
import {PluginRegistry} from "./registry.js";
import {RuleError, RuleErrors} from "./ruleError.js";
import {readRuleFile} from "./ruleFile.js";
import type {RuleFileReader} from "./ruleFileReader.js";
import {loadThirdParty} from "./thirdPartyPlugins.js";
import type {DocumentOwner, RulePlugin, RuleServices} from "./types.js";

export type {LoadError};

export interface LoadResult {
  rules: CompiledRule[];
  errors: LoadError[];
  files: string[];
  registry: PluginRegistry;
}

export interface LoadOptions {
  timeZone: string;
  services: RuleServices;
  /** Extra plugins (tests, embedders); third-party files come from `<dir>/plugins`. */
  plugins?: RulePlugin[];
  /** Kept across loads by the engine, so a plugin's late errors can still be blamed on it. */
  attribution?: PluginAttribution;
  /** Rules made by the service (the family plan), compiled with the files: origin → rules. */
  generated?: ReadonlyMap<string, readonly RuleSpec[]>;
  /** The other kinds of document in the folder (`story:` files), each handed to the service that owns it. */
  documents?: readonly DocumentOwner[];
  /**
   * Kept across loads by the engine: parses only the files whose text changed, large ones in a
   * thread. Without it (a one-off `rules check`) every file is parsed here.
   */
  reader?: RuleFileReader;
}

/** Every `*.yaml` under `dir` (not `plugins/`), compiled; bad rules are reported and skipped. */
export async function loadRules(dir: string, opts: LoadOptions): Promise<LoadResult> {
  const errors: LoadError[] = [];
  const registry = new PluginRegistry();
  registerBuiltins(registry);
  for (const plugin of opts.plugins ?? []) registry.register(plugin, "embedder");
  const attribution = opts.attribution ?? new PluginAttribution();
  attribution.startLoad();
  for (const problem of await loadThirdParty(dir, registry, attribution))
    errors.push(placed(problem.file, 1, 1, [], problem.message));

  const files = await yamlFiles(dir);
  opts.reader?.keepOnly(files);
  type Parsed = {file: string; places: FilePlaces; entryLines: number[]; content: unknown};
  const parsed: Parsed[] = [];
  const owned = new Map<DocumentOwner, Parsed[]>();
  for (const file of files) {
    const rel = path.relative(dir, file);
    const read = opts.reader ? await opts.reader.read(file) : await readRuleFile(file);
    if (read.problem) {
      errors.push(placed(rel, read.problem.line, read.problem.col, [], read.problem.message));
      continue;
    }
    const {places, entryLines, content} = read;
    if (content === null || content === undefined) continue;
    const owner =
      typeof content === "object" && !Array.isArray(content)
        ? opts.documents?.find((o) => Object.hasOwn(content, o.key))
        : undefined;
    if (owner) {
      owned.set(owner, [...(owned.get(owner) ?? []), {file: rel, places, entryLines, content}]);
      continue;
    }
    parsed.push({file: rel, places, entryLines, content});
  }

  const env: CompilerEnv = {
    registry,
    timeZone: opts.timeZone,
    services: opts.services,
    createdStreams: createdStreams(parsed.map((p) => p.content)),
  };
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  /** Compile one rule into the set; ids are unique across files and generated rules alike. */
  const add = (raw: unknown, index: number, file: string, line: number) => {
    const rule = compileRule(raw, index, file, line, env);
    const other = seen.get(rule.id);
    if (other) throw new RuleError([index, "id"], `duplicate id '${rule.id}' (also at ${other})`);
    seen.set(rule.id, `${file}:${line}`);
    rules.push(rule);
  };
  for (const {file, places, entryLines, content} of parsed) {
    const list = Array.isArray(content) ? content : [content];
    if (typeof content !== "object") {
      errors.push(placed(file, 1, 1, [], "a rules file holds a list of rules (or one rule, or a story: document)"));
      continue;
    }
    list.forEach((raw, index) => {
      const inDoc = (p: ConfigPath) => (Array.isArray(content) ? p : p.slice(1));
      const line = entryLines[index] ?? 1;
      const rawId = (raw as {id?: unknown} | null)?.id;
      try {
        add(raw, index, file, line);
      } catch (err) {
        const problems =
          err instanceof RuleErrors
            ? err.errors
            : err instanceof RuleError
              ? [err]
              : [new RuleError([index], `a plugin failed while compiling this rule (${errorMessage(err)})`)];
        for (const problem of problems) {
          const pos = problem.atKey ? places.atKey(inDoc(problem.path)) : places.at(inDoc(problem.path));
          errors.push({
            ...placed(file, pos.line, pos.col, problem.path, problem.message),
            rule: typeof rawId === "string" ? rawId : undefined,
          });
        }
      }
    });
  }
  // Generated rules are placed by their origin and their place in its list ("family plan:2").
  for (const [origin, list] of opts.generated ?? []) {
    list.forEach((raw, index) => {
      try {
        add(raw, index, origin, index + 1);
      } catch (err) {
        const problems = err instanceof RuleErrors ? err.errors : [new RuleError([index], errorMessage(err))];
        for (const problem of problems) errors.push(placed(origin, index + 1, 1, problem.path, problem.message));
      }
    });
  }
  for (const owner of opts.documents ?? []) {
    const docs = owned.get(owner) ?? [];
    const places = new Map(docs.map((d) => [d.file, d.places]));
    const context = {dir, createdStreams: env.createdStreams};
    const problems = await owner.load(
      docs.map((d) => ({file: d.file, content: d.content as Record<string, unknown>})),
      context,
    );
    for (const problem of problems) {
      const pos = places.get(problem.file)?.at(problem.path) ?? {line: 1, col: 1};
      errors.push({
        ...placed(problem.file, pos.line, pos.col, problem.path, problem.message),
        ...(problem.story ? {story: problem.story} : {}),
      });
    }
  }
  return {rules, errors, files: files.map((f) => path.relative(dir, f)), registry};
}

function placed(file: string, line: number, col: number, where: ConfigPath, message: string): LoadError {
  const p = formatPath(where);
  return {file, line, col, path: p, message, text: `${file}:${line}:${col}${p ? ` ${p}` : ""} ${message}`};
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(folder, {withFileTypes: true});
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== "plugins" && !entry.name.startsWith(".")) await walk(full);
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(full);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Streams that some rule creates (`stream.replace` and friends), found before compiling. */
function createdStreams(documents: unknown[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      const data = (o.data as Record<string, unknown> | undefined) ?? o;
      if (STREAM_CREATING_ACTIONS.includes(o.action as string) && typeof data.stream === "string")
        names.add(data.stream);
      Object.values(o).forEach(visit);
    }
  };
  documents.forEach(visit);
  return names;
}
