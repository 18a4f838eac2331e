import type {PlayerState} from "../../../yoto/playerModel.js";
import type {TriggerPlugin} from "../../types.js";
import {eventTrigger, playerKey} from "../helpers.js";

/** The volume knob (or anything) changes a player's volume; `above`/`below` fire on crossing. */
export const volumeTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "volume",
  description: "A player's volume changes",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {player: {type: "string"}, above: {type: "number"}, below: {type: "number"}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const above = options.above as number | undefined;
    const below = options.below as number | undefined;
    const inRange = (v: number) => (above === undefined || v > above) && (below === undefined || v < below);
    return eventTrigger("volume", playerKey(options.player as string | undefined), (e) => {
      const from = e.from as number | undefined;
      const to = e.to as number;
      // Home Assistant's numeric_state rule: fire when the value enters the range, not while inside.
      if (!inRange(to) || (from !== undefined && inRange(from) && (above !== undefined || below !== undefined)))
        return undefined;
      const player = e.player as PlayerState;
      return {type: "volume", player: player.name, player_id: player.id, from, to, percent: player.volume.percent};
    });
  },
};
