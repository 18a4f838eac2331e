import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {QuietPeriod} from "../parents/quietHours.js";
import type {QuietEnded} from "../parents/types.js";
import type {BridgeFeature, PlayerFeature} from "./features.js";
import {json, onOff} from "./playerComponents.js";

/** The retained topic under `<base>/<player id>/` the binary sensor reads. */
export const QUIET_TOPIC = "quiet";
/** The bridge request the "End quiet hours" button sends, `{"player": "<id>"}`. */
export const END_QUIET_REQUEST = "player/quiet/end";

export interface QuietSource {
  period(playerId: string): QuietPeriod | undefined;
  end(idOrName: string): Promise<QuietEnded>;
}

/** What `<base>/<player id>/quiet` holds. */
export function quietState(period: QuietPeriod | undefined): Record<string, unknown> {
  return {quiet: period !== undefined, until: period ? new Date(period.until).toISOString() : null};
}

/**
 * Quiet hours in Home Assistant, on each player's device: a "Quiet hours" binary sensor (on while
 * the player's max volume is held at 0, with `until` as an attribute) and an "End quiet hours"
 * button. The button goes through the bridge's request topic (as the feed refresh button does),
 * so its answer, or why it failed, is on `bridge/response/player/quiet/end`; it is available only
 * while there are quiet hours to end. Both stay available while the player is offline: quiet hours
 * can be ended then, and the volumes go back on its return.
 */
export function quietFeature(quiet: QuietSource, bus: EventBus): {player: PlayerFeature; bridge: BridgeFeature} {
  const availability = (bridgeState: string) => [{topic: bridgeState, value_template: json("state")}];
  const player: PlayerFeature = {
    name: "quiet-hours",
    components: (k) => ({
      quiet_hours: k.entity("quiet_hours", "binary_sensor", {
        name: "Quiet hours",
        icon: "mdi:volume-off",
        state_topic: `${k.state}/${QUIET_TOPIC}`,
        value_template: onOff("value_json.quiet"),
        json_attributes_topic: `${k.state}/${QUIET_TOPIC}`,
        json_attributes_template: "{{ {'until': value_json.until} | tojson }}",
        availability: availability(k.topics.bridgeState),
      }),
      end_quiet_hours: k.entity("end_quiet_hours", "button", {
        name: "End quiet hours",
        icon: "mdi:volume-high",
        command_topic: k.topics.request(END_QUIET_REQUEST),
        payload_press: JSON.stringify({player: k.player.id}),
        // Greyed out in Home Assistant unless there are quiet hours to end.
        availability: [
          ...availability(k.topics.bridgeState),
          {topic: `${k.state}/${QUIET_TOPIC}`, value_template: "{{ 'online' if value_json.quiet else 'offline' }}"},
        ],
        availability_mode: "all",
      }),
    }),
    retained: (playerId) => ({[QUIET_TOPIC]: quietState(quiet.period(playerId))}),
    watch: (changed) => {
      const owner = {};
      bus.on(owner, "quiet.changed", ({playerId}) => changed(playerId, "payloads"));
      return () => bus.off(owner);
    },
  };
  const bridge: BridgeFeature = {
    name: "quiet-hours",
    components: () => ({}),
    info: () => ({}),
    requests: {
      [END_QUIET_REQUEST]: async ({player: who}) => {
        if (typeof who !== "string" || who === "")
          throw badRequest(`Name the player: {"player": "<id or name>"}`, "invalid_payload");
        return quiet.end(who);
      },
    },
    // Nothing on the bridge device changes: the player feature above publishes the state.
    watch: () => () => {},
  };
  return {player, bridge};
}
