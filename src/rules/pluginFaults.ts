import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {LoadError} from "./loader.js";
import {PluginAttribution, type PluginBlame} from "./pluginAttribution.js";

/** How an error escaped: thrown with no caller left, or a rejected promise nobody handled. */
export type UncaughtKind = "exception" | "rejection";
/** …or thrown from plugin code the service called back (contained where it was called). */
type FaultKind = UncaughtKind | "callback";

const WHAT: Record<FaultKind, string> = {
  exception: "threw asynchronously",
  rejection: "left a rejected promise unhandled",
  callback: "threw from a trigger callback",
};
// A plugin controls its error's text; the log and the panel get a bounded part of it.
const MESSAGE_CHARS = 500;
const STACK_CHARS = 4000;
// Distinct failures kept per plugin (a message with a counter in it must not grow the list forever).
const FAULTS_PER_PLUGIN = 5;

interface Fault {
  plugin: string;
  error: LoadError;
  version: string;
  count: number;
}

/**
 * Errors third-party plugins let escape after loading, reported like load errors (panel, bridge
 * sensor, log) against the plugin's file. A plugin stays registered: one failing timer in it says
 * nothing about the rules it serves, and the message tells the user which file to fix.
 */
export class PluginFaults {
  readonly attribution = new PluginAttribution((error, blame) => this.#record(error, "callback", blame));
  /** By plugin file and message, oldest first. */
  readonly #faults = new Map<string, Fault>();
  readonly #log: Logger;
  readonly #onChange: () => void;

  constructor(log: Logger, onChange: () => void) {
    this.#log = log;
    this.#onChange = onChange;
  }

  /** If a plugin caused `error`: report it against the plugin and answer true. Never throws. */
  claim(error: unknown, kind: UncaughtKind): boolean {
    const blame = this.attribution.blame(error);
    if (!blame) return false;
    this.#record(error, kind, blame);
    return true;
  }

  #record(error: unknown, kind: FaultKind, blame: PluginBlame): void {
    const message = `plugin ${WHAT[kind]}: ${safeMessage(error)} (fix or remove the plugin)`;
    const key = `${blame.plugin}\n${message}`;
    const count = (this.#faults.get(key)?.count ?? 0) + 1;
    const text = `${blame.plugin}:${blame.line}:${blame.col} ${message}`;
    const placed: LoadError = {file: blame.plugin, line: blame.line, col: blame.col, path: "", message, text};
    // Re-inserted, so the newest failure is last and the oldest is the one dropped.
    this.#faults.delete(key);
    this.#faults.set(key, {plugin: blame.plugin, error: placed, version: blame.version, count});
    const own = [...this.#faults].filter(([, f]) => f.plugin === blame.plugin);
    for (const [oldest] of own.slice(0, -FAULTS_PER_PLUGIN)) this.#faults.delete(oldest);
    // A plugin failing on every tick would flood the log: the 1st, 10th, 100th… time is enough.
    if (count === 1) this.#log.error(`Plugin ${blame.plugin} ${WHAT[kind]}: ${safeStack(error)}`);
    else if (Number.isInteger(Math.log10(count)))
      this.#log.error(`Plugin ${blame.plugin} has now ${WHAT[kind]} ${count} times: ${safeMessage(error)}`);
    if (count === 1) this.#onChange();
  }

  list(): LoadError[] {
    return [...this.#faults.values()]
      .map((f) => f.error)
      .sort((a, b) => (a.file === b.file ? 0 : a.file < b.file ? -1 : 1));
  }

  /** After a load: a plugin that changed or is gone starts with a clean slate. */
  prune(): void {
    const current = this.attribution.current();
    for (const [key, fault] of this.#faults) if (current.get(fault.plugin) !== fault.version) this.#faults.delete(key);
  }
}

function safeMessage(error: unknown): string {
  try {
    return errorMessage(error).slice(0, MESSAGE_CHARS);
  } catch {
    return "(an error that cannot be printed)";
  }
}

function safeStack(error: unknown): string {
  try {
    const stack = (error as {stack?: unknown} | null)?.stack;
    return (typeof stack === "string" ? stack : String(error)).slice(0, STACK_CHARS);
  } catch {
    return "(an error that cannot be printed)";
  }
}
