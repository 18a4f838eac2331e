import type {PlayerState} from "../../../yoto/playerModel.js";
import type {TriggerPlugin} from "../../types.js";
import {DURATION_SCHEMA, durationMs, matchesValue, oneOrMany, PLAYER_ATTRIBUTES, playerKey} from "../helpers.js";

/**
 * Home Assistant's `state` trigger on a player: `attribute` (default `playback`) changing, with
 * optional `from`/`to` and `for` (it must stay that way that long).
 */
export const playerTrigger: TriggerPlugin = {
  kind: "trigger",
  type: "player",
  description: "A player's state or attribute changes",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      player: {type: "string"},
      attribute: {enum: Object.keys(PLAYER_ATTRIBUTES)},
      from: {},
      to: {},
      for: DURATION_SCHEMA,
    },
  },
  compile(options, ctx) {
    ctx.reference("player", options.player, ["player"]);
    const attribute = (options.attribute as string | undefined) ?? "playback";
    const read = PLAYER_ATTRIBUTES[attribute] as (p: PlayerState) => unknown;
    const from = oneOrMany(options.from);
    const to = oneOrMany(options.to);
    const holdMs = options.for === undefined ? 0 : durationMs(options.for);
    if (holdMs === undefined) ctx.fail(`'for' must be a duration such as "00:05:00", 300 or {minutes: 5}`, ["for"]);
    const accept = (event: Record<string, unknown>) => {
      const player = event.player as PlayerState;
      const previous = event.previous as PlayerState;
      const before = read(previous);
      const after = read(player);
      if (before === after || !matchesValue(before, from) || !matchesValue(after, to)) return undefined;
      return {
        type: "player",
        player: player.name,
        player_id: player.id,
        attribute,
        from_state: before,
        to_state: after,
      };
    };
    const key = playerKey(options.player as string | undefined);
    return {
      attach(host, fire) {
        if (!holdMs)
          return host.subscribe("player", key, (e) => {
            const data = accept(e);
            if (data) fire(data);
          });
        // `for`: fire only if the value holds; any other change of the attribute cancels the wait.
        const waiting = new Map<string, NodeJS.Timeout>();
        const off = host.subscribe("player", key, (e) => {
          const player = e.player as PlayerState;
          if (read(player) === read(e.previous as PlayerState)) return;
          clearTimeout(waiting.get(player.id));
          waiting.delete(player.id);
          const data = accept(e);
          if (data)
            waiting.set(
              player.id,
              setTimeout(() => {
                waiting.delete(player.id);
                fire({...data, for_seconds: (holdMs as number) / 1000});
              }, holdMs),
            );
        });
        return () => {
          off();
          for (const timer of waiting.values()) clearTimeout(timer);
        };
      },
    };
  },
};
