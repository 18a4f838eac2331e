import {badRequest} from "../core/errors.js";
import {nextTimeOfDay, parseTimeOfDay} from "../core/time/zoned.js";

/** Where quiet hours' end is read: a time zone, and the instant it is read after (default now). */
export interface QuietClock {
  timeZone: string;
  now?: number;
}

/** What is wrong with `until` as quiet hours' end, in the words the API, rules and the panel show. */
export function untilProblem(value: unknown): string {
  return `'until' must be a time of day such as "07:00" (HH:MM or HH:MM:SS; got ${JSON.stringify(value ?? null)})`;
}

/**
 * The end of quiet hours that `until` names (`"07:00"`): its next instant after `clock.now` in
 * `clock.timeZone` (the rules' own zone, for the API and rules alike). A 400 saying the form otherwise.
 */
export function quietUntil(until: unknown, clock: QuietClock): number {
  const seconds = typeof until === "string" ? parseTimeOfDay(until) : undefined;
  if (seconds === undefined) throw badRequest(untilProblem(until), "bad_until");
  return nextTimeOfDay(seconds, clock.now ?? Date.now(), clock.timeZone);
}
