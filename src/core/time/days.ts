import {wallClock, zonedInstant} from "./zoned.js";

/** `YYYY-MM-DD`, as the API takes and answers dates. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/**
 * The dates the API takes: from the epoch, to the last whose next day (the end of a range) still
 * has four digits in its year.
 */
export const FIRST_DATE = "1970-01-01";
export const LAST_DATE = "9998-12-31";

/**
 * Calendar days in one time zone: which date an instant falls on, when a date starts, and how a
 * stretch of time divides between dates. Days are not all 24 hours (the clocks change), so every
 * boundary comes from the zone, never from adding 86,400 s.
 */
export class Days {
  /** Each date's start, once worked out: a year's summary asks for 366 of them every time. */
  readonly #starts = new Map<string, number>();

  constructor(readonly timeZone: string) {}

  /** The date `epoch` falls on in this zone. */
  dateOf(epoch: number): string {
    const w = wallClock(epoch, this.timeZone);
    return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  }

  /** The instant `date` begins (its first moment, 00:00 or whenever the clocks allow). */
  startOf(date: string): number {
    const cached = this.#starts.get(date);
    if (cached !== undefined) return cached;
    const [year, month, day] = parts(date);
    const start = zonedInstant(year, month, day, 0, this.timeZone);
    if (this.#starts.size >= 4000) this.#starts.clear();
    this.#starts.set(date, start);
    return start;
  }

  /** Calendar arithmetic on dates, free of time zones. */
  static add(date: string, days: number): string {
    const [year, month, day] = parts(date);
    return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
  }

  /**
   * What is wrong with `text` as a date, or undefined: it must be written `YYYY-MM-DD`, be a real
   * day (not 2024-02-30), and fall in `FIRST_DATE`…`LAST_DATE`.
   */
  static problem(text: string): "format" | "no_such_day" | "out_of_range" | undefined {
    const m = DATE.exec(text);
    if (!m) return "format";
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return "no_such_day";
    if (text < FIRST_DATE || text > LAST_DATE) return "out_of_range";
    return undefined;
  }

  /**
   * The starts of `from` … `to` and of the day after `to`: `dates.length + 1` boundaries, so day
   * `i` is `[bounds[i], bounds[i + 1])`.
   */
  range(from: string, to: string): {dates: string[]; bounds: number[]} {
    const dates: string[] = [];
    for (let d = from; d <= to; d = Days.add(d, 1)) dates.push(d);
    const bounds = [...dates, Days.add(to, 1)].map((d) => this.startOf(d));
    return {dates, bounds};
  }
}

/**
 * Add each day's part of `[start, end)` in ms to `into[dayIndex]`, for the days `bounds` delimit
 * (see `Days.range`); parts outside them are left out. A session across midnight counts to both.
 */
export function addByDay(bounds: readonly number[], start: number, end: number, into: number[]): void {
  if (end <= start) return;
  // The first day whose end is after `start`: bounds are sorted, so a binary search.
  let low = 0;
  let high = bounds.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((bounds[mid + 1] ?? Number.POSITIVE_INFINITY) <= start) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < bounds.length - 1; i++) {
    const dayStart = bounds[i] as number;
    const dayEnd = bounds[i + 1] as number;
    if (dayStart >= end) break;
    const part = Math.min(end, dayEnd) - Math.max(start, dayStart);
    if (part > 0) into[i] = (into[i] ?? 0) + part;
  }
}

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new Error(`not a date: '${date}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
