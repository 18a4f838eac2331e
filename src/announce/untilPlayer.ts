import type {EventBus} from "../core/events.js";
import type {PlayerState} from "../yoto/playerModel.js";

/**
 * Resolves true once `test` holds for the player (now, or after one of its changes), and false
 * after `ms` or when the player leaves the account. Listens only while it waits.
 */
export function untilPlayer(
  deps: {bus: EventBus; players: {get(idOrName: string): PlayerState}},
  playerId: string,
  test: (player: PlayerState) => boolean,
  ms: number,
): Promise<boolean> {
  if (test(deps.players.get(playerId))) return Promise.resolve(true);
  return new Promise((resolve) => {
    const owner = {};
    const done = (value: boolean) => {
      clearTimeout(timer);
      deps.bus.off(owner);
      resolve(value);
    };
    const timer = setTimeout(() => done(false), ms);
    deps.bus.on(owner, "player.changed", ({player}) => {
      if (player.id === playerId && test(player)) done(true);
    });
    deps.bus.on(owner, "player.removed", ({id}) => {
      if (id === playerId) done(false);
    });
  });
}
