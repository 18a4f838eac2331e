import type {EventBus} from "../core/events.js";
import type {PlayerState} from "../yoto/playerModel.js";

/**
 * Resolves true once `test` holds for the player (now, or after one of its changes), and false
 * after `ms`, when the player leaves the account or when `signal` aborts (a cancel). Listens only
 * while it waits.
 */
export function untilPlayer(
  deps: {bus: EventBus; players: {get(idOrName: string): PlayerState}},
  playerId: string,
  test: (player: PlayerState) => boolean,
  ms: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (test(deps.players.get(playerId))) return Promise.resolve(true);
  return new Promise((resolve) => {
    const owner = {};
    const abort = () => done(false);
    const done = (value: boolean) => {
      clearTimeout(timer);
      deps.bus.off(owner);
      signal?.removeEventListener("abort", abort);
      resolve(value);
    };
    const timer = setTimeout(() => done(false), ms);
    signal?.addEventListener("abort", abort, {once: true});
    deps.bus.on(owner, "player.changed", ({player}) => {
      if (player.id === playerId && test(player)) done(true);
    });
    deps.bus.on(owner, "player.removed", ({id}) => {
      if (id === playerId) done(false);
    });
  });
}
