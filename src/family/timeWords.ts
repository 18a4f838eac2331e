import {Days} from "../core/time/days.js";
import {wallClock} from "../core/time/zoned.js";

const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number) => String(n).padStart(2, "0");

/** "19:30": an instant on the family's wall clock, as the plan's own times are written. */
export function clockOf(t: number, timeZone: string): string {
  const w = wallClock(t, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * When something ends, as a family says it from `now`: "07:00" later today, "tomorrow 07:00",
 * "Saturday 08:00" within the week, else the date. A bare time for tomorrow morning read as this
 * morning, and an ISO instant in the journal was read by nobody.
 */
export function untilWords(t: number, now: number, timeZone: string): string {
  const days = new Days(timeZone);
  const [date, today] = [days.dateOf(t), days.dateOf(now)];
  const clock = clockOf(t, timeZone);
  if (date <= today) return clock;
  if (date === Days.add(today, 1)) return `tomorrow ${clock}`;
  if (date <= Days.add(today, 6)) return `${WEEKDAY_NAMES[wallClock(t, timeZone).weekday]} ${clock}`;
  return `${date} ${clock}`;
}
