import type {TriggerPlugin} from "../../types.js";
import {eventTrigger, oneOrMany} from "../helpers.js";

/** A press on a player, as stories infer it: `left`, `right`, or `end` (the track ran out). */
export const buttonTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "button",
  description: "A button press (left, right) or a track end on a player",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      button: {anyOf: [{enum: ["left", "right", "end"]}, {type: "array", items: {enum: ["left", "right", "end"]}}]},
      player: {type: "string"},
      card: {type: "string"},
      story: {type: "string"},
    },
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const buttons = (oneOrMany(options.button) as string[] | undefined) ?? ["left", "right", "end"];
    const wantedPlayer = (options.player as string | undefined)?.toLowerCase();
    const key = buttons.length === 1 ? (buttons[0] as string) : "*";
    return eventTrigger("button", key, (e) => {
      if (!buttons.includes(e.button as string)) return undefined;
      if (wantedPlayer && e.player_id !== options.player && String(e.player).toLowerCase() !== wantedPlayer)
        return undefined;
      if (options.card !== undefined && e.card_id !== options.card) return undefined;
      if (options.story !== undefined && e.story !== options.story) return undefined;
      return {...e, type: "button"};
    });
  },
};
