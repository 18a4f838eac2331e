import type {TriggerPlugin} from "../../types.js";
import {eventTrigger, playerKey} from "../helpers.js";

/**
 * Today's listening on a player rises past `above` minutes. Fed by the history's `history.changed`
 * (about once a minute while a player plays, and when a session closes). Home Assistant's
 * numeric_state rule: it fires when the value enters the range, once, not on every update inside
 * it. A new day starts again from zero, so the same budget fires again the next day.
 */
export const listeningTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "listening",
  description: "Today's listening on a player goes over a number of minutes",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["above"],
    properties: {player: {type: "string", minLength: 1}, above: {type: "number", minimum: 0}},
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const limit = (options.above as number) * 60;
    return eventTrigger("listening", playerKey(options.player as string | undefined), (e) => {
      const seconds = e.today_seconds as number;
      const before = e.previous_seconds as number | undefined;
      // Like Home Assistant, a total already over at its first report since the service started
      // only arms the trigger: without the report before it, a crossing cannot be told apart.
      if (before === undefined || !(before <= limit && seconds > limit)) return undefined;
      return {
        type: "listening",
        player: e.player,
        player_id: e.player_id,
        minutes: Math.round(seconds / 6) / 10,
        seconds,
      };
    });
  },
};
