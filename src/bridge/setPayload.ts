import {badRequest} from "../core/errors.js";
import {ownEntry} from "../core/ownKeys.js";
import {type PlayerCommand, parseCommand} from "../yoto/commands.js";
import {type PlayerState, VOLUME_PERCENTS} from "../yoto/playerModel.js";
import {toSwitch} from "../yoto/settings.js";
import {nextColour, parseLightCommand} from "./lightPayload.js";

const STATES: Record<string, PlayerCommand> = {
  play: {command: "resume"},
  pause: {command: "pause"},
  stop: {command: "stop"},
  next: {command: "next"},
  previous: {command: "previous"},
};

/** What a setter may need besides the value: the player as it is now, the card picker's options. */
export interface SetContext {
  player?: PlayerState;
  /** The card id behind an option of the "Play a card" select. */
  cardForOption?(option: string): string | undefined;
}

type Setter = (value: unknown, ctx: SetContext) => PlayerCommand;

/** A device setting, written through the device config; validated by the settings parser. */
const setting =
  (key: string): Setter =>
  (v) =>
    parseCommand({command: "settings", [key]: v});

/** Day or night colour as a light: the colour it has now fills in what the command leaves out. */
const colourLight =
  (key: "day_colour" | "night_colour"): Setter =>
  (v, ctx) => {
    const current = key === "day_colour" ? ctx.player?.settings?.dayColour : ctx.player?.settings?.nightColour;
    return parseCommand({command: "settings", [key]: nextColour(current, parseLightCommand(key, v)) ?? "off"});
  };

// `<base>/<id>/set` properties, Zigbee2MQTT style: the keys the state JSON shows, set back.
const SETTERS: Record<string, Setter> = {
  state: (v) => {
    const command = typeof v === "string" ? ownEntry(STATES, v.toLowerCase()) : undefined;
    if (!command) throw wrong("state", "one of PLAY, PAUSE, STOP, NEXT, PREVIOUS", v);
    return command;
  },
  volume: (v) => {
    const level = toNumber(v);
    if (level === undefined || !Number.isInteger(level) || level < 0 || level > 16)
      throw wrong("volume", "a whole number from 0 to 16 (the player's steps)", v);
    return {command: "volume", percent: VOLUME_PERCENTS[level] as number};
  },
  volume_percent: (v) => parseCommand({command: "volume", percent: toNumber(v) ?? v}),
  sleep_timer: (v) => {
    const minutes = toNumber(v);
    if (minutes === undefined || minutes < 0 || minutes > 24 * 60)
      throw wrong("sleep_timer", "minutes from 0 to 1440 (0 cancels)", v);
    return {command: "sleep", seconds: Math.round(minutes * 60)};
  },
  card: (v) => {
    if (typeof v !== "object" || v === null) return parseCommand({command: "play_card", cardId: v});
    // The object holds play_card's fields: a `command` inside must not turn it into another command.
    if (Object.hasOwn(v, "command"))
      throw wrong("card", 'a card id, or {"cardId": …} with optional chapter, track and secondsIn', v);
    return parseCommand({...v, command: "play_card"});
  },
  ambient: (v) => parseCommand({command: "ambient", color: v}),
  seek: (v) => parseCommand({command: "seek", seconds: toNumber(v) ?? v}),
  // The light ring as it glows now (`ambients/set`): black turns it off.
  night_light: (v, ctx) =>
    parseCommand({
      command: "ambient",
      color: nextColour(ctx.player?.nightlight, parseLightCommand("night_light", v)) ?? "#000000",
    }),
  day_colour: colourLight("day_colour"),
  night_colour: colourLight("night_colour"),
  day_max_volume: setting("day_max_volume"),
  night_max_volume: setting("night_max_volume"),
  day_brightness: setting("day_brightness"),
  night_brightness: setting("night_brightness"),
  day_time: setting("day_time"),
  night_time: setting("night_time"),
  bluetooth: setting("bluetooth"),
  headphones_volume_limited: setting("headphones_volume_limited"),
  sleep_at_track_end: (v) => {
    const on = toSwitch(v);
    if (on === undefined) throw wrong("sleep_at_track_end", "ON or OFF", v);
    return on ? {command: "sleep_end_of_track"} : {command: "sleep", seconds: 0};
  },
  // "Play from a group": a card from that group (YotoPlayers.command picks it).
  card_group: (v) => {
    if (typeof v !== "string" || v.trim() === "")
      throw wrong("card_group", "the name of one of the family's card groups", v);
    return parseCommand({command: "play_group", group: v});
  },
  card_option: (v, ctx) => {
    const cardId = typeof v === "string" ? ctx.cardForOption?.(v) : undefined;
    if (!cardId) throw wrong("card_option", "one of the card names the Play a card list offers", v);
    return {command: "play_card", cardId};
  },
};

// `announce` is taken by the bridge before a payload reaches here (announceFeature.ts).
export const SET_KEYS = [...Object.keys(SETTERS), "alarm_<n>", "announce"];

/** A key's setter; `alarm_<n>` (an alarm's on/off switch) stands for every alarm the player has. */
function setterFor(key: string): Setter | undefined {
  return /^alarm_\d{1,2}$/.test(key) ? setting(key) : ownEntry(SETTERS, key);
}

/**
 * A `set` message → the commands it asks for. `{"command": …}` is a command as the HTTP API takes
 * it; anything else is a property patch (`{"volume": 8}`); `set/<attr>` carries one plain value.
 */
export function parseSet(
  payload: Buffer,
  attribute?: string,
  ctx: SetContext = {},
): {commands: PlayerCommand[]; transaction?: unknown} {
  const text = payload.toString("utf8").trim();
  if (attribute !== undefined) {
    const setter = setterFor(attribute);
    if (!setter) throw unknownKey(attribute);
    return {commands: [setter(parseValue(text), ctx)]};
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest(`The set payload is not JSON: send e.g. {"volume": 8} or {"command": "pause"}`, "invalid_payload");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest(`The set payload must be a JSON object, e.g. {"volume": 8}`, "invalid_payload");
  const {transaction, ...rest} = body as Record<string, unknown>;
  if (Object.hasOwn(rest, "command")) return {commands: [parseCommand(rest)], transaction};
  const keys = Object.keys(rest);
  if (keys.length === 0) throw badRequest(`The set payload is empty: send e.g. {"volume": 8}`, "invalid_payload");
  const unknown = keys.find((k) => !setterFor(k));
  if (unknown !== undefined) throw unknownKey(unknown);
  // Validate everything before sending anything: a patch with one bad field changes nothing.
  return {commands: keys.map((k) => (setterFor(k) as Setter)(rest[k], ctx)), transaction};
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toNumber(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function wrong(key: string, expected: string, got: unknown) {
  return badRequest(`'${key}' must be ${expected} (got ${JSON.stringify(got)})`, "invalid_payload");
}

function unknownKey(key: string) {
  return badRequest(`Cannot set '${key}': settable keys are ${SET_KEYS.join(", ")}`, "invalid_payload");
}
