import type {ConditionPlugin} from "../../types.js";
import {oneOrMany} from "../helpers.js";

/**
 * The player is in a story (optionally a given one, at given scenes). `player` defaults to the
 * player the trigger is about.
 */
export const storyCondition: ConditionPlugin = {
  kind: "condition",
  type: "story",
  description: "A player is in a story, at a scene",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      player: {type: "string"},
      story: {type: "string"},
      scene: {anyOf: [{type: "string"}, {type: "array", items: {type: "string"}}]},
    },
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const scenes = oneOrMany(options.scene) as string[] | undefined;
    return (run) => {
      const t = run.trigger;
      const player = (options.player as string | undefined) ?? t.player_id ?? (t.player as {id?: string})?.id;
      if (typeof player !== "string") return false;
      const session = run.services.stories?.session(player);
      if (!session?.active) return false;
      if (options.story !== undefined && session.story !== options.story) return false;
      return scenes === undefined || scenes.includes(session.scene);
    };
  },
};
