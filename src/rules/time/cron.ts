import {offsetAt, type Wall, wallClock, wallOf} from "../../core/time/zoned.js";

/** A parsed cron expression: the allowed values of each field. */
export interface Cron {
  seconds: number[];
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day fields are restricted, either may match. */
  dayOr: boolean;
}

const FIELDS = [
  {name: "second", min: 0, max: 59},
  {name: "minute", min: 0, max: 59},
  {name: "hour", min: 0, max: 23},
  {name: "day of month", min: 1, max: 31},
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  {name: "day of week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]},
];

export class CronError extends Error {}

/** "m h dom mon dow", optionally with seconds first; names, ranges, lists and steps. */
export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6)
    throw new CronError(
      `'${expression}' has ${parts.length} fields; cron takes 5 (minute hour day month weekday) or 6 (with seconds first)`,
    );
  const fields = parts.length === 5 ? ["0", ...parts] : parts;
  const sets = fields.map((field, i) => parseField(field, FIELDS[i] as (typeof FIELDS)[number], expression));
  const weekdays = new Set([...(sets[5] as Set<number>)].map((d) => d % 7));
  return {
    seconds: [...(sets[0] as Set<number>)].sort((a, b) => a - b),
    minutes: sets[1] as Set<number>,
    hours: sets[2] as Set<number>,
    days: sets[3] as Set<number>,
    months: sets[4] as Set<number>,
    weekdays,
    dayOr: fields[3] !== "*" && fields[5] !== "*",
  };
}

function parseField(field: string, spec: (typeof FIELDS)[number], expression: string): Set<number> {
  const out = new Set<number>();
  const bad = (why: string) => new CronError(`'${expression}': the ${spec.name} field '${field}' ${why}`);
  for (const part of field.toLowerCase().split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad("has a step that is not a positive whole number");
    let [from, to] = [spec.min, spec.max];
    if (range !== "*") {
      const [a, b] = range.split("-").map((v) => value(v, spec));
      if (a === undefined || Number.isNaN(a) || (b !== undefined && Number.isNaN(b)))
        throw bad("is not a number, name, range or *");
      from = a;
      to = b ?? (stepText === undefined ? a : spec.max);
    }
    if (from < spec.min || to > spec.max || from > to) throw bad(`is out of range ${spec.min}-${spec.max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function value(text: string, spec: (typeof FIELDS)[number]): number {
  const named = spec.names?.indexOf(text) ?? -1;
  if (named >= 0) return named + (spec.name === "month" ? 1 : 0);
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

function dateMatches(cron: Cron, w: Wall): boolean {
  if (!cron.months.has(w.month)) return false;
  const dom = cron.days.has(w.day);
  const dow = cron.weekdays.has(w.weekday);
  return cron.dayOr ? dom || dow : dom && dow;
}

function minuteMatches(cron: Cron, w: Wall): boolean {
  return cron.minutes.has(w.minute) && cron.hours.has(w.hour) && dateMatches(cron, w);
}

/**
 * The next instant after `after` the expression matches in `timeZone`. DST-safe: a wall minute the
 * clocks skip fires at the jump, and a wall minute that happens twice fires only the first time.
 */
export function nextCron(cron: Cron, after: number, timeZone: string, horizonDays = 366): number | undefined {
  let t = Math.floor(after / 60_000) * 60_000;
  const end = after + horizonDays * 86_400_000;
  while (t <= end) {
    const w = wallClock(t, timeZone);
    const jumped = skippedMinutes(wallClock(t - 60_000, timeZone), w);
    if (jumped.length === 0) {
      // Skip ahead where nothing can match: the rest of a day, or of an hour. One hour is kept in
      // hand so a clock change that night cannot make the skip overshoot.
      if (!dateMatches(cron, w)) {
        const rest = ((23 - w.hour) * 60 + (60 - w.minute)) * 60_000;
        t += Math.max(60_000, rest - 3_600_000);
        continue;
      }
      if (!cron.hours.has(w.hour)) {
        t += (60 - w.minute) * 60_000;
        continue;
      }
    }
    if (!isRepeat(t, w, timeZone)) {
      if (minuteMatches(cron, w)) {
        for (const s of cron.seconds) if (t + s * 1000 > after) return t + s * 1000;
      } else if (t > after && jumped.some((m) => minuteMatches(cron, m))) return t;
    }
    t += 60_000;
  }
  return undefined;
}

/** Wall minutes strictly between two consecutive readings one real minute apart (the spring-forward gap). */
function skippedMinutes(a: Wall, b: Wall): Wall[] {
  const toMinutes = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) / 60_000;
  const gap = toMinutes(b) - toMinutes(a);
  if (gap <= 1 || gap > 180) return [];
  return Array.from({length: gap - 1}, (_, i) => wallOf((toMinutes(a) + i + 1) * 60_000));
}

/** Whether this wall minute already happened earlier (the hour repeated when the clocks go back). */
function isRepeat(t: number, w: Wall, timeZone: string): boolean {
  const back = offsetAt(t - 3 * 3_600_000, timeZone) - offsetAt(t, timeZone);
  if (back <= 0) return false;
  const earlier = wallClock(t - back, timeZone);
  return earlier.hour === w.hour && earlier.minute === w.minute && earlier.day === w.day;
}
