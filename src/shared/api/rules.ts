/** Rules: their status, load errors and traces, as the Rules view shows them. */

/** What `{{ trigger.* }}` sees: the trigger's type and id plus what the event carried. */
export type TriggerData = {type: string; id: string} & Record<string, unknown>;

/** `refused`: the family plan held the player an action would start (bedtime, quiet hours, the day's listening). */
export type RunResult =
  | "running"
  | "completed"
  | "stopped"
  | "condition_failed"
  | "refused"
  | "error"
  | "aborted"
  | "skipped";

/** What one run did, for the panel: trigger, each condition, each action with timing and error. */
export interface Trace {
  run: number;
  rule: string;
  trigger: TriggerData;
  startedAt: string;
  ms?: number;
  conditions: Array<{index: number; type: string; result: boolean}>;
  actions: Array<{path: string; type: string; ms: number; error?: string}>;
  result: RunResult;
  error?: string;
  /** Dry runs (`rules simulate`): what the actions would have done. */
  would?: string[];
}

export interface RuleStatus {
  id: string;
  alias: string;
  description?: string;
  file: string;
  line: number;
  mode: string;
  enabled: boolean;
  running: number;
  triggers: string[];
  lastRun?: Pick<Trace, "run" | "startedAt" | "result" | "error">;
  /** Set when the file now has an error and this is the last version that compiled. */
  stale?: string;
  /** Made by the service, not a file ("family plan"): read-only, changed where it comes from. */
  from?: string;
}

/** One problem, placed: `bedtime.yaml:4:7 [0].triggers[0].at '25:00' is not a time of day`. */
export interface LoadError {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
  /** The rule's id when it could be read, so the previous version can keep running. */
  rule?: string;
  /** Likewise for a story document. */
  story?: string;
  text: string;
}

export interface RulesList {
  rules: RuleStatus[];
  errors: LoadError[];
  timeZone: string;
}

export interface RulesReload {
  loaded: number;
  failed: number;
  errors: LoadError[];
}

/** `rules.changed`: the rule files were (re)loaded. */
export interface RulesChanged {
  loaded: number;
  failed: number;
}

/** `rules.traced`: a rule run started (`result: "running"`) or ended. */
export interface RulesTraced {
  rule: string;
  run: number;
  result: string;
}
