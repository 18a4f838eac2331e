import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Streams} from "../streams/streams.js";
import type {Component} from "./discovery.js";
import type {BridgeFeature} from "./features.js";
import type {BridgeTopics} from "./topics.js";

/** One select per stream on the bridge device: its presets, and which one plays now. */
export function streamFeature(streams: Streams, bus: EventBus, topics: BridgeTopics): BridgeFeature {
  const withPresets = () => streams.list().filter((s) => Object.keys(s.presets).length > 0);
  return {
    name: "streams",
    components() {
      const out: Record<string, Component> = {};
      for (const s of withPresets()) {
        out[`stream_${s.name}`] = {
          platform: "select",
          unique_id: `yoto_bridge_stream_${s.name}_${topics.slug}`,
          default_entity_id: `select.yoto_stream_${s.name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`,
          name: `Stream ${s.name}`,
          icon: "mdi:playlist-music",
          state_topic: topics.bridge("info"),
          value_template: `{{ value_json.streams[${JSON.stringify(s.name)}] or 'None' }}`,
          command_topic: topics.request("stream/preset"),
          // Built by tojson, so a preset name with quotes or backslashes still makes valid JSON.
          command_template: `{{ {'stream': ${JSON.stringify(s.name)}, 'preset': value} | tojson }}`,
          options: Object.keys(s.presets),
        };
      }
      return out;
    },
    info() {
      return {streams: Object.fromEntries(streams.list().map((s) => [s.name, s.activePreset]))};
    },
    retained() {
      return {
        streams: streams.list().map((s) => ({
          name: s.name,
          mode: s.mode,
          items: s.items.length,
          presets: Object.keys(s.presets),
          active_preset: s.activePreset,
        })),
      };
    },
    requests: {
      "stream/preset": async ({stream, preset}) => {
        if (typeof stream !== "string" || typeof preset !== "string")
          throw badRequest(`Send {"stream": "<name>", "preset": "<preset>"}`, "invalid_payload");
        const s = await streams.usePreset(stream, preset);
        return {stream: s.name, active_preset: s.activePreset, items: s.items.length};
      },
    },
    watch(changed) {
      const owner = {};
      bus.on(owner, "stream.changed", changed);
      bus.on(owner, "stream.deleted", changed);
      return () => bus.off(owner);
    },
  };
}
