/**
 * Times as the family lives them: on the plan's clock (the service's time zone, which the API
 * names), written the way this browser writes times ("7:30 PM" or "19:30"). A browser in another
 * zone (a parent away, a laptop left on UTC) still sees bedtime as the family's 19:30. Without a
 * zone (not known yet) the browser's own is used.
 */

const DAY_MS = 86_400_000;
// Made once per zone and kind: each new Intl format costs Chromium a few milliseconds.
const formats = new Map<string, Intl.DateTimeFormat>();

function format(kind: "time" | "date" | "weekday" | "later", timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone ?? ""}`;
  let made = formats.get(key);
  if (!made) {
    const zone = timeZone ? {timeZone} : {};
    made =
      kind === "time"
        ? new Intl.DateTimeFormat(undefined, {timeStyle: "short", ...zone})
        : kind === "date"
          ? // en-CA writes dates as YYYY-MM-DD: a key to compare, never shown.
            new Intl.DateTimeFormat("en-CA", {year: "numeric", month: "2-digit", day: "2-digit", ...zone})
          : kind === "weekday"
            ? new Intl.DateTimeFormat(undefined, {weekday: "short", ...zone})
            : new Intl.DateTimeFormat(undefined, {month: "short", day: "numeric", ...zone});
    formats.set(key, made);
  }
  return made;
}

/** "7:30 PM" (or "19:30"): the moment on the family's clock. */
export function clockIn(iso: string, timeZone?: string): string {
  return format("time", timeZone).format(new Date(iso));
}

/** Days from `now`'s date to `at`'s on the family's calendar: 0 today, 1 tomorrow, -1 yesterday. */
export function daysFrom(at: number, now: number, timeZone?: string): number {
  const date = (t: number) => Date.parse(`${format("date", timeZone).format(t)}T00:00:00Z`);
  return Math.round((date(at) - date(now)) / DAY_MS);
}

/**
 * When something ends: "7:00 AM" later today, "tomorrow 7:00 AM", "Sat 7:00 AM" within the week,
 * "Dec 1, 7:00 AM" further. A bare "7:00 AM" in the evening read as this morning.
 */
export function untilLabel(iso: string, timeZone?: string, now = Date.now()): string {
  const at = Date.parse(iso);
  const clock = clockIn(iso, timeZone);
  const days = daysFrom(at, now, timeZone);
  if (days <= 0) return clock;
  if (days === 1) return `tomorrow ${clock}`;
  if (days < 7) return `${format("weekday", timeZone).format(at)} ${clock}`;
  return `${format("later", timeZone).format(at)}, ${clock}`;
}

/**
 * An evening by its date (YYYY-MM-DD), as this browser writes a date: "Monday, December 7". A
 * calendar date, not a moment: written as the date it is in any zone.
 */
export function eveningLabel(date: string): string {
  return eveningFormat.format(new Date(`${date}T12:00:00Z`));
}

const eveningFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  month: "long",
  day: "numeric",
  timeZone: "UTC",
});
