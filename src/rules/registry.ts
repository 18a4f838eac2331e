import type {ActionPlugin, ConditionPlugin, RulePlugin, TriggerPlugin} from "./types.js";

type Kind = RulePlugin["kind"];
type ByKind = {trigger: TriggerPlugin; condition: ConditionPlugin; action: ActionPlugin};

/**
 * Every trigger, condition and action type. Built-ins and third-party plugins register through
 * this same `register()`; a name can be taken once.
 */
export class PluginRegistry {
  readonly #plugins: {[K in Kind]: Map<string, ByKind[K]>} = {
    trigger: new Map(),
    condition: new Map(),
    action: new Map(),
  };
  /** Where each plugin came from ("built-in" or a file), for error messages and the panel. */
  readonly origins = new Map<string, string>();

  register(plugin: RulePlugin, origin = "built-in"): void {
    const map = this.#plugins[plugin.kind] as Map<string, RulePlugin>;
    if (!plugin.type || typeof plugin.compile !== "function")
      throw new Error(`A ${plugin.kind} plugin needs a 'type' and a 'compile' function`);
    if (map.has(plugin.type))
      throw new Error(
        `The ${plugin.kind} '${plugin.type}' is already registered (by ${this.origins.get(`${plugin.kind}:${plugin.type}`)})`,
      );
    map.set(plugin.type, plugin);
    this.origins.set(`${plugin.kind}:${plugin.type}`, origin);
  }

  get<K extends Kind>(kind: K, type: string): ByKind[K] | undefined {
    return this.#plugins[kind].get(type);
  }

  types(kind: Kind): string[] {
    return [...this.#plugins[kind].keys()].sort();
  }
}
