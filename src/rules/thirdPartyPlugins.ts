import {readdir, stat} from "node:fs/promises";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {errorMessage} from "../core/errors.js";
import {compileValue, type Scope} from "./expressions.js";
import type {PluginAttribution} from "./pluginAttribution.js";
import type {PluginRegistry} from "./registry.js";
import type {RulePlugin} from "./types.js";

/** A plugin file that could not be loaded, relative to rules_dir. */
export interface PluginLoadProblem {
  file: string;
  message: string;
}

/**
 * `<rules_dir>/plugins/*.js|mjs`, each exporting `default (api) => void` (or `plugins: [...]`). A
 * plugin that throws while loading is reported and left out; the rest load. Everything a plugin
 * runs, now or later, runs under `attribution`, so its asynchronous errors can be blamed on it.
 */
export async function loadThirdParty(
  dir: string,
  registry: PluginRegistry,
  attribution: PluginAttribution,
): Promise<PluginLoadProblem[]> {
  const folder = path.join(dir, "plugins");
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => /\.(m?js)$/.test(n)).sort();
  } catch {
    return [];
  }
  const problems: PluginLoadProblem[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    const rel = path.relative(dir, file);
    try {
      // The modification time in the URL makes a changed plugin load afresh on reload.
      const {mtimeMs} = await stat(file);
      const version = `${pathToFileURL(file).href}?v=${mtimeMs}`;
      attribution.remember(file, rel, version);
      const asPlugin = <T>(fn: () => T): T => attribution.within(rel, version, fn);
      const mod = (await asPlugin(() => import(version))) as {default?: unknown; plugins?: RulePlugin[]};
      const api = {
        register: (plugin: RulePlugin) => registry.register(attribution.wrap(plugin, {plugin: rel, version}), rel),
        /** An option that may hold `{{ }}`, read during a run: `api.value(options.note)(run)`. */
        value: <T>(value: T) => {
          const compiled = compileValue(value);
          return (run: {scope(): Scope}) => compiled(run.scope());
        },
      };
      const setup = mod.default;
      if (typeof setup === "function") await asPlugin(() => (setup as (a: typeof api) => unknown)(api));
      for (const plugin of mod.plugins ?? []) api.register(plugin);
    } catch (err) {
      problems.push({file: rel, message: `plugin failed to load: ${errorMessage(err)}`});
    }
  }
  return problems;
}
