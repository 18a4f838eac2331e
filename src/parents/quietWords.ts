import {wallClock} from "../core/time/zoned.js";

/** Why the plan holds a player, as the play gate knows it: the child's bedtime or day's listening, else quiet hours. */
export interface QuietReason {
  reason: "bedtime" | "budget" | "quiet";
  /** The child on the player, whose plan holds it (bedtime, budget). */
  child?: string;
}

/**
 * The one sentence a quiet player is refused with, wherever something asks it to play (a renderer's
 * Play, a URL played as a stream, an announcement left out, a 409): the actual reason, once, and
 * until when. "Mia is asleep: 'Bedroom Mini' is quiet until tomorrow 07:00", "Mia's listening for
 * today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00", "'Bedroom Mini' is in quiet
 * hours until 07:00".
 */
export function quietSentence(
  period: {player: string; until: number},
  now: number,
  timeZone: string,
  why: QuietReason = {reason: "quiet"},
): string {
  const until = untilText(period.until, now, timeZone);
  if (why.child && why.reason === "bedtime")
    return `${why.child} is asleep: '${period.player}' is quiet until ${until}`;
  if (why.child && why.reason === "budget")
    return `${why.child}'s listening for today is used up: '${period.player}' is quiet until ${until}`;
  return `'${period.player}' is in quiet hours until ${until}`;
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
