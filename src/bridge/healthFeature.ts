import type {EventBus} from "../core/events.js";
import type {HealthOverview} from "../shared/api/health.js";
import {bridgeEntityId, bridgeUniqueId, type Component} from "./discovery.js";
import type {BridgeFeature} from "./features.js";
import type {BridgeTopics} from "./topics.js";

/** How often the health sensors are refreshed: silence and memory change without any event. */
export const HEALTH_REFRESH_MS = 60_000;

export interface HealthFeatureOptions {
  overview: () => HealthOverview;
  bus: EventBus;
  topics: BridgeTopics;
  /** The bridge's own publish (retained state on the local broker). */
  publish: (topic: string, payload: object, retain: boolean) => void;
  refreshMs?: number;
}

/** What `<base>/bridge/health` holds: flat, so each sensor's template is one lookup. */
export function healthState(o: HealthOverview): Record<string, unknown> {
  const silent = o.players.filter((p) => p.silent);
  return {
    status: o.status,
    token_expires_at: o.cloud.tokenExpiresAt ?? null,
    silent_players: silent.length,
    silent_player_names: silent.map((p) => p.name),
    silent_after_minutes: o.silentAfterMinutes,
    stream_requests: o.streams.requests,
    stream_errors: o.streams.errors,
    last_stream_error: o.streams.lastError ?? null,
    memory_mb: o.memory.rssMb,
    heap_used_mb: o.memory.heapUsedMb,
  };
}

/**
 * Health sensors on the bridge device: token expiry, silent players, stream requests and errors,
 * memory (the cloud connection is the bridge's own "Yoto cloud" sensor). Their state is a retained
 * topic of its own, refreshed every minute and when a player comes or goes online, without
 * sending discovery again; the bridge republishes it with everything else on cloud and account
 * changes and on every connect.
 */
export function healthFeature(opts: HealthFeatureOptions): BridgeFeature {
  const {topics: t} = opts;
  const topic = `${t.base}/bridge/health`;
  const sensor = (key: string, name: string, extra: Record<string, unknown>): Component => ({
    platform: "sensor",
    unique_id: bridgeUniqueId(t, key),
    default_entity_id: bridgeEntityId(t, "sensor", key),
    name,
    state_topic: topic,
    ...extra,
  });
  const publish = () => opts.publish(topic, healthState(opts.overview()), true);
  return {
    name: "health",
    components() {
      return {
        token_expiry: sensor("token_expiry", "Yoto access renews", {
          device_class: "timestamp",
          entity_category: "diagnostic",
          icon: "mdi:key-chain",
          value_template: "{{ value_json.token_expires_at }}",
        }),
        silent_players: sensor("silent_players", "Silent players", {
          state_class: "measurement",
          icon: "mdi:access-point-network-off",
          value_template: "{{ value_json.silent_players }}",
          json_attributes_topic: topic,
          json_attributes_template:
            "{{ {'players': value_json.silent_player_names, 'silent_after_minutes': value_json.silent_after_minutes} | tojson }}",
        }),
        stream_requests: sensor("stream_requests", "Stream requests", {
          state_class: "total_increasing",
          entity_category: "diagnostic",
          icon: "mdi:playlist-music",
          value_template: "{{ value_json.stream_requests }}",
        }),
        stream_errors: sensor("stream_errors", "Stream errors", {
          state_class: "total_increasing",
          entity_category: "diagnostic",
          icon: "mdi:playlist-remove",
          value_template: "{{ value_json.stream_errors }}",
          json_attributes_topic: topic,
          json_attributes_template: "{{ {'last_error': value_json.last_stream_error} | tojson }}",
        }),
        memory: sensor("memory", "Memory used", {
          device_class: "data_size",
          unit_of_measurement: "MB",
          state_class: "measurement",
          entity_category: "diagnostic",
          icon: "mdi:memory",
          value_template: "{{ value_json.memory_mb }}",
          json_attributes_topic: topic,
          json_attributes_template: "{{ {'heap_used_mb': value_json.heap_used_mb} | tojson }}",
        }),
      };
    },
    info() {
      return {};
    },
    retained() {
      return {health: healthState(opts.overview())};
    },
    watch() {
      const owner = {};
      const timer = setInterval(publish, opts.refreshMs ?? HEALTH_REFRESH_MS);
      timer.unref();
      // Going offline ends a silence, coming back may start one: the count changes at once.
      opts.bus.on(owner, "player.changed", ({changed}) => {
        if (changed.includes("online")) publish();
      });
      return () => {
        clearInterval(timer);
        opts.bus.off(owner);
      };
    },
  };
}
