import {errorMessage} from "../../../core/errors.js";
import {WIND_DOWN_LEVEL} from "../../../parents/playerVolumes.js";
import type {QuietCommand} from "../../../yoto/admission.js";
import {capabilitiesOf} from "../../../yoto/capabilities.js";
import {type PlayerState, VOLUME_PERCENTS, VOLUME_STEPS} from "../../../yoto/playerModel.js";
import type {ActionPlugin, RuleServices, RunContext} from "../../types.js";
import {option} from "../helpers.js";

/** The night light at the end: a dim amber, warm and low enough not to keep a child awake. */
export const WIND_DOWN_LIGHT = "#3c1800";
const MAX_MINUTES = 240;
/**
 * A stream has no end of track to sleep at, so it sleeps this long after the wind-down: story radio
 * stops at bedtime by itself once the item under way ends, and an item of the evening is at most
 * this long; a station stops then.
 */
export const STREAM_SLEEP_SECONDS = 10 * 60;
const COLOUR = /^#?[0-9a-fA-F]{6}$/;

interface Plan {
  player: string;
  minutes: number;
  level: number;
  light: string | undefined;
}

/**
 * `player.wind_down`: lower the volume one hardware step at a time, evenly over `minutes`, down to
 * `volume`; then sleep at the end of the track and dim the night light. The waits are the run's
 * own (`run.sleep`), so `mode: restart` or disabling the rule cancels it like a `delay`.
 */
export const windDownAction: ActionPlugin = {
  kind: "action",
  type: "player.wind_down",
  description: "Player: lower the volume step by step, then sleep at the end of the track and dim the light",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", "minutes"],
    properties: {
      player: {type: "string", minLength: 1},
      minutes: {type: ["number", "string"]},
      volume: {type: ["integer", "string"]},
      night_light: {type: ["string", "boolean"]},
    },
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    // Checked now when written out; a `{{ }}` value is checked the same way when the run reads it.
    for (const key of ["minutes", "volume", "night_light"] as const) {
      const value = options[key];
      if (value === undefined || (typeof value === "string" && value.includes("{{"))) continue;
      const problem = PROBLEMS[key](value);
      if (problem) ctx.fail(problem, [key]);
    }
    const read = option(options);
    return async (run) => {
      const plan = readPlan(read(run));
      if (run.dryRun) {
        run.record(
          `player.wind_down '${plan.player}' to volume ${plan.level} over ${plan.minutes} min, then sleep at the end of the track${plan.light ? ` and night light ${plan.light}` : ""}`,
        );
        return;
      }
      const players = run.services.players;
      if (!players) throw new Error("players are not available here");
      await windDown(run, players, plan);
    };
  },
};

type Players = NonNullable<RuleServices["players"]>;

async function windDown(run: RunContext, players: Players, plan: Plan): Promise<void> {
  const start = players.get(plan.player);
  const name = start.name;
  if (!start.online) throw new Error(`'${name}' is offline, so the wind-down cannot lower its volume`);
  const from = start.volume.level;
  if (from === undefined)
    throw new Error(`'${name}' has not reported its volume yet, so the wind-down cannot lower it: try again shortly`);
  const log = run.services.log;
  const totalMs = plan.minutes * 60_000;
  const began = run.now();
  const steps = Math.max(0, from - plan.level);
  log.info(
    steps > 0
      ? `Wind-down on '${name}': volume ${from} → ${plan.level} over ${plan.minutes} min (rule '${run.ruleId}')`
      : `Wind-down on '${name}': the volume is already at ${from}, at or below ${plan.level}; sleep and light in ${plan.minutes} min (rule '${run.ruleId}')`,
  );
  // The level this run set last. A higher reading means a hand turned the volume up: that wins,
  // and the ramp stops lowering (the end of the wind-down still comes at its time).
  let expected = from;
  // Each step is placed from the start, so slow acknowledgements do not stretch the wind-down.
  const until = (at: number) => (at > run.now() ? run.sleep(at - run.now()) : Promise.resolve());
  for (let step = 1; step <= steps; step++) {
    await until(began + (totalMs * step) / steps);
    if (run.signal.aborted) throw new Error("the wind-down was cancelled");
    const level = players.get(start.id).volume.level ?? expected;
    if (level > expected) {
      log.info(
        `Wind-down on '${name}': the volume was turned up to ${level} by hand, so it is left there (rule '${run.ruleId}')`,
      );
      break;
    }
    const next = from - step;
    // Turned down by hand further than the ramp has got: nothing to lower this time.
    expected = Math.min(level, next);
    if (level <= next) continue;
    await send(
      players,
      start,
      {command: "volume", percent: VOLUME_PERCENTS[next] as number},
      `lowering the volume to ${next}`,
    );
  }
  await until(began + totalMs);
  if (run.signal.aborted) throw new Error("the wind-down was cancelled");
  const end = players.get(start.id);
  if (!end.online) throw new Error(`'${name}' went offline during the wind-down, so it could not be put to sleep`);
  if (end.playback.status === "playing" && !((end.playback.trackLength ?? 0) > 0)) {
    // A stream (story radio, a station) has no track end: the player sleeps by time instead.
    await send(players, start, {command: "sleep", seconds: STREAM_SLEEP_SECONDS}, "setting the sleep timer");
    log.info(
      `Wind-down on '${name}': it plays a stream, which has no track end, so it sleeps in ${STREAM_SLEEP_SECONDS / 60} min (rule '${run.ruleId}')`,
    );
  } else if (end.playback.status === "playing")
    await send(players, start, {command: "sleep_end_of_track"}, "sleeping at the end of the track");
  else log.info(`Wind-down on '${name}': nothing is playing, so there is no track end to sleep at`);
  if (plan.light && capabilitiesOf(end.family).lightRing)
    await send(players, start, {command: "ambient", color: plan.light}, "dimming the night light");
  else if (plan.light)
    log.info(`Wind-down on '${name}': ${capabilitiesOf(end.family).label} has no night light to dim`);
}

async function send(players: Players, player: PlayerState, command: QuietCommand, doing: string): Promise<void> {
  try {
    await players.command(player.id, command);
  } catch (err) {
    throw new Error(`Wind-down on '${player.name}' stopped: ${doing} failed (${errorMessage(err)})`);
  }
}

/** A number written out in decimals: Number() alone would also take "0x10", "1e2" and "Infinity". */
const DECIMAL = /^\s*\d{1,6}(?:\.\d{1,6})?\s*$/;

function numeric(v: unknown): unknown {
  return typeof v === "string" ? (DECIMAL.test(v) ? Number(v) : Number.NaN) : v;
}

/** The value as the user wrote it (JSON would print YAML's .inf and .nan as null). */
function shown(v: unknown): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v);
}

const PROBLEMS: Record<"minutes" | "volume" | "night_light", (value: unknown) => string | undefined> = {
  minutes: (v) => {
    const n = numeric(v);
    return typeof n === "number" && n > 0 && n <= MAX_MINUTES
      ? undefined
      : `'minutes' must be a number of minutes above 0 and at most ${MAX_MINUTES} (got ${shown(v)})`;
  },
  volume: (v) => {
    const n = numeric(v);
    return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= VOLUME_STEPS
      ? undefined
      : `'volume' is the level to end at, a hardware step from 0 to ${VOLUME_STEPS} (got ${shown(v)})`;
  },
  night_light: (v) =>
    v === false || v === "false" || (typeof v === "string" && COLOUR.test(v))
      ? undefined
      : `'night_light' must be a colour like "${WIND_DOWN_LIGHT}", or false to leave the light as it is (got ${shown(v)})`,
};

/** The options as the run reads them, checked again (a `{{ }}` value is only known now). */
function readPlan(o: Record<string, unknown>): Plan {
  for (const key of ["minutes", "volume", "night_light"] as const) {
    const problem = o[key] === undefined ? undefined : PROBLEMS[key](o[key]);
    if (problem) throw new Error(problem);
  }
  const light = o.night_light ?? WIND_DOWN_LIGHT;
  return {
    player: String(o.player),
    minutes: Number(o.minutes),
    level: o.volume === undefined ? WIND_DOWN_LEVEL : Number(o.volume),
    light: light === false || light === "false" ? undefined : `#${String(light).replace(/^#/, "")}`,
  };
}
