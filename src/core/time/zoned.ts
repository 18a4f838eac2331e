import {readlinkSync} from "node:fs";

/**
 * Wall-clock time in a named time zone, without a date library: offsets come from Intl and are
 * cached per hour, so stepping through a day minute by minute stays cheap.
 */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/**
 * The zone this process runs in (TZ, as Home Assistant passes it, else the system's), by name. Read
 * from /etc/localtime rather than Intl when TZ is unset: Intl's first use maps about 7 MB of locale
 * data for good (bench/footprint.ts), and the rules of most homes run in the process's own zone.
 */
export function processTimeZone(): string {
  const tz = process.env.TZ;
  if (tz) return tz.startsWith(":") ? tz.slice(1) : tz;
  systemZone ??= systemZoneName();
  return systemZone;
}
let systemZone: string | undefined;

function systemZoneName(): string {
  try {
    const target = readlinkSync("/etc/localtime");
    const at = target.indexOf("zoneinfo/");
    if (at >= 0) return target.slice(at + "zoneinfo/".length);
  } catch {
    // Not a link (or not there): Intl knows.
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The zone's UTC offset in ms at `epoch` (exact to the minute; zones change on the hour or half hour). */
export function offsetAt(epoch: number, timeZone: string): number {
  // Cached per 15 minutes: every real transition falls on such a boundary.
  const bucket = Math.floor(epoch / 900_000);
  const key = `${timeZone}|${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const at = bucket * 900_000;
  // The process's own zone is what Date's local time already follows.
  const offset = timeZone === processTimeZone() ? -new Date(at).getTimezoneOffset() * 60_000 : intlOffset(at, timeZone);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

function intlOffset(at: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const asUtc = Date.UTC(
    parts.year as number,
    (parts.month as number) - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - at;
}

export function wallClock(epoch: number, timeZone: string): Wall {
  return wallOf(epoch + offsetAt(epoch, timeZone));
}

/** The fields of a "local" epoch (UTC getters on an already shifted time). */
export function wallOf(shifted: number): Wall {
  const d = new Date(shifted);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The instant a wall-clock time happens on a date. When the clocks go back it happens twice:
 * the first. When they go forward it does not happen: the instant the clocks jump past it, so a
 * rule set for 02:30 still runs that night, once.
 */
export function zonedInstant(year: number, month: number, day: number, seconds: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day) + seconds * 1000;
  const candidates = [offsetAt(naive - 43_200_000, timeZone), offsetAt(naive + 43_200_000, timeZone)]
    .map((offset) => naive - offset)
    .filter((t) => secondsOfDay(t, timeZone) === seconds && sameDate(t, year, month, day, timeZone))
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  // In the gap: search for the transition between the two readings.
  let low = naive - offsetAt(naive + 43_200_000, timeZone);
  let high = naive - offsetAt(naive - 43_200_000, timeZone);
  if (low > high) [low, high] = [high, low];
  while (high - low > 1000) {
    const mid = Math.floor((low + high) / 2 / 1000) * 1000;
    if (secondsOfDay(mid, timeZone) >= seconds && sameDate(mid, year, month, day, timeZone)) high = mid;
    else low = mid;
  }
  return high;
}

function secondsOfDay(epoch: number, timeZone: string): number {
  const w = wallClock(epoch, timeZone);
  return w.hour * 3600 + w.minute * 60 + w.second;
}

function sameDate(epoch: number, year: number, month: number, day: number, timeZone: string): boolean {
  const w = wallClock(epoch, timeZone);
  return w.year === year && w.month === month && w.day === day;
}

/** Parse "HH:MM" or "HH:MM:SS" into seconds of the day; undefined when it is not a time. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  return h < 24 && m < 60 && s < 60 ? h * 3600 + m * 60 + s : undefined;
}

/** The next instant after `after` at which the wall clock reads `seconds` of the day. */
export function nextTimeOfDay(seconds: number, after: number, timeZone: string): number {
  const today = wallClock(after, timeZone);
  for (let add = 0; add < 3; add++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + add));
    const at = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), seconds, timeZone);
    if (at > after) return at;
  }
  throw new Error("no next time of day within three days");
}
