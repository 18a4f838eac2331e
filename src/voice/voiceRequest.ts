import {cutText as cut} from "../core/cleanTitle.js";
import {badRequest} from "../core/errors.js";
import {ownEntry} from "../core/ownKeys.js";
import type {VoiceTrigger} from "../shared/api/voice.js";
import {MAX_NAMES} from "./familySentences.js";
import {german} from "./languages/de.js";
import {english} from "./languages/en.js";
import {VOICE_TRIGGERS, type VoiceLanguage} from "./languages/language.js";
import {MAX_HEARD} from "./spokenText.js";

/** Every language the service answers in, by code: a third is one more file and one more line. */
export const VOICE_LANGUAGES: Readonly<Record<string, VoiceLanguage>> = {en: english, de: german};

/**
 * An assistant asking through the MCP server (docs/assistants.md), never read from a request's body:
 * its name goes in the journal, and `children` (empty: every child) are the only ones it may act
 * for or ask about.
 */
export interface VoiceAssistant {
  name: string;
  children: readonly string[];
}

/** A voice request, checked: what HA heard and where, in the words of its trigger. */
export interface VoiceAsked {
  trigger: VoiceTrigger;
  sentence: string;
  /**
   * The slots are what was meant, whole (an assistant's tool call): `what` is the title and `who`
   * the name, never looked into again for a name in the sentence (it is only said in the log).
   */
  structured: boolean;
  slots: {what?: string; who?: string; level?: string};
  deviceId?: string;
  area?: string;
  devices: string[];
  /** Home Assistant's areas with the names of the devices in each: "in the kids' room" finds the Yoto there. */
  rooms: Array<{area: string; devices: string[]; players?: string[]}>;
  lang: VoiceLanguage;
  /** Asked by an assistant rather than said at a satellite: set by the MCP server alone. */
  assistant?: VoiceAssistant;
}

const MAX_SENTENCE = 2000;
/** As many devices as an area may hold, and areas as a house has: past them, the rest are left out. */
const MAX_DEVICES = 200;
const MAX_ROOMS = MAX_NAMES.areas;
const KNOWN = new Set<string>(VOICE_TRIGGERS);

/**
 * The body of `POST /api/voice` and `<base>/bridge/request/voice`, as the voice blueprint sends
 * Home Assistant's trigger data. Only a missing or unknown `trigger` is refused (with what to send);
 * everything a speech-to-text engine heard is taken as text, cut to a length worth reading.
 */
export function readVoiceRequest(body: Record<string, unknown>): VoiceAsked {
  const trigger = body.trigger;
  if (typeof trigger !== "string" || trigger.trim() === "")
    throw badRequest(
      `A voice request needs its 'trigger': the id of the sentence trigger that heard it, one of ${VOICE_TRIGGERS.join(", ")} (the voice blueprint sends it)`,
      "bad_voice_request",
    );
  if (!KNOWN.has(trigger.trim()))
    throw badRequest(
      `I don't know the voice trigger '${trigger.trim().slice(0, 40)}': the triggers are ${VOICE_TRIGGERS.join(", ")}; give your own sentences to one of them`,
      "unknown_voice_trigger",
    );
  const language = languageCode(body.language);
  return {
    trigger: trigger.trim() as VoiceTrigger,
    sentence: text(body.sentence, MAX_SENTENCE),
    structured: body.structured === true,
    slots: slotsOf(body.slots),
    ...(text(body.device_id, 100) ? {deviceId: text(body.device_id, 100)} : {}),
    ...(text(body.area, 100) ? {area: text(body.area, 100)} : {}),
    devices: namesOf(body.devices),
    rooms: roomsOf(body.rooms),
    lang: ownEntry(VOICE_LANGUAGES, language) ?? english,
  };
}

/** Device names, as many as an area holds: strings (or numbers), the rest left out. */
function namesOf(raw: unknown): string[] {
  return Array.isArray(raw)
    ? raw
        .slice(0, MAX_DEVICES)
        .map((d) => text(d, 100))
        .filter(Boolean)
    : [];
}

/**
 * `[[area, [device, …], [media player, …]], …]` as the blueprint sends it (or `{area, devices,
 * players}` objects); anything else is left out. The media players are the names of what plays in
 * the area; a blueprint before them sends two items, and the area's players are then not known.
 */
function roomsOf(raw: unknown): VoiceAsked["rooms"] {
  if (!Array.isArray(raw)) return [];
  const rooms: VoiceAsked["rooms"] = [];
  for (const entry of raw.slice(0, MAX_ROOMS)) {
    const [area, devices, players] = Array.isArray(entry)
      ? entry
      : typeof entry === "object" && entry !== null
        ? (["area", "devices", "players"] as const).map((k) => ownEntry(entry as Record<string, unknown>, k))
        : [];
    const name = text(area, 100);
    if (!name) continue;
    rooms.push({area: name, devices: namesOf(devices), ...(Array.isArray(players) ? {players: namesOf(players)} : {})});
  }
  return rooms;
}

/** `what` and `who` from HA's slots; HA sends a slot it did not hear as missing, or as null. */
function slotsOf(raw: unknown): VoiceAsked["slots"] {
  if (typeof raw === "string") {
    // A blueprint edited by hand may send the slots as the JSON text of them.
    try {
      return slotsOf(JSON.parse(raw));
    } catch {
      return {};
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const slots = raw as Record<string, unknown>;
  const what = text(ownEntry(slots, "what"), MAX_HEARD);
  const who = text(ownEntry(slots, "who"), MAX_HEARD);
  const level = text(ownEntry(slots, "level"), 40);
  return {...(what ? {what} : {}), ...(who ? {who} : {}), ...(level ? {level} : {})};
}

/** A string (or a number said as one), trimmed and cut; anything else is nothing. */
function text(value: unknown, max: number): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return "";
  // Control characters are no part of anything said.
  return cut(value.replace(/\p{Cc}+/gu, " ").trim(), max);
}

/** "de-DE", "de_CH", "DE" are German: the language part of a tag, as Home Assistant's pipelines name it. */
export function languageCode(raw: unknown): string {
  return text(raw, 16).toLowerCase().split(/[-_]/)[0] ?? "";
}
