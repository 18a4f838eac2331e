import type {Story} from "../shared/api/stories.js";
import {StoryFiles} from "../stories/index.js";
import {newPlayer, type PlayerState} from "../yoto/playerModel.js";
import {Dispatcher} from "./dispatcher.js";
import {type LoadError, loadRules} from "./loader.js";
import type {PluginAttribution} from "./pluginAttribution.js";
import {RuleRuntime, type Trace} from "./runner.js";
import {simulatedStory} from "./simulatedStory.js";
import type {EventSource, RuleServices, TriggerData} from "./types.js";

export interface SimulatedRun {
  rule: string;
  file: string;
  line: number;
  trigger: TriggerData;
  conditions: Trace["conditions"];
  result: Trace["result"];
  would: string[];
  error?: string;
}

export interface SimulateOptions {
  at: number;
  /** `{"type": "card", "card": "abc12", "player": "Living Room"}`, `{"type": "mqtt", "topic": …}`, … */
  event?: Record<string, unknown>;
  timeZone: string;
  services: RuleServices;
  /** Ties plugins' late errors to their files (`rules simulate` reports them). */
  attribution?: PluginAttribution;
  /** What to take as given where there are no players or history (the CLI has neither). */
  assume?: Assumptions;
}

export interface Assumptions {
  /** Every player the simulation names (in the event, the assumptions or a rule) counts as online. */
  online?: boolean;
  /** Minutes each player (by name) listened today; an event's own `minutes` adds its player. */
  listening?: Record<string, number>;
}

/**
 * What would fire at `at` (time triggers), or on `event`, and what it would do — through the same
 * triggers, conditions and actions the engine runs, with actions describing instead of acting.
 */
export async function simulateRules(
  dir: string,
  opts: SimulateOptions,
): Promise<{runs: SimulatedRun[]; errors: LoadError[]; assumed: string[]}> {
  // Loading sees no assumed players: with some listed, every other name would be "unknown".
  const storyFiles = new StoryFiles();
  const {rules, errors} = await loadRules(dir, {
    timeZone: opts.timeZone,
    services: opts.services,
    attribution: opts.attribution,
    documents: [storyFiles],
  });
  const stories = storyFiles.stories;
  const world = assumedWorld(opts.services, opts.assume ?? {}, opts.event, stories);
  const dispatcher = new Dispatcher(opts.timeZone);
  const fired: Array<{runtime: RuleRuntime; data: TriggerData}> = [];
  let runNumber = 0;
  for (const rule of rules) {
    const runtime = new RuleRuntime(rule, {
      services: world.services,
      dispatcher,
      timeZone: opts.timeZone,
      nextRunNumber: () => ++runNumber,
      onTrace: () => {},
      dryRun: true,
      now: () => opts.at,
    });
    for (const t of rule.triggers) {
      if (!opts.event && t.compiled.firesAt?.(opts.at, opts.timeZone))
        fired.push({runtime, data: {type: t.type, id: t.id, at: new Date(opts.at).toISOString()}});
      // Event triggers attach for real; time ones are left out (they answer through firesAt).
      if (opts.event && !t.compiled.firesAt)
        t.compiled.attach(dispatcher, (data) =>
          fired.push({runtime, data: {...data, type: t.type, id: t.id} as TriggerData}),
        );
    }
  }
  if (opts.event) deliver(dispatcher, opts.event);
  const runs: SimulatedRun[] = [];
  for (const {runtime, data} of fired) {
    const trace = (await runtime.trigger(data)) as Trace;
    runs.push({
      rule: runtime.rule.id,
      file: runtime.rule.file,
      line: runtime.rule.line,
      trigger: data,
      conditions: trace.conditions,
      result: trace.result,
      would: trace.would ?? [],
      ...(trace.error ? {error: trace.error} : {}),
    });
  }
  dispatcher.clear();
  return {runs, errors, assumed: world.assumed()};
}

/**
 * The services the runs see: `opts.services`, plus players that are online and today's listening
 * as assumed. Without these the `player` and `listening` conditions cannot hold offline, so the
 * shipped parents' rules could not be previewed at all.
 */
function assumedWorld(
  services: RuleServices,
  assume: Assumptions,
  event: Record<string, unknown> | undefined,
  stories: Story[],
): {services: RuleServices; assumed: () => string[]} {
  const minutes = new Map<string, {name: string; minutes: number}>();
  for (const [name, value] of Object.entries(assume.listening ?? {}))
    minutes.set(name.toLowerCase(), {name, minutes: value});
  // `{"type": "listening", "player": "Bedroom Mini", "minutes": 61}` is today's total at that moment.
  const eventPlayer = event?.player === undefined ? undefined : String(event.player);
  if (event?.minutes !== undefined) {
    const name = eventPlayer ?? "Player";
    minutes.set(name.toLowerCase(), {name, minutes: Number(event.minutes)});
  }
  const online = new Map<string, PlayerState>();
  const playerNamed = (name: string): PlayerState => {
    const key = name.toLowerCase();
    let player = online.get(key);
    if (!player) {
      player = newPlayer({deviceId: name, name, deviceFamily: "v3", deviceType: "v3", online: true});
      online.set(key, player);
    }
    return player;
  };
  const world: RuleServices = {...services};
  if (assume.online) {
    for (const name of [eventPlayer, ...[...minutes.values()].map((m) => m.name)]) if (name) playerNamed(name);
    world.players = {
      list: () => [...online.values()],
      get: playerNamed,
      command: async () => {
        throw new Error("rules simulate does not command players");
      },
    };
  }
  if (minutes.size > 0)
    world.history = {
      todaySeconds(idOrName) {
        const known = minutes.get(idOrName.toLowerCase());
        if (!known) throw new Error(`no listening assumed for '${idOrName}'`);
        return known.minutes * 60;
      },
    };
  // A story's press or scene: the player is in that story, its variables at their declared values.
  const inStory = simulatedStory(
    stories,
    event,
    String(event?.player_id ?? eventPlayer ?? "Player"),
    eventPlayer ?? "Player",
  );
  if (inStory) world.stories = inStory.services;
  return {
    services: world,
    assumed: () => [
      ...(inStory ? [inStory.assumed] : []),
      ...(assume.online
        ? [
            online.size
              ? `${[...online.values()].map((p) => `'${p.name}'`).join(", ")} online`
              : "players online (no rule asked about one)",
          ]
        : []),
      ...[...minutes.values()].map((m) => `'${m.name}' listened ${m.minutes} min today`),
    ],
  };
}

const SOURCES: EventSource[] = [
  "player",
  "card",
  "volume",
  "button",
  "story",
  "stream_requested",
  "startup",
  "listening",
];

/** Turn a hand-written event into what the engine's sources would dispatch. */
function deliver(dispatcher: Dispatcher, event: Record<string, unknown>): void {
  const type = String(event.type ?? "");
  if (type === "mqtt") {
    const payload = event.payload;
    dispatcher.deliverMqtt(
      String(event.topic ?? ""),
      typeof payload === "string" ? payload : JSON.stringify(payload ?? ""),
    );
    return;
  }
  if (!SOURCES.includes(type as EventSource))
    throw new Error(`--event type must be one of mqtt, ${SOURCES.join(", ")} (got ${JSON.stringify(event.type)})`);
  const name = String(event.player ?? "Player");
  const player = newPlayer({
    deviceId: String(event.player_id ?? name),
    name,
    deviceFamily: "v3",
    deviceType: "v3",
    online: true,
  });
  const keys = [player.id, name.toLowerCase()];
  switch (type) {
    case "player": {
      // `{"type": "player", "player": "Bedroom Mini", "to": "playing"}`: its playback (the player
      // trigger's default attribute) changes from `from` (default "stopped") to `to`.
      const playing = (status: unknown) =>
        ({...player, playback: {...player.playback, status: String(status)}}) as typeof player;
      dispatcher.dispatch("player", keys, {
        player: playing(event.to ?? "playing"),
        previous: playing(event.from ?? "stopped"),
        changed: ["playback"],
      });
      return;
    }
    case "card":
      dispatcher.dispatch("card", [String(event.card)], {
        player,
        card_id: event.card,
        event: event.event ?? "inserted",
      });
      return;
    case "volume":
      dispatcher.dispatch("volume", keys, {player, from: event.from, to: event.to});
      return;
    case "button":
      dispatcher.dispatch("button", [String(event.button)], {...event, player: name, player_id: player.id});
      return;
    case "story":
      dispatcher.dispatch("story", [String(event.story)], {...event, player: name, player_id: player.id});
      return;
    case "listening": {
      // `{"type": "listening", "player": "Bedroom Mini", "minutes": 61}`: today's total, reported
      // after `from` (default a minute less, as the history reports about once a minute).
      const minutes = Number(event.minutes ?? 0);
      dispatcher.dispatch("listening", keys, {
        player: name,
        player_id: player.id,
        today_seconds: minutes * 60,
        previous_seconds: Number(event.from ?? minutes - 1) * 60,
      });
      return;
    }
    case "stream_requested":
      dispatcher.dispatch("stream_requested", [String(event.stream)], {...event});
      return;
    default:
      dispatcher.dispatch(type as EventSource, ["*"], {...event});
  }
}
