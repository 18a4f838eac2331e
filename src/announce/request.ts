import {badRequest} from "../core/errors.js";
import {IN_QUIET, type InQuiet} from "./inQuiet.js";

/** What to play: exactly one of the three. */
export type AnnounceSource =
  | {kind: "message"; text: string}
  | {kind: "media"; url: string}
  | {kind: "item"; ref: string};

/** One announcement as every surface (API, rules, MQTT, Home Assistant's notify) asks for it. */
export interface AnnounceRequest {
  source: AnnounceSource;
  /** Volume while announcing, percent 0–100; the player's own volume is put back afterwards. */
  volume?: number;
  /** Start what was playing again afterwards, where it was (default true). */
  resume: boolean;
  /** Leave a player that is playing alone (default false). */
  onlyIfIdle: boolean;
  /** A short chime before the audio. */
  chime: boolean;
  /** Text-to-speech language ("en-GB"), and engine (an HA `tts.*` entity, or piper/espeak-ng/flite). */
  language?: string;
  engine?: string;
  /** A player in quiet hours: announce through them, or leave it asleep (absent: the path's default). */
  inQuiet?: InQuiet;
}

export const MAX_MESSAGE_CHARS = 1000;
const KEYS = [
  "message",
  "media",
  "item",
  "volume",
  "resume",
  "only_if_idle",
  "chime",
  "language",
  "engine",
  "in_quiet",
  "players",
];
const LANGUAGE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;
const ENGINE = /^[a-z0-9_.-]{1,64}$/;

/**
 * Check an announcement from outside. Every mistake is a 400 that says what to send instead;
 * `players` is allowed (the multi-player API and rule action read it) but not interpreted here.
 */
export function parseAnnounceRequest(raw: unknown): AnnounceRequest {
  if (typeof raw === "string") raw = {message: raw};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw badRequest(
      'An announcement is an object such as {"message": "Dinner is ready"}, {"media": "https://…"} or {"item": "<library id>"}',
      "bad_announcement",
    );
  const body = raw as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0)
    throw badRequest(
      `Unknown announcement option(s) ${unknown.map((k) => `'${k}'`).join(", ")}: known are ${KEYS.join(", ")}`,
      "bad_announcement",
    );
  const given = (["message", "media", "item"] as const).filter((k) => Object.hasOwn(body, k));
  if (given.length !== 1)
    throw badRequest(
      given.length === 0
        ? "Say what to announce: 'message' (text to speak), 'media' (an http(s) URL) or 'item' (a library id or path)"
        : `Give one of 'message', 'media' and 'item', not ${given.map((k) => `'${k}'`).join(" and ")}`,
      "bad_announcement",
    );
  return {
    source: source(given[0] as "message" | "media" | "item", body[given[0] as string]),
    volume: optional(body, "volume", (v) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100)
        throw badRequest(
          `'volume' must be a number from 0 to 100 (percent), not ${JSON.stringify(v)}`,
          "bad_announcement",
        );
      return v;
    }),
    resume: optional(body, "resume", flag("resume")) ?? true,
    onlyIfIdle: optional(body, "only_if_idle", flag("only_if_idle")) ?? false,
    chime: optional(body, "chime", flag("chime")) ?? false,
    language: optional(body, "language", text("language", LANGUAGE, "a language tag such as 'en' or 'en-GB'")),
    engine: optional(
      body,
      "engine",
      text("engine", ENGINE, "a Home Assistant TTS entity such as 'tts.piper', or 'piper', 'espeak-ng' or 'flite'"),
    ),
    inQuiet: optional(body, "in_quiet", (v) => {
      if (!IN_QUIET.includes(v as InQuiet))
        throw badRequest(
          `'in_quiet' must be "play" (announce through quiet hours, then quiet again) or "skip" (leave a quiet player asleep), not ${JSON.stringify(v)}`,
          "bad_announcement",
        );
      return v as InQuiet;
    }),
  };
}

function source(kind: "message" | "media" | "item", value: unknown): AnnounceSource {
  if (typeof value !== "string" || value.trim() === "")
    throw badRequest(`'${kind}' must be a non-empty string`, "bad_announcement");
  if (kind === "message") {
    if (value.length > MAX_MESSAGE_CHARS)
      throw badRequest(
        `'message' is ${value.length} characters; at most ${MAX_MESSAGE_CHARS} are spoken (split it into several announcements)`,
        "bad_announcement",
      );
    // Control characters would reach the speech engine's command line or HA's template.
    return {kind, text: value.replace(/\p{Cc}+/gu, " ").trim()};
  }
  if (kind === "media") {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw badRequest(`'media' must be an http(s) URL, not '${value.slice(0, 100)}'`, "bad_announcement");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw badRequest(`'media' must be an http(s) URL; '${url.protocol}' is not fetched`, "bad_announcement");
    return {kind, url: url.href};
  }
  return {kind, ref: value};
}

function optional<T>(body: Record<string, unknown>, key: string, check: (v: unknown) => T): T | undefined {
  return Object.hasOwn(body, key) && body[key] !== undefined && body[key] !== null ? check(body[key]) : undefined;
}

function flag(key: string): (v: unknown) => boolean {
  return (v) => {
    if (typeof v !== "boolean")
      throw badRequest(`'${key}' must be true or false, not ${JSON.stringify(v)}`, "bad_announcement");
    return v;
  };
}

function text(key: string, pattern: RegExp, expected: string): (v: unknown) => string {
  return (v) => {
    if (typeof v !== "string" || !pattern.test(v))
      throw badRequest(`'${key}' must be ${expected}, not ${JSON.stringify(v)}`, "bad_announcement");
    return v;
  };
}
