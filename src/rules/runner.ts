import {errorMessage} from "../core/errors.js";
import {setOwn} from "../core/ownKeys.js";
import {PlayRefused} from "../gate/playGate.js";
import type {RunResult, Trace} from "../shared/api/rules.js";
import type {CompiledRule} from "./compiler.js";
import type {Dispatcher} from "./dispatcher.js";
import {compileValue, type Scope} from "./expressions.js";
import type {CompiledTrigger, RuleServices, RunContext, Step, TriggerData} from "./types.js";

export type {RunResult, Trace};

export interface RuntimeDeps {
  services: RuleServices;
  dispatcher: Dispatcher;
  timeZone: string;
  onTrace: (trace: Trace) => void;
  nextRunNumber: () => number;
  dryRun?: boolean;
  /** The clock runs read (`rules simulate --at` pins it). */
  now?: () => number;
}

class Aborted extends Error {}

/**
 * One rule's runs under its mode (Home Assistant's semantics): `single` drops a trigger while a run
 * is going, `restart` aborts it, `queued` runs them one after another, `parallel` side by side;
 * `max` bounds the last two. A throwing action ends its own run only.
 */
export class RuleRuntime {
  readonly rule: CompiledRule;
  readonly #deps: RuntimeDeps;
  readonly #active = new Set<AbortController>();
  readonly #queue: TriggerData[] = [];
  /** The last refusal of the plan logged for this rule: the same one again is not logged again. */
  #refusalLogged: string | undefined;

  constructor(rule: CompiledRule, deps: RuntimeDeps) {
    this.rule = rule;
    this.#deps = deps;
  }

  get running(): number {
    return this.#active.size;
  }

  trigger(data: TriggerData): Promise<Trace | undefined> {
    const {mode, max} = this.rule;
    if (this.#active.size > 0) {
      if (mode === "single") return Promise.resolve(this.#skip(data, "already running (mode: single)"));
      if (mode === "restart") for (const run of this.#active) run.abort();
      if (mode === "queued") {
        if (this.#active.size + this.#queue.length >= max)
          return Promise.resolve(this.#skip(data, `the queue is full (max: ${max})`));
        this.#queue.push(data);
        return Promise.resolve(undefined);
      }
      if (mode === "parallel" && this.#active.size >= max)
        return Promise.resolve(this.#skip(data, `${max} runs are already going (max: ${max})`));
    }
    return this.#run(data);
  }

  abortAll(): void {
    this.#queue.length = 0;
    for (const run of this.#active) run.abort();
  }

  #skip(data: TriggerData, why: string): Trace {
    this.#deps.services.log.warning(`Rule '${this.rule.id}' triggered by ${data.type} but not run: ${why}`);
    const trace = this.#newTrace(data);
    trace.result = "skipped";
    trace.error = why;
    this.#deps.onTrace(trace);
    return trace;
  }

  /** A refusal of the plan, at INFO, once for the same words (a rule fired every minute at bedtime says it once). */
  #logRefusal(step: {path: string; type: string} | undefined, err: PlayRefused): void {
    if (this.#refusalLogged === err.why) return;
    this.#refusalLogged = err.why;
    this.#deps.services.log.info(
      `Rule '${this.rule.id}' was not let play${step ? ` at ${step.path} (${step.type})` : ""}, as the family plan says: ${err.why}`,
    );
  }

  #newTrace(trigger: TriggerData): Trace {
    return {
      run: this.#deps.nextRunNumber(),
      rule: this.rule.id,
      trigger,
      startedAt: new Date().toISOString(),
      conditions: [],
      actions: [],
      result: "running",
    };
  }

  async #run(data: TriggerData): Promise<Trace> {
    const controller = new AbortController();
    this.#active.add(controller);
    const trace = this.#newTrace(data);
    const started = performance.now();
    this.#deps.onTrace(trace);
    const ctx = this.#context(data, controller.signal, trace);
    try {
      for (const [index, condition] of this.rule.conditions.entries()) {
        const result = condition.test(ctx);
        trace.conditions.push({index, type: condition.type, result});
        if (!result) {
          trace.result = "condition_failed";
          return trace;
        }
      }
      await ctx.runSteps(this.rule.actions);
      trace.result = "completed";
      this.#refusalLogged = undefined;
    } catch (err) {
      if (err instanceof Aborted || controller.signal.aborted) trace.result = "aborted";
      else if ((err as {quiet?: boolean}).quiet) {
        // An inline condition or a plain `stop`: the run ends as designed.
        trace.result = "stopped";
        trace.error = errorMessage(err);
      } else if (err instanceof PlayRefused) {
        // The family plan held the player (quiet hours, bedtime, the day's listening): the plan
        // working, not a fault. The gate wrote it in the child's journal; the log says it once.
        trace.result = "refused";
        trace.error = errorMessage(err);
        this.#logRefusal(trace.actions.at(-1), err);
      } else {
        trace.result = "error";
        trace.error = errorMessage(err);
        const failed = trace.actions.at(-1);
        this.#deps.services.log.error(
          `Rule '${this.rule.id}' stopped${failed ? ` at ${failed.path} (${failed.type})` : ""}: ${errorMessage(err)}`,
        );
      }
    } finally {
      trace.ms = Math.round((performance.now() - started) * 100) / 100;
      // Reported again now it has a result, so watchers (the panel) see how it ended.
      this.#deps.onTrace(trace);
      this.#active.delete(controller);
      const next = this.#queue.shift();
      if (next) void this.#run(next);
    }
    return trace;
  }

  #context(trigger: TriggerData, signal: AbortSignal, trace: Trace): RunContext {
    const deps = this.#deps;
    const rule = this.rule;
    const variables: Record<string, unknown> = {};
    const dryRun = deps.dryRun ?? false;
    const ctx: RunContext = {
      ruleId: rule.id,
      trigger,
      variables,
      signal,
      services: deps.services,
      dryRun,
      timeZone: deps.timeZone,
      now: deps.now ?? (() => Date.now()),
      scope: () => buildScope(rule, trigger, variables, deps.services),
      record(line) {
        trace.would ??= [];
        trace.would.push(line);
      },
      sleep(ms) {
        if (dryRun) {
          ctx.record(`wait ${ms / 1000} s`);
          return Promise.resolve();
        }
        return new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(new Aborted());
          const timer = setTimeout(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
          }, ms);
          const onAbort = () => {
            clearTimeout(timer);
            reject(new Aborted());
          };
          signal.addEventListener("abort", onAbort, {once: true});
        });
      },
      waitForTrigger(triggers: CompiledTrigger[], timeoutMs) {
        if (dryRun) {
          ctx.record(`wait for a trigger${timeoutMs === undefined ? "" : ` (up to ${timeoutMs / 1000} s)`}`);
          return Promise.resolve(undefined);
        }
        return new Promise<TriggerData | undefined>((resolve, reject) => {
          const detach: Array<() => void> = [];
          const done = (value: TriggerData | undefined, error?: Error) => {
            for (const off of detach.splice(0)) off();
            clearTimeout(timer);
            signal.removeEventListener("abort", onAbort);
            if (error) reject(error);
            else resolve(value);
          };
          const onAbort = () => done(undefined, new Aborted());
          const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(undefined), timeoutMs);
          signal.addEventListener("abort", onAbort, {once: true});
          triggers.forEach((t, i) => {
            detach.push(
              t.attach(deps.dispatcher, (data) => done({type: String(data.type ?? "trigger"), id: String(i), ...data})),
            );
          });
        });
      },
      async runSteps(steps: Step[]) {
        for (const step of steps) {
          if (signal.aborted) throw new Aborted();
          const started = performance.now();
          const entry: Trace["actions"][number] = {path: step.path, type: step.type, ms: 0};
          trace.actions.push(entry);
          try {
            await step.run(ctx);
          } catch (err) {
            const aborted = err instanceof Aborted || signal.aborted;
            if (!aborted && !(err as {quiet?: boolean}).quiet) entry.error = errorMessage(err);
            // `stop` (quiet) ends the run as asked, even here; anything else may be let through.
            if (aborted || (err as {quiet?: boolean}).quiet || !step.continueOnError) throw err;
            // Refused by the family plan: the gate journalled it; going on is what the rule asked.
            if (err instanceof PlayRefused) continue;
            deps.services.log.warning(
              `Rule '${rule.id}' step ${step.path} (${step.type}) failed, continuing as asked (${errorMessage(err)})`,
            );
          } finally {
            entry.ms = Math.round((performance.now() - started) * 100) / 100;
          }
        }
      },
    };
    // Rule variables are evaluated once per run, with the trigger in scope.
    // setOwn: a variable (or below, a player) named '__proto__' is a value like any other.
    for (const [name, value] of Object.entries(rule.variables))
      setOwn(variables, name, compileValue(value)(ctx.scope()));
    return ctx;
  }
}

/** What `{{ }}` sees during a run. */
export function buildScope(
  rule: {id: string; alias: string},
  trigger: TriggerData,
  variables: Record<string, unknown>,
  services: RuleServices,
): Scope {
  const players: Record<string, unknown> = {};
  for (const p of services.players?.list() ?? []) {
    setOwn(players, p.id, p);
    setOwn(players, p.name, p);
  }
  const streams: Record<string, unknown> = {};
  for (const s of services.streams?.list() ?? [])
    streams[s.name] = {
      items: s.items.length,
      mode: s.mode,
      active_preset: s.activePreset,
      presets: Object.keys(s.presets),
    };
  // The story of the player the trigger is about: `{{ story.variables.gems }}`, `{{ story.scene }}`.
  const playerId = trigger.player_id ?? (trigger.player as {id?: unknown} | undefined)?.id ?? trigger.player;
  const story = typeof playerId === "string" ? services.stories?.session(playerId) : undefined;
  return {
    ...variables,
    trigger,
    players,
    streams,
    story,
    this: {id: rule.id, alias: rule.alias},
    now: new Date().toISOString(),
  };
}
