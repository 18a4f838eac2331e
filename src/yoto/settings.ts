import {badRequest} from "../core/errors.js";
import {ownEntry} from "../core/ownKeys.js";
import type {Alarm, PlayerSettings, SettingsPatch} from "../shared/api/players.js";
import type {DeviceConfig} from "./rest.js";

export type {Alarm, PlayerSettings, SettingsPatch};

const HEX = /^(?:#|0x)?([0-9a-fA-F]{1,6})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "#rrggbb", "0xrrggbb" or "#0" → "#rrggbb", or null for black/off/unreadable. */
export function readColour(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const m = HEX.exec(value.trim());
  if (!m) return null;
  const n = Number.parseInt(m[1] as string, 16);
  return n === 0 ? null : `#${n.toString(16).padStart(6, "0")}`;
}

function readLevel(value: unknown, max: number): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

function readBrightness(value: unknown): number | "auto" | undefined {
  return value === "auto" ? "auto" : readLevel(value, 100);
}

/** The config's flags come as booleans or as "0"/"1" (and "true"/"false") depending on the key. */
function readFlag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  return value === "1" || value === "true" ? true : value === "0" || value === "false" ? false : undefined;
}

function readTime(value: unknown): string | undefined {
  return typeof value === "string" && TIME.test(value) ? value : undefined;
}

/** `"<7-char days>,<HH:MM>,<sound>,,,<volume>,<enabled 0/1>"`; unreadable entries keep their index. */
function readAlarm(value: unknown, index: number): Alarm | undefined {
  if (typeof value !== "string") return undefined;
  const parts = value.split(",");
  const days = parts[0] ?? "";
  const time = parts[1] ?? "";
  if (!/^[01]{7}$/.test(days) || !TIME.test(time)) return undefined;
  return {index, days, time, enabled: parts[6] === "1"};
}

export function readSettings(config: DeviceConfig): PlayerSettings {
  const alarms = Array.isArray(config.alarms) ? config.alarms : [];
  const settings: PlayerSettings = {
    alarms: alarms.flatMap((a, i) => readAlarm(a, i) ?? []),
  };
  const put = <K extends keyof PlayerSettings>(key: K, value: PlayerSettings[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  if (config.ambientColour !== undefined) settings.dayColour = readColour(config.ambientColour);
  if (config.nightAmbientColour !== undefined) settings.nightColour = readColour(config.nightAmbientColour);
  put("dayMaxVolume", readLevel(config.maxVolumeLimit, 16));
  put("nightMaxVolume", readLevel(config.nightMaxVolumeLimit, 16));
  put("dayBrightness", readBrightness(config.dayDisplayBrightness));
  put("nightBrightness", readBrightness(config.nightDisplayBrightness));
  put("dayTime", readTime(config.dayTime));
  put("nightTime", readTime(config.nightTime));
  put("bluetooth", readFlag(config.bluetoothEnabled));
  put("headphonesLimited", readFlag(config.headphonesVolumeLimited));
  return settings;
}

/** The config keys a patch writes, given the config as it is now (alarms are rewritten whole). */
export function configChanges(patch: SettingsPatch, current: DeviceConfig): DeviceConfig {
  const out: DeviceConfig = {};
  if (patch.dayColour !== undefined) out.ambientColour = patch.dayColour ?? "#0";
  if (patch.nightColour !== undefined) out.nightAmbientColour = patch.nightColour ?? "#0";
  if (patch.dayMaxVolume !== undefined) out.maxVolumeLimit = String(patch.dayMaxVolume);
  if (patch.nightMaxVolume !== undefined) out.nightMaxVolumeLimit = String(patch.nightMaxVolume);
  if (patch.dayBrightness !== undefined) out.dayDisplayBrightness = String(patch.dayBrightness);
  if (patch.nightBrightness !== undefined) out.nightDisplayBrightness = String(patch.nightBrightness);
  if (patch.dayTime !== undefined) out.dayTime = patch.dayTime;
  if (patch.nightTime !== undefined) out.nightTime = patch.nightTime;
  // Written as each key is kept: Bluetooth as "0"/"1", the headphone limit as a boolean (§2.2).
  if (patch.bluetooth !== undefined) out.bluetoothEnabled = patch.bluetooth ? "1" : "0";
  if (patch.headphonesLimited !== undefined) out.headphonesVolumeLimited = patch.headphonesLimited;
  if (patch.alarms) {
    const alarms = Array.isArray(current.alarms) ? [...current.alarms] : [];
    for (const [key, enabled] of Object.entries(patch.alarms)) {
      const index = Number(key);
      const entry = alarms[index];
      if (typeof entry !== "string" || !readAlarm(entry, index))
        throw badRequest(
          `The player has no alarm ${index + 1}${alarms.length ? ` (it has ${alarms.length})` : " (it has none: add alarms in the Yoto app)"}`,
          "not_found",
        );
      const parts = entry.split(",");
      while (parts.length < 7) parts.push("");
      parts[6] = enabled ? "1" : "0";
      alarms[index] = parts.join(",");
    }
    out.alarms = alarms;
  }
  return out;
}

type FieldReader = (value: unknown, key: string) => Partial<SettingsPatch>;

const colour =
  (field: "dayColour" | "nightColour"): FieldReader =>
  (v, key) => {
    if (v === "off" || v === null) return {[field]: null};
    const parsed =
      typeof v === "string" && /^#?[0-9a-fA-F]{6}$/.test(v) ? readColour(`#${v.replace("#", "")}`) : undefined;
    if (parsed === undefined) throw wrong(key, 'a colour like "#ff8800", or "off"', v);
    return {[field]: parsed};
  };

const level =
  (field: "dayMaxVolume" | "nightMaxVolume"): FieldReader =>
  (v, key) => {
    const n = readLevel(typeof v === "number" ? v : String(v), 16);
    if (n === undefined) throw wrong(key, "a whole number from 0 to 16 (0 silences the player)", v);
    return {[field]: n};
  };

const brightness =
  (field: "dayBrightness" | "nightBrightness"): FieldReader =>
  (v, key) => {
    const b =
      typeof v === "string" && v.toLowerCase() === "auto"
        ? "auto"
        : readLevel(typeof v === "number" ? v : String(v), 100);
    if (b === undefined) throw wrong(key, 'a whole number from 0 to 100, or "auto"', v);
    return {[field]: b};
  };

const time =
  (field: "dayTime" | "nightTime"): FieldReader =>
  (v, key) => {
    // Home Assistant's time entity sends "HH:MM:SS"; the player keeps minutes.
    const m = typeof v === "string" ? /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(v.trim()) : null;
    const hhmm = m ? `${(m[1] as string).padStart(2, "0")}:${m[2]}` : "";
    if (!TIME.test(hhmm)) throw wrong(key, 'a time like "07:00" (24-hour)', v);
    return {[field]: hhmm};
  };

const flag =
  (field: "bluetooth" | "headphonesLimited"): FieldReader =>
  (v, key) => {
    const on = toSwitch(v);
    if (on === undefined) throw wrong(key, "true or false (ON or OFF)", v);
    return {[field]: on};
  };

const FIELDS: Record<string, FieldReader> = {
  day_colour: colour("dayColour"),
  night_colour: colour("nightColour"),
  day_max_volume: level("dayMaxVolume"),
  night_max_volume: level("nightMaxVolume"),
  day_brightness: brightness("dayBrightness"),
  night_brightness: brightness("nightBrightness"),
  day_time: time("dayTime"),
  night_time: time("nightTime"),
  bluetooth: flag("bluetooth"),
  headphones_volume_limited: flag("headphonesLimited"),
};

export const SETTING_KEYS = [...Object.keys(FIELDS), "alarm_<n>"];

/**
 * Validate a settings patch in the API's words (`{"night_max_volume": 0, "alarm_1": false}`).
 * Everything is checked before anything is written: a patch with one bad field changes nothing.
 */
export function parseSettingsPatch(input: Record<string, unknown>): SettingsPatch {
  const patch: SettingsPatch = {};
  for (const [key, value] of Object.entries(input)) {
    const alarm = /^alarm_(\d{1,2})$/.exec(key);
    if (alarm) {
      const enabled = toSwitch(value);
      if (enabled === undefined) throw wrong(key, "true or false (ON or OFF)", value);
      patch.alarms = {...patch.alarms, [Number(alarm[1]) - 1]: enabled};
      continue;
    }
    const reader = ownEntry(FIELDS, key);
    if (!reader) throw badRequest(`Unknown setting '${key}': use ${SETTING_KEYS.join(", ")}`, "invalid_command");
    Object.assign(patch, reader(value, key));
  }
  if (Object.keys(patch).length === 0)
    throw badRequest(`Name a setting to change, e.g. {"night_max_volume": 8}`, "invalid_command");
  if (patch.alarms && Object.keys(patch.alarms).some((i) => Number(i) < 0))
    throw badRequest("Alarms are numbered from 1 (alarm_1 is the first)", "invalid_command");
  return patch;
}

export function toSwitch(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  const text = typeof value === "string" ? value.trim().toLowerCase() : "";
  return text === "on" || text === "true" ? true : text === "off" || text === "false" ? false : undefined;
}

function wrong(key: string, expected: string, got: unknown) {
  return badRequest(`'${key}' must be ${expected} (got ${JSON.stringify(got)})`, "invalid_command");
}
