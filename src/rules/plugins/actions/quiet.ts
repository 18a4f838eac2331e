import {parseTimeOfDay} from "../../../core/time/zoned.js";
import {quietUntil, untilProblem} from "../../../parents/quietUntil.js";
import type {ActionPlugin} from "../../types.js";
import {option} from "../helpers.js";

/**
 * `player.quiet`: pause the player and set its day and night max volume to 0 until the next
 * `until` (in the rules' time zone), then put back the max volumes it had. The quiet hours service
 * keeps the pending restore in the state store, so it survives a restart and an offline player.
 */
export const quietAction: ActionPlugin = {
  kind: "action",
  type: "player.quiet",
  description: "Player: pause and set max volume 0 until a time, then restore it",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player", "until"],
    properties: {player: {type: "string", minLength: 1}, until: {type: "string", minLength: 1}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const until = options.until as string;
    if (!until.includes("{{") && parseTimeOfDay(until) === undefined) ctx.fail(untilProblem(until), ["until"]);
    const read = option(options);
    return async (run) => {
      const o = read(run);
      const clock = {timeZone: run.timeZone, now: run.now()};
      if (run.dryRun) {
        run.record(
          `player.quiet '${o.player}' until ${new Date(quietUntil(o.until, clock)).toISOString()}: pause, day and night max volume 0, then restore them`,
        );
        return;
      }
      const quiet = run.services.quietHours;
      if (!quiet) throw new Error("quiet hours are not available here");
      await quiet.beginUntil(String(o.player), o.until, clock);
    };
  },
};
