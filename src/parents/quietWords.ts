import {wallClock} from "../core/time/zoned.js";

/**
 * The one sentence a player in quiet hours (set by hand or a rule, bedtime, the day's listening
 * used) is refused with, wherever something asks it to play: a renderer's Play, a URL played as a
 * stream, an announcement left out. "'Bedroom Mini' is quiet until tomorrow 07:00 (quiet hours,
 * bedtime or the day's listening used): nothing plays before then".
 */
export function quietSentence(period: {player: string; until: number}, now: number, timeZone: string): string {
  return `'${period.player}' is quiet until ${untilText(period.until, now, timeZone)} (quiet hours, bedtime or the day's listening used): nothing plays before then`;
}

/** "07:40", "tomorrow 07:40" or "Sat 7 07:40" in the family's zone: when a quiet period ends. */
export function untilText(until: number, now: number, timeZone: string): string {
  const end = wallClock(until, timeZone);
  const today = wallClock(now, timeZone);
  const time = `${pad(end.hour)}:${pad(end.minute)}`;
  const days = Math.round(
    (Date.UTC(end.year, end.month - 1, end.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000,
  );
  if (days === 0) return time;
  if (days === 1) return `tomorrow ${time}`;
  return `${WEEKDAYS[end.weekday]} ${end.day} ${time}`;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
