import type {TriggerPlugin} from "../../types.js";
import {eventTrigger} from "../helpers.js";

/** A player enters a story scene. */
export const storyTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "story",
  description: "A story scene is entered",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {story: {type: "string"}, scene: {type: "string"}, player: {type: "string"}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const player = (options.player as string | undefined)?.toLowerCase();
    return eventTrigger("story", (options.story as string | undefined) ?? "*", (e) => {
      if (options.scene !== undefined && e.scene !== options.scene) return undefined;
      if (player && e.player_id !== options.player && String(e.player).toLowerCase() !== player) return undefined;
      return {...e, type: "story"};
    });
  },
};
