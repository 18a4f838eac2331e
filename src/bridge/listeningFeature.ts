import type {EventBus} from "../core/events.js";
import type {PlayerFeature} from "./features.js";
import {json} from "./playerComponents.js";

/** The retained topic under `<base>/<player id>/` the sensor reads. */
export const LISTENING_TOPIC = "listening";

export interface ListeningSource {
  todaySeconds(idOrName: string): number;
  readonly days: {dateOf(epoch: number): string};
}

/**
 * What `<base>/<player id>/listening` holds. Minutes to two places: Home Assistant shows them
 * rounded to whole minutes (`suggested_display_precision: 0`), and a figure already rounded to a
 * tenth would round twice (88 s, 1.47 min, is 1.5 then "2 min"). Whole seconds to two places always
 * round to the same whole minute as the seconds themselves, which is what the panel shows ("1 min").
 */
export function listeningState(seconds: number, date: string): Record<string, unknown> {
  return {today_minutes: Math.round((seconds * 100) / 60) / 100, today_seconds: seconds, date};
}

/** A player the history has not heard of yet has listened 0 s. */
function secondsOf(history: ListeningSource, playerId: string): number {
  try {
    return history.todaySeconds(playerId);
  } catch {
    return 0;
  }
}

/**
 * "Listening today" on each player's device: minutes listened since midnight (the service's time
 * zone), from the listening history. Sent when a session closes, once a minute while a player
 * plays, and at midnight (all three are `history.changed`). `total_increasing`: it only grows
 * during a day (an open session counts up to the player's last message, where it ends if the
 * player goes quiet) and drops to 0 at midnight, which Home Assistant's statistics read as a new
 * cycle; a drop during the day would be read as one too, and its minutes counted twice.
 * It stays available while the player is offline: what was listened today is still true then.
 */
export function listeningFeature(history: ListeningSource, bus: EventBus): PlayerFeature {
  return {
    name: "listening",
    components: (k) => ({
      listening_today: k.entity("listening_today", "sensor", {
        name: "Listening today",
        icon: "mdi:headphones",
        state_topic: `${k.state}/${LISTENING_TOPIC}`,
        value_template: json("today_minutes"),
        device_class: "duration",
        unit_of_measurement: "min",
        state_class: "total_increasing",
        suggested_display_precision: 0,
        availability: [{topic: k.topics.bridgeState, value_template: json("state")}],
      }),
    }),
    retained: (playerId) => ({
      [LISTENING_TOPIC]: listeningState(secondsOf(history, playerId), history.days.dateOf(Date.now())),
    }),
    watch: (changed) => {
      const owner = {};
      bus.on(owner, "history.changed", ({playerId}) => changed(playerId, "payloads"));
      return () => bus.off(owner);
    },
  };
}
