import {type PlayerCommand, parseCommand} from "../../../yoto/commands.js";
import {VOLUME_PERCENTS} from "../../../yoto/playerModel.js";
import type {ActionPlugin, RunContext} from "../../types.js";
import {option} from "../helpers.js";
import {byRule} from "./byRule.js";

type Spec = {fields: Record<string, object>; required?: string[]; command: (o: Record<string, unknown>) => unknown};

// Each player.* action maps its options onto one player command (validated by parseCommand).
const SPECS: Record<string, Spec> = {
  // A card by id or title, or one from a family library group (`group:` with `pick:`).
  play_card: {
    fields: {
      card: {type: "string"},
      chapter: {type: ["string", "integer"]},
      track: {type: ["string", "integer"]},
      seconds_in: {type: "number"},
      group: {type: "string"},
      pick: {enum: ["random", "first"]},
    },
    command: (o) =>
      o.group !== undefined
        ? {command: "play_group", group: o.group, pick: o.pick}
        : {command: "play_card", cardId: o.card, chapter: o.chapter, track: o.track, secondsIn: o.seconds_in},
  },
  pause: {fields: {}, command: () => ({command: "pause"})},
  resume: {fields: {}, command: () => ({command: "resume"})},
  stop: {fields: {}, command: () => ({command: "stop"})},
  next: {fields: {}, command: () => ({command: "next"})},
  previous: {fields: {}, command: () => ({command: "previous"})},
  volume: {
    fields: {percent: {type: ["number", "string"]}, level: {type: ["integer", "string"]}},
    command: (o) => ({
      command: "volume",
      percent: o.level !== undefined ? (VOLUME_PERCENTS[Number(o.level)] ?? Number.NaN) : Number(o.percent),
    }),
  },
  sleep_timer: {
    fields: {minutes: {type: ["number", "string"]}, seconds: {type: ["number", "string"]}},
    command: (o) => ({command: "sleep", seconds: o.seconds !== undefined ? Number(o.seconds) : Number(o.minutes) * 60}),
  },
  ambient: {
    fields: {color: {type: "string"}},
    required: ["color"],
    command: (o) => ({command: "ambient", color: o.color}),
  },
  show_icon: {
    fields: {uri: {type: "string"}, seconds: {type: "number"}},
    required: ["uri"],
    command: (o) => ({command: "show_icon", uri: o.uri, seconds: o.seconds}),
  },
  sleep_at_track_end: {fields: {}, command: () => ({command: "sleep_end_of_track"})},
  restart: {fields: {}, command: () => ({command: "reboot"})},
  // Device settings, written through the player's config; `alarm` + `alarm_on` switch one alarm.
  settings: {
    fields: {
      day_colour: {type: "string"},
      night_colour: {type: "string"},
      day_max_volume: {type: ["integer", "string"]},
      night_max_volume: {type: ["integer", "string"]},
      day_brightness: {type: ["integer", "string"]},
      night_brightness: {type: ["integer", "string"]},
      day_time: {type: "string"},
      night_time: {type: "string"},
      bluetooth: {type: ["boolean", "string"]},
      headphones_volume_limited: {type: ["boolean", "string"]},
      alarm: {type: ["integer", "string"]},
      alarm_on: {type: ["boolean", "string"]},
    },
    command: ({player: _, alarm, alarm_on, ...settings}) => ({
      command: "settings",
      ...settings,
      ...(alarm !== undefined ? {[`alarm_${alarm}`]: alarm_on ?? true} : {}),
    }),
  },
};

export const playerActions: ActionPlugin[] = Object.entries(SPECS).map(([verb, spec]) => ({
  kind: "action",
  type: `player.${verb}`,
  description: `Player: ${verb.replace("_", " ")}`,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", ...(spec.required ?? [])],
    properties: {player: {type: "string", minLength: 1}, ...spec.fields},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    if (verb === "play_card") checkPlayCard(options, (message) => ctx.fail(message));
    if (verb === "volume" && (options.percent === undefined) === (options.level === undefined))
      ctx.fail("give either 'percent' (0–100) or 'level' (0–16)");
    if (verb === "sleep_timer" && (options.minutes === undefined) === (options.seconds === undefined))
      ctx.fail("give either 'minutes' or 'seconds' (0 cancels the timer)");
    const read = option(options);
    return async (run: RunContext) => {
      const o = read(run);
      const raw = spec.command(o) as Record<string, unknown>;
      const command: PlayerCommand = parseCommand(
        Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
      );
      if (run.dryRun) {
        run.record(`player.${verb} '${o.player}' ${JSON.stringify(command)}`);
        return;
      }
      const players = run.services.players;
      if (!players) throw new Error("players are not available here");
      await players.command(String(o.player), command, byRule(run));
    };
  },
}));

/** A card or a group, not both; a group's card starts at its beginning, and `pick` goes with a group. */
function checkPlayCard(o: Record<string, unknown>, fail: (message: string) => void): void {
  if ((o.card === undefined) === (o.group === undefined))
    fail(
      "give either 'card' (a card's id or title) or 'group' (a family library group's name, with pick: random or first)",
    );
  if (o.group !== undefined && ["chapter", "track", "seconds_in"].some((k) => o[k] !== undefined))
    fail("'chapter', 'track' and 'seconds_in' go with 'card': a card picked from a group starts at its beginning");
  if (o.pick !== undefined && o.group === undefined) fail("'pick' goes with 'group' (which of its cards to play)");
}
