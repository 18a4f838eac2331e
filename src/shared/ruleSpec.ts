/**
 * A rule written in code, as the rule engine reads it (the keys of a rule in a YAML file): the
 * family plan's rules are made of it, so a misspelt key or option, or a value of the wrong kind,
 * fails to compile. The engine checks every option against its plugin's schema all the same, as it
 * does a file's. Here rather than in rules/ because the code that writes rules (family/) sits below
 * the engine; it holds only types.
 *
 * Only the triggers and actions code (and its tests) writes today have their options here, each as its plugin's
 * schema (src/rules/plugins/) takes them: one more is added here, from its schema, before code
 * writes it.
 */

/** The options of each trigger code writes, by its type. */
export interface TriggerOptions {
  /** rules/plugins/triggers/family.ts: a step of a child's family plan is due. */
  family: {child: string; step: "transition" | "wind_down" | "warning" | "not_tonight"};
  /** rules/plugins/triggers/startup.ts: the rules are loaded (the service started, or a reload). */
  startup: Record<never, never>;
}

/** A `{{ }}` template where a flag or number is expected: read when the run reads it. */
type Template = string;

/** The options of each action code writes, by its type. */
export interface ActionOptions {
  /** rules/plugins/actions/misc.ts: a line in the log. */
  log: {message: string; level?: "debug" | "info" | "warning" | "error"};
  /** rules/plugins/actions/player.ts: a card by id or title, or one from a library group. */
  "player.play_card": {
    player: string;
    card?: string;
    chapter?: string | number;
    track?: string | number;
    seconds_in?: number;
    group?: string;
    pick?: "random" | "first";
  };
  /** rules/plugins/actions/story.ts: a stream through the player's card. */
  "player.play_stream": {player: string; stream: string};
  /** rules/plugins/actions/windDown.ts: the volume down step by step over `minutes`, then sleep. */
  "player.wind_down": {
    player: string;
    minutes: number | Template;
    volume?: number | Template;
    night_light?: string | boolean;
  };
  /** rules/plugins/actions/announce.ts: one of `message`, `media` or `item`, then back to the story. */
  "player.announce": {
    player: string | string[];
    message?: string;
    media?: string;
    item?: string;
    volume?: number | Template;
    resume?: boolean | Template;
    only_if_idle?: boolean | Template;
    chime?: boolean | Template;
    language?: string;
    engine?: string;
    in_quiet?: "play" | "skip";
    wait?: boolean | Template;
  };
}

/** One trigger of a rule: its type under `trigger`, with the keys every trigger may carry. */
export type TriggerSpec<T extends keyof TriggerOptions = keyof TriggerOptions> = {
  [K in T]: {trigger: K; id?: string; alias?: string; enabled?: boolean} & TriggerOptions[K];
}[T];

/** One action of a rule: its type under `action`, with the keys every action may carry. */
export type ActionSpec<A extends keyof ActionOptions = keyof ActionOptions> = {
  [K in A]: {action: K; alias?: string; enabled?: boolean; continue_on_error?: boolean} & ActionOptions[K];
}[A];

/** How a rule's runs overlap (`mode:`), as rules/compiler.ts takes it. */
export type RuleSpecMode = "single" | "restart" | "queued" | "parallel";

/** One rule: the keys rules/compiler.ts takes (conditions join when code first writes one). */
export interface RuleSpec {
  id: string;
  alias?: string;
  description?: string;
  mode?: RuleSpecMode;
  max?: number;
  enabled?: boolean;
  triggers: TriggerSpec[];
  actions: ActionSpec[];
}
