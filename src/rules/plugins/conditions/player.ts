import type {PlayerState} from "../../../yoto/playerModel.js";
import type {ConditionPlugin} from "../../types.js";
import {matchesValue, oneOrMany, PLAYER_ATTRIBUTES} from "../helpers.js";

/** A player's attribute (default `playback`) equals one of `state`, or lies between `above`/`below`. */
export const playerCondition: ConditionPlugin = {
  kind: "condition",
  type: "player",
  description: "A player's state or attribute",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["player"],
    properties: {
      player: {type: "string"},
      attribute: {enum: Object.keys(PLAYER_ATTRIBUTES)},
      state: {},
      above: {type: "number"},
      below: {type: "number"},
    },
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const read = PLAYER_ATTRIBUTES[(options.attribute as string | undefined) ?? "playback"] as (
      p: PlayerState,
    ) => unknown;
    const states = oneOrMany(options.state);
    const above = options.above as number | undefined;
    const below = options.below as number | undefined;
    return (run) => {
      let player: PlayerState;
      try {
        player = run.services.players?.get(options.player as string) as PlayerState;
      } catch {
        return false;
      }
      if (!player) return false;
      const value = read(player);
      if (!matchesValue(value, states)) return false;
      if (above !== undefined && !(Number(value) > above)) return false;
      return below === undefined || Number(value) < below;
    };
  },
};
