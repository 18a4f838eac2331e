import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Feeds} from "../feeds/feeds.js";
import {bridgeEntityId, bridgeUniqueId, type Component} from "./discovery.js";
import type {BridgeFeature} from "./features.js";
import type {BridgeTopics} from "./topics.js";

// Home Assistant keeps at most 255 characters of a sensor's state.
const STATE_LIMIT = 250;

/**
 * Per feed stream on the bridge device: a "Refresh" button and a sensor that reads "ok" or why
 * the last refresh failed (the stream keeps its last good episodes); `bridge/request/stream/refresh`.
 * One "Podcast feeds" problem sensor for them all, on while any fails, is there even before the
 * first feed, so an automation or a dashboard can name it before any feed is followed.
 */
export function feedFeature(feeds: Feeds, bus: EventBus, topics: BridgeTopics): BridgeFeature {
  const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  return {
    name: "feeds",
    components() {
      const info = topics.bridge("info");
      const out: Record<string, Component> = {
        feeds_problem: {
          platform: "binary_sensor",
          unique_id: bridgeUniqueId(topics, "feeds_problem"),
          default_entity_id: bridgeEntityId(topics, "binary_sensor", "feeds_problem"),
          name: "Podcast feeds",
          device_class: "problem",
          icon: "mdi:podcast",
          state_topic: info,
          value_template: "{{ 'ON' if value_json.failing_feeds | length > 0 else 'OFF' }}",
          // Stream name → why, whole (a state is cut at 255 characters, an attribute is not).
          json_attributes_topic: info,
          json_attributes_template: "{{ {'failing_feeds': value_json.failing_feeds} | tojson }}",
        },
      };
      for (const name of feeds.names()) {
        const key = JSON.stringify(name);
        out[`feed_${name}_refresh`] = {
          platform: "button",
          unique_id: `yoto_bridge_feed_${name}_refresh_${topics.slug}`,
          default_entity_id: `button.yoto_feed_${slug(name)}_refresh`,
          name: `Feed ${name} refresh`,
          icon: "mdi:podcast",
          command_topic: topics.request("stream/refresh"),
          payload_press: JSON.stringify({stream: name}),
        };
        out[`feed_${name}_status`] = {
          platform: "sensor",
          unique_id: `yoto_bridge_feed_${name}_status_${topics.slug}`,
          default_entity_id: `sensor.yoto_feed_${slug(name)}_status`,
          name: `Feed ${name}`,
          icon: "mdi:podcast",
          state_topic: topics.bridge("info"),
          value_template: `{{ value_json.feeds[${key}].status if value_json.feeds is defined and ${key} in value_json.feeds else 'unknown' }}`,
          json_attributes_topic: topics.bridge("info"),
          json_attributes_template: `{{ (value_json.feeds[${key}] if value_json.feeds is defined and ${key} in value_json.feeds else {}) | tojson }}`,
        };
      }
      return out;
    },
    info() {
      const out: Record<string, unknown> = {};
      for (const name of feeds.names()) {
        const v = feeds.view(name);
        out[name] = {
          status: (v.error ?? "ok").slice(0, STATE_LIMIT),
          episodes: v.episodes.length,
          last_refresh: v.last_refresh,
          last_checked: v.last_checked,
        };
      }
      // Always there, empty when all is well: a template naming a key the payload leaves out makes
      // Home Assistant log a warning.
      const failing = Object.fromEntries(feeds.failing().map((f) => [f.stream, f.error]));
      return {feeds: out, failing_feeds: failing};
    },
    requests: {
      "stream/refresh": async ({stream}) => {
        if (typeof stream !== "string") throw badRequest(`Send {"stream": "<name>"}`, "invalid_payload");
        await feeds.refresh(stream);
        const v = feeds.view(stream);
        return {stream, episodes: v.episodes.length, error: v.error};
      },
    },
    watch(changed) {
      const owner = {};
      // Home Assistant hears only of what its entities show: an unchanged feed (304) is not news.
      bus.on(owner, "feed.refreshed", (e) => {
        if (e.changed || !e.ok || e.recovered) changed();
      });
      bus.on(owner, "feed.followed", changed);
      return () => bus.off(owner);
    },
  };
}
