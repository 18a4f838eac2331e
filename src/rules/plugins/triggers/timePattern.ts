import {nextCron, parseCron} from "../../time/cron.js";
import type {TriggerPlugin} from "../../types.js";

const UNITS = ["hours", "minutes", "seconds"] as const;
const RANGES = {hours: 23, minutes: 59, seconds: 59};

/** Home Assistant's `time_pattern`: `minutes: "/5"`, `hours: 7`, `seconds: "*"`. */
export const timePatternTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "time_pattern",
  description: "Every matching hour, minute or second",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(UNITS.map((u) => [u, {type: ["string", "integer"]}])),
  },
  compile(options, ctx) {
    const given = UNITS.filter((u) => options[u] !== undefined);
    if (given.length === 0) ctx.fail("give at least one of hours, minutes, seconds");
    // Units finer than the finest given default to 0, coarser ones to "any".
    const finest = UNITS.indexOf(given.at(-1) as (typeof UNITS)[number]);
    const field = (unit: (typeof UNITS)[number], i: number): string => {
      const value = options[unit];
      if (value === undefined) return i > finest ? "0" : "*";
      const text = String(value).trim();
      if (text === "*") return "*";
      const step = /^\/(\d+)$/.exec(text);
      if (step) return `*/${step[1]}`;
      if (/^\d+$/.test(text) && Number(text) <= RANGES[unit]) return text;
      return ctx.fail(`'${text}' is not a ${unit.slice(0, -1)} pattern: use a number, "*" or "/n"`, [unit]);
    };
    const cron = parseCron(`${field("seconds", 2)} ${field("minutes", 1)} ${field("hours", 0)} * * *`);
    return {
      attach: (host, fire) =>
        host.schedule(
          (after) => nextCron(cron, after, host.timeZone),
          (at) => fire({type: "time_pattern", at: new Date(at).toISOString()}),
        ),
      firesAt: (at, tz) => nextCron(cron, at - 1, tz) === at,
    };
  },
};
