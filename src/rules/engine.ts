import {mkdir, readdir, writeFile} from "node:fs/promises";
import {AppError, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {processTimeZone} from "../core/time/zoned.js";
import type {RuleStatus} from "../shared/api/rules.js";
import type {RuleSpec} from "../shared/ruleSpec.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {CompiledRule} from "./compiler.js";
import {Dispatcher} from "./dispatcher.js";
import {EXAMPLE_RULES} from "./example.js";
import {type LoadError, loadRules} from "./loader.js";
import {PluginFaults, type UncaughtKind} from "./pluginFaults.js";
import type {PluginRegistry} from "./registry.js";
import {RuleFileReader} from "./ruleFileReader.js";
import {RuleFilesWatcher} from "./ruleFilesWatcher.js";
import {RuleRuntime, type Trace} from "./runner.js";
import {feedDispatcher} from "./sources.js";
import type {DocumentOwner, RulePlugin, RuleServices, TriggerData} from "./types.js";

export type {RuleStatus};

export interface RuleEngineOptions {
  rulesDir: string;
  store: StateStore;
  bus: EventBus;
  log: Logger;
  services: RuleServices;
  timeZone?: string;
  /** Reload when a file under rules_dir changes. */
  watch?: boolean;
  /** Write a commented example into an empty rules_dir on first start. */
  writeExample?: boolean;
  plugins?: RulePlugin[];
  /** The other kinds of document in rules_dir (`story:` files), each loaded by the service that owns it. */
  documents?: readonly DocumentOwner[];
  /**
   * Topics the mqtt triggers need on the local broker; a reload resolves once what this returns
   * settles, so a message sent right after it reaches the new rules.
   */
  onMqttTopics?: (topics: string[]) => void | Promise<void>;
  tracesPerRule?: number;
}

/**
 * Loads YAML rules, attaches their triggers, runs them under their modes and keeps their traces.
 * A reload compiles the whole new set first and swaps it in at once; a rule whose new version
 * fails keeps running its previous one, and the error says so.
 */
export class RuleEngine implements Service {
  readonly name = "rules";
  readonly dispatcher: Dispatcher;
  readonly timeZone: string;
  readonly #opts: RuleEngineOptions;
  #runtimes = new Map<string, RuleRuntime>();
  readonly #detach = new Map<string, Array<() => void>>();
  readonly #traces = new Map<string, Trace[]>();
  readonly #stale = new Map<string, string>();
  #errors: LoadError[] = [];
  #enabled?: StoreNamespace<boolean>;
  readonly #overrides = new Map<string, boolean>();
  #watcher?: RuleFilesWatcher;
  #reloading: Promise<unknown> = Promise.resolve();
  #runNumber = 0;
  #unfeed?: () => void;
  #collecting?: Array<Promise<unknown>>;
  readonly #faults: PluginFaults;
  /** Rules the service makes (the family plan's), by origin: listed read-only. */
  readonly #generated = new Map<string, readonly RuleSpec[]>();
  /** The folder's files as last parsed: a reload parses only what changed (an import's one file). */
  readonly #files = new RuleFileReader();

  constructor(opts: RuleEngineOptions) {
    this.#opts = opts;
    this.timeZone = opts.timeZone ?? processTimeZone();
    this.dispatcher = new Dispatcher(this.timeZone, opts.onMqttTopics);
    this.#faults = new PluginFaults(opts.log, () =>
      opts.bus.emit("rules.changed", {loaded: this.#runtimes.size, failed: this.errors().length}),
    );
  }

  async start(): Promise<void> {
    this.#enabled = this.#opts.store.namespace<boolean>("rules_enabled");
    // Keyv's iterator needs the namespace; the store's own listing is simpler and typed.
    for (const [id, value] of await this.#opts.store.entries<boolean>("rules_enabled")) this.#overrides.set(id, value);
    if (this.#opts.writeExample) await this.#writeExampleIfEmpty();
    await this.reload();
    this.#unfeed = feedDispatcher(this.#opts.bus, this.dispatcher);
    // Startup triggers all listen under "*", which dispatch adds to the keys itself.
    this.dispatcher.dispatch("startup", [], {});
    if (this.#opts.watch) {
      this.#watcher = new RuleFilesWatcher({
        dir: this.#opts.rulesDir,
        log: this.#opts.log,
        onChange: (paths) => void this.#changed(paths),
      });
      await this.#watcher.start();
    }
  }

  /**
   * The watcher saw files change. A story import writes its file and reloads at once, and the watcher
   * then sees that write: when every changed file is a rules file whose text is what the last load
   * read, the folder is as loaded, and it is not read, checked and compiled a second time.
   */
  async #changed(paths: string[]): Promise<void> {
    try {
      if (await this.#files.unchanged(paths)) return;
      this.#opts.log.info("Rule files changed: reloading");
      await this.reload();
    } catch (err) {
      this.#opts.log.error(`Reloading rules failed (${errorMessage(err)})`);
    }
  }

  async stop(): Promise<void> {
    await this.#watcher?.stop();
    this.#watcher = undefined;
    this.#unfeed?.();
    await this.#reloading.catch(() => undefined);
    await this.#files.stop();
    for (const id of [...this.#runtimes.keys()]) this.#unload(id);
    this.dispatcher.clear();
  }

  health() {
    const details = {rules: this.#runtimes.size, errors: this.errors().length, timeZone: this.timeZone};
    // A rule whose last run failed is a problem until it runs well (or is turned off): never "working".
    const failing = [...this.#runtimes.values()]
      .filter(({rule}) => this.isEnabled(rule) && this.#traces.get(rule.id)?.at(-1)?.result === "error")
      .map(({rule}) => `'${rule.alias ?? rule.id}' (${this.#traces.get(rule.id)?.at(-1)?.error ?? "an error"})`);
    if (failing.length === 0) return {details};
    const shown = failing.slice(0, 3).join("; ");
    return {
      degraded: true,
      error: `${failing.length === 1 ? "A rule failed" : `${failing.length} rules failed`} at ${failing.length === 1 ? "its" : "their"} last run: ${shown}${failing.length > 3 ? "; …" : ""}`,
      details,
    };
  }

  /** Load every file again; resolves with what loaded and what failed. Concurrent calls queue. */
  reload(): Promise<{loaded: number; failed: number; errors: LoadError[]}> {
    const next = this.#reloading.then(() => this.#reload());
    this.#reloading = next.catch(() => undefined);
    return next;
  }

  /**
   * Replace the rules an origin generates (the family plan's) and reload: they are compiled and
   * run like YAML rules, and listed read-only with `from` naming the origin.
   */
  setGenerated(origin: string, rules: readonly RuleSpec[]): Promise<unknown> {
    // None before and none now (the family plan's first word at start-up, with no children): the
    // set is the same, and a reload would compile every rule file a second time.
    if (!rules.length && !this.#generated.has(origin)) return this.#reloading;
    if (rules.length) this.#generated.set(origin, rules);
    else this.#generated.delete(origin);
    return this.reload();
  }

  list(): RuleStatus[] {
    return [...this.#runtimes.values()].map(({rule, running}) => {
      const last = this.#traces.get(rule.id)?.at(-1);
      return {
        ...(this.#generated.has(rule.file) ? {from: rule.file} : {}),
        id: rule.id,
        alias: rule.alias,
        description: rule.description,
        file: rule.file,
        line: rule.line,
        mode: rule.mode,
        enabled: this.isEnabled(rule),
        running,
        triggers: rule.triggers.map((t) => t.type),
        ...(last ? {lastRun: {run: last.run, startedAt: last.startedAt, result: last.result, error: last.error}} : {}),
        ...(this.#stale.has(rule.id) ? {stale: this.#stale.get(rule.id)} : {}),
      };
    });
  }

  /** What failed to load, then what third-party plugins let escape since (see `claimUncaught`). */
  errors(): LoadError[] {
    return [...this.#errors, ...this.#faults.list()];
  }

  /**
   * For the process's last-resort handlers: when a third-party plugin caused `error` (which nobody
   * caught), report it against the plugin and answer true, so the service can keep running.
   */
  claimUncaught(error: unknown, kind: UncaughtKind): boolean {
    return this.#faults.claim(error, kind);
  }

  traces(id?: string): Trace[] {
    if (id !== undefined) {
      this.#rule(id);
      return [...(this.#traces.get(id) ?? [])].reverse();
    }
    return [...this.#traces.values()]
      .flat()
      .sort((a, b) => b.run - a.run)
      .slice(0, 100);
  }

  isEnabled(rule: CompiledRule): boolean {
    return this.#overrides.get(rule.id) ?? rule.enabledByDefault;
  }

  async setEnabled(id: string, enabled: boolean): Promise<RuleStatus> {
    const runtime = this.#rule(id);
    if (this.#generated.has(runtime.rule.file))
      throw new AppError(
        "generated_rule",
        `Rule '${id}' comes from the ${runtime.rule.file}: change it there (the Family page), not here`,
        {status: 409},
      );
    // Saved first: a switch that could not be saved (full disk) is refused, not undone by a restart.
    await this.#enabled?.set(id, enabled);
    this.#overrides.set(id, enabled);
    this.#detachTriggers(id);
    if (enabled) this.#attach(runtime);
    else runtime.abortAll();
    this.#opts.log.info(`Rule '${id}' ${enabled ? "enabled" : "disabled"}`);
    this.#opts.bus.emit("rules.changed", {loaded: this.#runtimes.size, failed: this.#errors.length});
    return this.list().find((r) => r.id === id) as RuleStatus;
  }

  /**
   * Call `emit` (which fires app events) and resolve when every rule run it started has finished.
   * Dispatch is synchronous, so the runs an emit starts are exactly those started during the call.
   */
  async runsStartedBy(emit: () => void): Promise<void> {
    const runs: Array<Promise<unknown>> = [];
    const outer = this.#collecting;
    this.#collecting = runs;
    try {
      emit();
    } finally {
      this.#collecting = outer;
    }
    outer?.push(...runs);
    await Promise.allSettled(runs);
  }

  /** Run a rule now as if `trigger` fired (the panel's "run" button; tests). */
  run(id: string, trigger: Partial<TriggerData> = {}): Promise<Trace | undefined> {
    return this.#rule(id).trigger({type: "manual", id: "manual", ...trigger} as TriggerData);
  }

  #rule(id: string): RuleRuntime {
    const runtime = this.#runtimes.get(id);
    if (!runtime)
      throw notFound(
        `No rule '${id}'${this.#runtimes.size ? `: rules are ${[...this.#runtimes.keys()].join(", ")}` : ""}`,
      );
    return runtime;
  }

  async #reload() {
    const result = await loadRules(this.#opts.rulesDir, {
      timeZone: this.timeZone,
      services: this.#opts.services,
      plugins: this.#opts.plugins,
      attribution: this.#faults.attribution,
      generated: this.#generated,
      documents: this.#opts.documents,
      reader: this.#files,
    });
    this.#faults.prune();
    const next = new Map(result.rules.map((rule) => [rule.id, rule]));
    this.#stale.clear();
    // A rule whose new version is broken keeps its last good one running.
    for (const error of result.errors) {
      const previous = error.rule ? this.#runtimes.get(error.rule) : undefined;
      if (previous && !next.has(previous.rule.id)) {
        next.set(previous.rule.id, previous.rule);
        this.#stale.set(previous.rule.id, error.text);
        error.message += " (the previous version keeps running)";
        error.text += " (the previous version keeps running)";
      }
    }
    this.#keepUnchanged(next, result.registry);
    this.dispatcher.batch(() => this.#swapRules(next));
    this.#errors = result.errors;
    for (const error of result.errors) this.#opts.log.error(`Rule error: ${error.text}`);
    this.#opts.log.info(
      `Rules loaded: ${next.size} from ${result.files.length} file(s)${result.errors.length ? `, ${result.errors.length} with errors` : ""}`,
    );
    this.#opts.bus.emit("rules.changed", {loaded: next.size, failed: this.errors().length});
    // Done when the new rules can hear: a message sent right after the reload reaches them.
    await this.dispatcher.subscribed();
    return {loaded: next.size, failed: result.errors.length, errors: result.errors};
  }

  /**
   * Saving one rule file must not cut short a wind-down or a `wait_for_trigger` in another: a rule
   * whose text is unchanged keeps its runtime and its runs. Not when third-party plugins are
   * loaded, whose code may have changed under the same text.
   */
  #keepUnchanged(next: Map<string, CompiledRule>, registry: PluginRegistry): void {
    const reloadable = (origin: string) => origin !== "built-in" && origin !== "embedder";
    if ([...registry.origins.values()].some(reloadable)) return;
    for (const [id, rule] of next) {
      const running = this.#runtimes.get(id)?.rule;
      if (running && running.fingerprint === rule.fingerprint && !this.#stale.has(id)) next.set(id, running);
    }
  }

  /** Unload the rules that changed or went away and start the new ones. */
  #swapRules(next: Map<string, CompiledRule>): void {
    for (const id of [...this.#runtimes.keys()]) if (next.get(id) !== this.#runtimes.get(id)?.rule) this.#unload(id);
    for (const rule of next.values()) {
      if (this.#runtimes.get(rule.id)?.rule === rule) continue;
      const runtime = new RuleRuntime(rule, {
        services: this.#opts.services,
        dispatcher: this.dispatcher,
        timeZone: this.timeZone,
        nextRunNumber: () => ++this.#runNumber,
        onTrace: (trace) => this.#keep(trace),
      });
      this.#runtimes.set(rule.id, runtime);
      if (this.isEnabled(rule)) this.#attach(runtime);
    }
  }

  #attach(runtime: RuleRuntime): void {
    const offs = runtime.rule.triggers.map((t) =>
      t.compiled.attach(this.dispatcher, (data) => {
        const run = runtime
          .trigger({...data, type: t.type, id: t.id} as TriggerData)
          .catch((err) => this.#opts.log.error(`Rule '${runtime.rule.id}' failed to start (${errorMessage(err)})`));
        this.#collecting?.push(run);
      }),
    );
    this.#detach.set(runtime.rule.id, offs);
  }

  #detachTriggers(id: string): void {
    for (const off of this.#detach.get(id) ?? []) off();
    this.#detach.delete(id);
  }

  #unload(id: string): void {
    this.#detachTriggers(id);
    this.#runtimes.get(id)?.abortAll();
    this.#runtimes.delete(id);
  }

  #keep(trace: Trace): void {
    const list = this.#traces.get(trace.rule) ?? [];
    if (!list.includes(trace)) list.push(trace);
    if (list.length > (this.#opts.tracesPerRule ?? 20)) list.shift();
    this.#traces.set(trace.rule, list);
    this.#opts.bus.emit("rules.traced", {rule: trace.rule, run: trace.run, result: trace.result});
  }

  async #writeExampleIfEmpty(): Promise<void> {
    const dir = this.#opts.rulesDir;
    const entries = await readdir(dir).catch(() => undefined);
    if (entries?.some((e) => /\.ya?ml$/.test(e))) return;
    await mkdir(dir, {recursive: true});
    await writeFile(`${dir}/example.yaml`, EXAMPLE_RULES, {flag: "wx"}).catch(() => undefined);
    this.#opts.log.info(`Wrote an example rules file to '${dir}/example.yaml'`);
  }
}
