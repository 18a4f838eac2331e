import {nextTimeOfDay, parseTimeOfDay} from "../../../core/time/zoned.js";
import {CronError, nextCron, parseCron} from "../../time/cron.js";
import type {TriggerPlugin} from "../../types.js";

/** `at: "19:00"` (or a list), or `cron: "0 19 * * 1-5"`; in the configured time zone, DST-safe. */
export const timeTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "time",
  description: "At a time of day, or on a cron schedule",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {at: {type: ["string", "array"], items: {type: "string"}}, cron: {type: "string"}},
  },
  compile(options, ctx) {
    if ((options.at === undefined) === (options.cron === undefined))
      ctx.fail("give either 'at' (e.g. at: \"19:00\") or 'cron' (e.g. cron: \"0 19 * * 1-5\")");
    let next: (after: number, tz: string) => number | undefined;
    if (options.cron !== undefined) {
      try {
        const cron = parseCron(options.cron as string);
        next = (after, tz) => nextCron(cron, after, tz);
      } catch (err) {
        ctx.fail(`bad cron ${err instanceof CronError ? err.message : String(err)}`, ["cron"]);
      }
    } else {
      const list = (Array.isArray(options.at) ? options.at : [options.at]) as string[];
      const seconds = list.map((text, i) => {
        const value = parseTimeOfDay(text);
        if (value === undefined)
          return ctx.fail(
            `'${text}' is not a time of day: use HH:MM or HH:MM:SS`,
            Array.isArray(options.at) ? ["at", i] : ["at"],
          );
        return value;
      });
      next = (after, tz) => Math.min(...seconds.map((s) => nextTimeOfDay(s, after, tz)));
    }
    return {
      attach: (host, fire) =>
        host.schedule(
          (after) => next(after, host.timeZone),
          (at) => fire({type: "time", at: new Date(at).toISOString()}),
        ),
      firesAt: (at, tz) => next(at - 1, tz) === at,
    };
  },
};
