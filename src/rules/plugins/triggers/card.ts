import type {PlayerState} from "../../../yoto/playerModel.js";
import type {TriggerPlugin} from "../../types.js";
import {eventTrigger, samePlayer} from "../helpers.js";

/** A card put into (or taken out of) a player; optionally one card, one player. */
export const cardTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "card",
  description: "A card is inserted or removed",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {event: {enum: ["inserted", "removed"]}, card: {type: "string"}, player: {type: "string"}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const wanted = (options.event as string | undefined) ?? "inserted";
    return eventTrigger("card", (options.card as string | undefined) ?? "*", (e) => {
      const player = e.player as PlayerState;
      if (e.event !== wanted || !samePlayer(player, options.player as string | undefined)) return undefined;
      return {type: "card", event: wanted, card_id: e.card_id, player: player.name, player_id: player.id};
    });
  },
};
