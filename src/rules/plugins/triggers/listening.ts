import type {TriggerPlugin} from "../../types.js";
import {playerKey} from "../helpers.js";

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
    const player = options.player as string | undefined;
    return {
      attach(host, fire) {
        // The last value seen per player id. Unknown at first: like Home Assistant, a value that is
        // already over when the rules load only arms the trigger (reloading a file must not
        // announce the budget again); the next day fires as usual.
        const last = new Map<string, number>();
        return host.subscribe("listening", playerKey(player), (e) => {
          const id = e.player_id as string;
          const seconds = e.today_seconds as number;
          const before = last.get(id);
          last.set(id, seconds);
          if (before === undefined || !(before <= limit && seconds > limit)) return;
          fire({
            type: "listening",
            player: e.player,
            player_id: id,
            minutes: Math.round(seconds / 6) / 10,
            seconds,
          });
        });
      },
    };
  },
};
