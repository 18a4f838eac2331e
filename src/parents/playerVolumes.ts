import type {EventBus} from "../core/events.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {QuietPeriod} from "./quietHours.js";
import type {MaxVolumes, QuietView} from "./types.js";

/** A player's quiet hours for the admin API: the end as an ISO time, and why an overdue restore waits. */
export function quietView(period: QuietPeriod, waiting: string | undefined): QuietView {
  return {
    playerId: period.playerId,
    player: period.player,
    until: new Date(period.until).toISOString(),
    restore: {...period.restore},
    ...(period.volume !== undefined ? {volume: period.volume} : {}),
    ...(waiting ? {waiting} : {}),
  };
}

/**
 * Where a wind-down ramp ends unless told: step 3 of 16 (19 %), quiet but still audible. Here rather
 * than in the rule action so the family plan can show the same default without reaching into rules.
 */
export const WIND_DOWN_LEVEL = 3;

/** A player's day and night max volume as it reported them, to put back when quiet hours end. */
export function maxVolumesOf(player: PlayerState): MaxVolumes {
  const day = player.settings?.dayMaxVolume;
  const night = player.settings?.nightMaxVolume;
  if (day === undefined || night === undefined)
    throw new Error(
      `'${player.name}' has not reported its max volume settings yet, so quiet hours could not put them back afterwards: try again once its settings show in the panel`,
    );
  return {dayMaxVolume: day, nightMaxVolume: night};
}

/**
 * Resolves once the player reports a max volume above 0 (its next report, not a poll), or after
 * `timeoutMs`. The player caps a volume at the max it last reported, so a volume set before that
 * report would be cut back to 0.
 */
export function maxReported(
  deps: {bus: EventBus; players: {get(idOrName: string): PlayerState}},
  id: string,
  timeoutMs: number,
): Promise<void> {
  const ready = () => {
    const max = deps.players.get(id).volume.max;
    return max === undefined || max > 0;
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const owner = {};
    const done = () => {
      clearTimeout(timer);
      deps.bus.off(owner);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    deps.bus.on(owner, "player.changed", ({player}) => {
      if (player.id === id && ready()) done();
    });
  });
}
