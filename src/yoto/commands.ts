import {badRequest} from "../core/errors.js";
import {ownEntry} from "../core/ownKeys.js";
import type {CommandName, PlayerCommand} from "../shared/api/players.js";
import {parseSettingsPatch} from "./settings.js";

export type {CommandName, PlayerCommand};

type FieldSpec = {
  type: "string" | "number" | "key";
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** What a string must look like, in the words of the error message. */
  expected?: string;
};

// Each command's fields. "key" accepts a string or a number (chapter 8 or "08").
const FIELDS: Record<CommandName, Record<string, FieldSpec>> = {
  play_card: {
    // An id, or a title the player's catalogue turns into one (YotoPlayers.command).
    cardId: {
      type: "string",
      required: true,
      pattern: /^(?=.*\S)[^\p{Cc}]{1,100}$/u,
      expected: "a card id or a card's title (1 to 100 characters, no control characters)",
    },
    chapter: {type: "key"},
    track: {type: "key"},
    secondsIn: {type: "number", min: 0},
  },
  // A card from a family library group, picked by YotoPlayers.command (cardGroups.ts).
  play_group: {
    group: {
      type: "string",
      required: true,
      pattern: /^(?=.*\S)[^\p{Cc}]{1,100}$/u,
      expected: "a card group's name or id (1 to 100 characters)",
    },
    pick: {type: "string", pattern: /^(random|first)$/, expected: '"random" or "first"'},
  },
  play: {},
  pause: {},
  resume: {},
  stop: {},
  next: {},
  previous: {},
  reboot: {},
  seek: {seconds: {type: "number", required: true, min: 0}},
  volume: {percent: {type: "number", required: true, min: 0, max: 100}},
  sleep: {seconds: {type: "number", required: true, min: 0, max: 24 * 3600}},
  ambient: {
    color: {type: "string", required: true, pattern: /^#?[0-9a-fA-F]{6}$/, expected: 'a colour like "#ff8800"'},
  },
  show_icon: {
    uri: {
      type: "string",
      required: true,
      pattern: /^(https?:\/\/|yoto:#)/,
      expected: "an https:// icon URL or yoto:#<mediaId>",
    },
    seconds: {type: "number", min: 1, max: 600},
  },
  sleep_end_of_track: {},
  // Checked by parseSettingsPatch: its fields are the settings themselves.
  settings: {},
};

export const COMMAND_NAMES = Object.keys(FIELDS) as CommandName[];

/** Check an untrusted command object; the error names the field, what it must be, and what came. */
export function parseCommand(input: unknown): PlayerCommand {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw badRequest(`A command must be a JSON object like {"command": "volume", "percent": 40}`, "invalid_command");
  const body = input as Record<string, unknown>;
  const name = typeof body.command === "string" ? body.command : "";
  const fields = ownEntry(FIELDS, name);
  if (!fields)
    throw badRequest(
      `Unknown command ${JSON.stringify(body.command ?? null)}: use one of ${COMMAND_NAMES.join(", ")}`,
      "invalid_command",
    );
  if (name === "settings") {
    const {command: _, ...fields} = body;
    return {command: "settings", settings: parseSettingsPatch(fields)};
  }
  const out: Record<string, unknown> = {command: name};
  for (const key of Object.keys(body)) {
    if (key !== "command" && !Object.hasOwn(fields, key))
      throw badRequest(
        `'${name}' takes no '${key}'${Object.keys(fields).length ? ` (it takes ${Object.keys(fields).join(", ")})` : ""}`,
        "invalid_command",
      );
  }
  for (const [key, spec] of Object.entries(fields)) {
    const value = body[key];
    if (value === undefined) {
      if (spec.required) throw badRequest(`'${name}' needs '${key}' (${describe(spec)})`, "invalid_command");
      continue;
    }
    out[key] = check(name, key, value, spec);
  }
  return out as PlayerCommand;
}

function check(name: string, key: string, value: unknown, spec: FieldSpec): unknown {
  const wrong = () =>
    badRequest(`'${name}' ${key} must be ${describe(spec)} (got ${JSON.stringify(value)})`, "invalid_command");
  if (spec.type === "key") {
    if ((typeof value !== "string" && typeof value !== "number") || String(value).trim() === "") throw wrong();
    return String(value).trim();
  }
  if (spec.type === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) throw wrong();
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) throw wrong();
    return value;
  }
  if (typeof value !== "string" || (spec.pattern && !spec.pattern.test(value))) throw wrong();
  return value;
}

function describe(spec: FieldSpec): string {
  if (spec.type === "key") return 'a chapter or track key such as "01" or 1';
  if (spec.type === "number") {
    if (spec.min !== undefined && spec.max !== undefined) return `a number from ${spec.min} to ${spec.max}`;
    return spec.min !== undefined ? `a number of at least ${spec.min}` : "a number";
  }
  return spec.expected ?? "a string";
}

/**
 * The `response` keys a player may ack a topic with (reference §4.4, §10.8). Keys vary by firmware:
 * the topic itself (`status/request`), its resource (`volume`, `card`), or the name of the older
 * command topic it replaced (`card-play` for `card/start`, `set-volume`, `sleep`), all seen in real
 * traffic. Only these: the echoed body, not the key, is what proves an ack is ours.
 */
export function ackKeysFor(topic: string): Set<string> {
  const keys = new Set([topic, topic.split("/")[0] as string]);
  for (const extra of ownEntry(ACK_ALIASES, topic) ?? []) keys.add(extra);
  return keys;
}

// Older command names acks still carry. card-play, card-pause, set-volume, sleep and events were
// seen on real players; sleep-timer and sleepTimer are listed by another client; card-resume and
// card-stop follow the same rule (the retired `command/card-resume` and `command/card-stop`).
const ACK_ALIASES: Record<string, string[]> = {
  "card/start": ["card-play"],
  "card/pause": ["card-pause"],
  "card/resume": ["card-resume"],
  "card/stop": ["card-stop"],
  "volume/set": ["set-volume"],
  "sleep-timer/set": ["sleep-timer", "sleepTimer", "sleep"],
};

/** "#ff8800" → {r, g, b} as `ambients/set` takes it. */
export function colourToRgb(color: string): {r: number; g: number; b: number} {
  const hex = color.replace(/^#/, "");
  return {
    r: Number.parseInt(hex.slice(0, 2), 16),
    g: Number.parseInt(hex.slice(2, 4), 16),
    b: Number.parseInt(hex.slice(4, 6), 16),
  };
}
