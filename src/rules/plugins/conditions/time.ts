import {parseTimeOfDay, wallClock} from "../../../core/time/zoned.js";
import type {ConditionPlugin} from "../../types.js";

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** `after`/`before` (a window may cross midnight: after 19:00, before 07:00) and `weekday`. */
export const timeCondition: ConditionPlugin = {
  kind: "condition",
  type: "time",
  description: "The time of day and day of the week",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      after: {type: "string"},
      before: {type: "string"},
      weekday: {anyOf: [{enum: WEEKDAYS}, {type: "array", items: {enum: WEEKDAYS}}]},
    },
  },
  compile(options, ctx) {
    if (options.after === undefined && options.before === undefined && options.weekday === undefined)
      ctx.fail("give after, before or weekday");
    const seconds = (key: "after" | "before") => {
      if (options[key] === undefined) return undefined;
      const value = parseTimeOfDay(options[key] as string);
      return value ?? ctx.fail(`'${options[key]}' is not a time of day: use HH:MM or HH:MM:SS`, [key]);
    };
    const after = seconds("after");
    const before = seconds("before");
    const days =
      options.weekday === undefined
        ? undefined
        : new Set([options.weekday].flat().map((d) => WEEKDAYS.indexOf(d as string)));
    return (run) => {
      const w = wallClock(run.now(), run.timeZone);
      const now = w.hour * 3600 + w.minute * 60 + w.second;
      let inWindow = true;
      if (after !== undefined && before !== undefined)
        inWindow = after <= before ? now >= after && now < before : now >= after || now < before;
      else if (after !== undefined) inWindow = now >= after;
      else if (before !== undefined) inWindow = now < before;
      // A window across midnight belongs to the day it started: Sunday 19:00–07:00 includes Monday 06:00.
      const day =
        after !== undefined && before !== undefined && after > before && now < before ? (w.weekday + 6) % 7 : w.weekday;
      return inWindow && (days === undefined || days.has(day));
    };
  },
};
