import {badRequest} from "../core/errors.js";
import {ownEntry} from "../core/ownKeys.js";
import {type PlayerCommand, parseCommand} from "../yoto/commands.js";
import {VOLUME_PERCENTS} from "../yoto/playerModel.js";

const STATES: Record<string, PlayerCommand> = {
  play: {command: "resume"},
  pause: {command: "pause"},
  stop: {command: "stop"},
  next: {command: "next"},
  previous: {command: "previous"},
};

type Setter = (value: unknown) => PlayerCommand;

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
};

export const SET_KEYS = Object.keys(SETTERS);

/**
 * A `set` message → the commands it asks for. `{"command": …}` is a command as the HTTP API takes
 * it; anything else is a property patch (`{"volume": 8}`); `set/<attr>` carries one plain value.
 */
export function parseSet(payload: Buffer, attribute?: string): {commands: PlayerCommand[]; transaction?: unknown} {
  const text = payload.toString("utf8").trim();
  if (attribute !== undefined) {
    const setter = ownEntry(SETTERS, attribute);
    if (!setter) throw unknownKey(attribute);
    return {commands: [setter(parseValue(text))]};
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
  const unknown = keys.find((k) => !ownEntry(SETTERS, k));
  if (unknown !== undefined) throw unknownKey(unknown);
  // Validate everything before sending anything: a patch with one bad field changes nothing.
  return {commands: keys.map((k) => (ownEntry(SETTERS, k) as Setter)(rest[k])), transaction};
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
