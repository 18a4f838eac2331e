import type {ConditionPlugin} from "../../types.js";
import {option} from "../helpers.js";

const MINUTES = {type: "number", minimum: 0};

/**
 * Today's listening on a player, in minutes (an open session counted up to now), is over `above`
 * and/or under `below`. False when the history cannot tell (no history here, unknown player).
 */
export const listeningCondition: ConditionPlugin = {
  kind: "condition",
  type: "listening",
  description: "Minutes a player listened today",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player"],
    properties: {player: {type: "string", minLength: 1}, above: MINUTES, below: MINUTES},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const above = options.above as number | undefined;
    const below = options.below as number | undefined;
    if (above === undefined && below === undefined)
      ctx.fail("give 'above' or 'below' (minutes listened today), or both");
    if (above !== undefined && below !== undefined && above >= below)
      ctx.fail(`'above' (${above}) must be less than 'below' (${below}): no amount of listening is both`);
    const player = option(options.player as string);
    return (run) => {
      let seconds: number | undefined;
      try {
        seconds = run.services.history?.todaySeconds(String(player(run)));
      } catch {
        return false;
      }
      if (seconds === undefined) return false;
      const minutes = seconds / 60;
      return (above === undefined || minutes > above) && (below === undefined || minutes < below);
    };
  },
};
