import type {AnnounceRequest} from "../announce/request.js";
import type {ConfigPath} from "../core/configPath.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Start} from "../gate/types.js";
import type {QuietPeriod} from "../parents/quietHours.js";
import type {QuietClock} from "../parents/quietUntil.js";
import type {RulesChanged, RulesTraced, TriggerData} from "../shared/api/rules.js";
import type {StorySession} from "../stories/index.js";
import type {Scope} from "./expressions.js";

export type {TriggerData};

/** A JSON schema for a plugin's options (ajv, draft-07). */
export type Schema = Record<string, unknown>;

/** Events rules react to, each indexed by a key so dispatch cost follows the rules that match. */
export type EventSource =
  | "player"
  | "card"
  | "family"
  | "volume"
  | "button"
  | "story"
  | "stream_requested"
  | "startup"
  /** Today's listening on a player changed (`history.changed`), keyed like player events. */
  | "listening";

export interface TriggerHost {
  readonly timeZone: string;
  /** Be called for `source` events under `key` (or "*" for every key). Returns the unsubscribe. */
  subscribe(source: EventSource, key: string, handler: (event: Record<string, unknown>) => void): () => void;
  /** Fire at the instants `next(after)` yields (epoch ms), until unsubscribed. */
  schedule(next: (after: number) => number | undefined, handler: (at: number) => void): () => void;
  /** Messages on the local broker; `topic` may hold MQTT wildcards. */
  mqtt(topic: string, handler: (topic: string, payload: string) => void): () => void;
}

export interface CompiledTrigger {
  attach(host: TriggerHost, fire: (data: Record<string, unknown>) => void): () => void;
  /** For `rules simulate --at`: whether this trigger fires at that instant (time-driven ones only). */
  firesAt?(at: number, timeZone: string): boolean;
}

/**
 * A kind of document in rules_dir that is not rules (a `story:` file): the folder is read once, and
 * each such document is handed to the service that owns it, which answers what is wrong with it by
 * its path inside the document (the reader places that on a line).
 */
export interface DocumentOwner {
  /** The top-level key that marks the kind (`story`). */
  readonly key: string;
  load(
    documents: ReadonlyArray<{file: string; content: Record<string, unknown>}>,
    context: {dir: string; createdStreams: ReadonlySet<string>},
  ):
    | Array<{file: string; path: ConfigPath; message: string; story?: string}>
    | Promise<Array<{file: string; path: ConfigPath; message: string; story?: string}>>;
}

/** The parts of the app rules can reach. Absent in `rules check`; fakes in simulate. */
export interface RuleServices {
  /** A start (play_card, Play, Next…) passes the play gate as a rule's. */
  players?: Pick<GatedPlayers, "list" | "get" | "command">;
  streams?: {
    has(name: string): boolean;
    list(): Array<{
      name: string;
      items: string[];
      mode: string;
      activePreset: string | null;
      presets: Record<string, string[]>;
    }>;
    replace(name: string, refs: string[], mode?: string): Promise<unknown>;
    add(name: string, refs: string[], index?: number): Promise<unknown>;
    removeAt(name: string, index: number): Promise<unknown>;
    clear(name: string): Promise<unknown>;
    shuffleOnce(name: string): Promise<unknown>;
    setMode(name: string, mode: unknown): Promise<unknown>;
    usePreset(name: string, preset: string): Promise<unknown>;
    /** Library ids for references; throws with every bad one named. */
    resolveRefs?(refs: string[]): string[];
  };
  stories?: {
    session(player: string): StorySession | undefined;
    play(
      player: string,
      story: string,
      start: Start,
      opts?: {scene?: string; variables?: Record<string, unknown>},
    ): Promise<unknown>;
    goto(player: string, scene: string, start: Start): Promise<unknown>;
    set(player: string, variables: Record<string, unknown>): unknown;
    has(story: string): boolean;
  };
  cards?: {playStream(player: string, stream: string, start: Start): Promise<unknown>};
  feeds?: {
    has(stream: string): boolean;
    refresh(stream: string): Promise<void>;
    view(stream: string): {error: string | null};
  };
  spoken?: {
    say(
      stream: string,
      request: {message?: string; haTemplate?: string; language?: string; engine?: string},
    ): Promise<unknown>;
  };
  announcer?: {announce(player: string, request: AnnounceRequest, how?: {broadcast?: boolean}): Promise<unknown>};
  /** Internet radio: a stream made to play a station, checked first (`stream.set_radio`). */
  radio?: {setStation(stream: string, url: string): Promise<unknown>};
  /** Listening history: seconds a player (id or name) listened today, an open session up to now. */
  history?: {todaySeconds(idOrName: string): number};
  /** Quiet hours (`player.quiet`): max volume 0 until a time of day in `clock`'s zone, then the old values back. */
  quietHours?: {
    beginUntil(idOrName: string, until: unknown, clock: QuietClock): Promise<QuietPeriod>;
  };
  mqtt?: {publish(topic: string, payload: string | object, retain?: boolean): void};
  log: Logger;
}

export interface RunContext {
  readonly ruleId: string;
  readonly trigger: TriggerData;
  readonly variables: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly services: RuleServices;
  /** `rules simulate`: describe what would happen instead of doing it. */
  readonly dryRun: boolean;
  readonly timeZone: string;
  now(): number;
  /** trigger, variables, players by name and id, streams: what `{{ }}` reads. */
  scope(): Scope;
  sleep(ms: number): Promise<void>;
  waitForTrigger(triggers: CompiledTrigger[], timeoutMs: number | undefined): Promise<TriggerData | undefined>;
  runSteps(steps: Step[]): Promise<void>;
  /** Dry runs: what an action would have done, as one line. */
  record(line: string): void;
}

export type Condition = (run: RunContext) => boolean;

export interface Step {
  readonly type: string;
  readonly path: string;
  /** A failure is kept in the trace and the run goes on (`continue_on_error: true`). */
  readonly continueOnError?: boolean;
  run(run: RunContext): Promise<void>;
}

export interface CompileContext {
  readonly path: ConfigPath;
  readonly timeZone: string;
  compileConditions(list: unknown[], path: ConfigPath): Condition[];
  compileActions(list: unknown[], path: ConfigPath): Step[];
  compileTriggers(list: unknown[], path: ConfigPath): CompiledTrigger[];
  /** Refuse the rule with a message placed at `path` (relative to this plugin's options when relative). */
  fail(message: string, path?: ConfigPath): never;
  /** Check a name the rule uses (at `path`, relative to these options) against what exists. */
  reference(kind: "stream" | "player", name: unknown, path: ConfigPath): void;
}

interface PluginBase {
  readonly type: string;
  /** Options beside the type key; validated before `compile`. */
  readonly schema: Schema;
  readonly description?: string;
  /** Options whose text is someone else's template language (Home Assistant's): not checked as ours. */
  readonly verbatim?: readonly string[];
}

export interface TriggerPlugin extends PluginBase {
  readonly kind: "trigger";
  compile(options: Record<string, unknown>, ctx: CompileContext): CompiledTrigger;
}

export interface ConditionPlugin extends PluginBase {
  readonly kind: "condition";
  compile(options: Record<string, unknown>, ctx: CompileContext): Condition;
}

export interface ActionPlugin extends PluginBase {
  readonly kind: "action";
  compile(options: Record<string, unknown>, ctx: CompileContext): (run: RunContext) => Promise<void>;
}

export type RulePlugin = TriggerPlugin | ConditionPlugin | ActionPlugin;

declare module "../core/events.js" {
  interface EventMap {
    "rules.changed": RulesChanged;
    "rules.traced": RulesTraced;
  }
}
