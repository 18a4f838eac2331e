import {AsyncLocalStorage} from "node:async_hooks";
import {pathToFileURL} from "node:url";
import type {CompiledTrigger, RulePlugin, TriggerHost} from "./types.js";

/** A third-party plugin blamed for an error nobody caught, and where in its file, when the stack says. */
export interface PluginBlame {
  /** The plugin's file, relative to rules_dir (`plugins/notify.mjs`). */
  plugin: string;
  /** The module URL of the loaded version (its `?v=` changes when the file does). */
  version: string;
  line: number;
  col: number;
}

type Origin = {plugin: string; version: string};

// A hostile plugin can make its stack text as long as it likes; frames worth reading come first.
const STACK_CHARS_READ = 64 * 1024;

/**
 * Ties what a third-party plugin does, now and later, to its file, so an error that escapes every
 * caller (a throw in the plugin's own timer, a promise it never awaits) can be reported against
 * that plugin instead of taking the service down. Two witnesses: the async context every plugin
 * call runs in (it follows timers, promises and requests the plugin starts, even ones failing in
 * Node's own code), and the plugin's file in the error's stack (which also gives line and column).
 */
export class PluginAttribution {
  readonly #context = new AsyncLocalStorage<Origin>();
  /** Module URL and path of each loaded plugin file → its latest loaded version. */
  readonly #files = new Map<string, Origin>();
  /** The version of each plugin file the last load found. */
  readonly #current = new Map<string, string>();
  readonly #onCallbackError: (error: unknown, blame: PluginBlame) => void;

  /**
   * `onCallbackError` hears of throws from the plugin code the service calls back later (trigger
   * attach and its event, timer and MQTT handlers): they are contained there, so one plugin cannot
   * stop an event reaching the other rules.
   */
  constructor(onCallbackError: (error: unknown, blame: PluginBlame) => void = () => {}) {
    this.#onCallbackError = onCallbackError;
  }

  /** Note a plugin file about to be imported as `version` (its module URL). */
  remember(file: string, plugin: string, version: string): void {
    const origin = {plugin, version};
    this.#files.set(pathToFileURL(file).href, origin);
    // A `.js` plugin read as CommonJS shows its plain path in stacks.
    this.#files.set(file, origin);
    this.#current.set(plugin, version);
  }

  /** Forget which versions are current; the next load remembers the files it finds. */
  startLoad(): void {
    this.#current.clear();
  }

  /** The plugin files the last load found, each with the version it loaded. */
  current(): ReadonlyMap<string, string> {
    return this.#current;
  }

  /** Run `fn` as the plugin: whatever it starts stays attributed to that plugin. */
  within<T>(plugin: string, version: string, fn: () => T): T {
    return this.#context.run({plugin, version}, fn);
  }

  /** Which plugin `error` came from (`origin` when known already), if any. Never throws. */
  blame(error: unknown, origin = this.#context.getStore()): PluginBlame | undefined {
    return this.#frame(error, origin) ?? (origin ? {...origin, line: 1, col: 1} : undefined);
  }

  /**
   * The same plugin, with every function of it the service calls later run in the plugin's context,
   * and every call it makes back into the service (firing, subscribing, scheduling) in the service's.
   */
  wrap(plugin: RulePlugin, origin: Origin): RulePlugin {
    // Leave a malformed plugin as it is, for the registry to refuse with its own message.
    if (typeof plugin?.compile !== "function") return plugin;
    const compile = plugin.compile.bind(plugin) as (options: Record<string, unknown>, ctx: unknown) => unknown;
    const wrapped = {
      kind: plugin.kind,
      type: plugin.type,
      schema: plugin.schema,
      description: plugin.description,
      // Throws from compile, conditions and actions reach callers that report them already.
      compile: this.#as(origin, (options: Record<string, unknown>, ctx: unknown) => {
        const compiled = compile(options, ctx);
        if (plugin.kind === "trigger") return this.#wrapTrigger(compiled as CompiledTrigger, origin);
        return typeof compiled === "function"
          ? this.#as(origin, compiled as (...args: unknown[]) => unknown)
          : compiled;
      }),
    };
    return wrapped as unknown as RulePlugin;
  }

  #wrapTrigger(trigger: CompiledTrigger, origin: Origin): CompiledTrigger {
    if (!trigger || typeof trigger.attach !== "function") return trigger;
    const contained = <A extends unknown[], R>(fn: (...args: A) => R, fallback: R) =>
      this.#contained(origin, fn, fallback);
    const service = <A extends unknown[], R>(fn: (...args: A) => R) =>
      ((...args: A) => this.#context.exit(() => fn(...args))) as (...args: A) => R;
    const attach = trigger.attach.bind(trigger);
    const firesAt = trigger.firesAt?.bind(trigger);
    return {
      attach: (host, fire) => {
        // The plugin calls the host in its context; the host's own timers must not inherit it.
        const guarded: TriggerHost = {
          timeZone: host.timeZone,
          subscribe: service((source, key, handler) => host.subscribe(source, key, contained(handler, undefined))),
          schedule: service((next, handler) =>
            host.schedule(contained(next, undefined), contained(handler, undefined)),
          ),
          mqtt: service((topic, handler) => host.mqtt(topic, contained(handler, undefined))),
        };
        const off = contained(attach, undefined)(guarded, service(fire));
        return typeof off === "function" ? contained(off, undefined) : () => {};
      },
      ...(firesAt ? {firesAt: contained(firesAt, false)} : {}),
    };
  }

  #as<A extends unknown[], R>(origin: Origin, fn: (...args: A) => R): (...args: A) => R {
    return (...args) => this.#context.run(origin, () => fn(...args));
  }

  /** `fn` in the plugin's context; a throw is reported (not passed on) and `fallback` returned. */
  #contained<A extends unknown[], R>(origin: Origin, fn: (...args: A) => R, fallback: R): (...args: A) => R {
    return (...args) => {
      try {
        return this.#context.run(origin, () => fn(...args));
      } catch (err) {
        this.#onCallbackError(err, this.blame(err, origin) as PluginBlame);
        return fallback;
      }
    };
  }

  /** The topmost stack frame in a plugin file (`origin`'s when given): `…/plugins/x.mjs?v=123:3:9`. */
  #frame(error: unknown, origin: Origin | undefined): PluginBlame | undefined {
    let stack: unknown;
    try {
      stack = (error as {stack?: unknown} | null)?.stack;
    } catch {
      return undefined;
    }
    if (typeof stack !== "string") return undefined;
    for (const line of stack.slice(0, STACK_CHARS_READ).split("\n")) {
      for (const [file, known] of this.#files) {
        if (origin && known.plugin !== origin.plugin) continue;
        const at = line.indexOf(file);
        if (at === -1) continue;
        const place = /^(?:\?[^:\s()]*)?:(\d+):(\d+)/.exec(line.slice(at + file.length));
        if (place) return {...(origin ?? known), line: Number(place[1]), col: Number(place[2])};
      }
    }
    return undefined;
  }
}
