import type {EventBus} from "../core/events.js";
import {bridgeEntityId, bridgeUniqueId, type Component} from "./discovery.js";
import type {BridgeFeature} from "./features.js";
import type {BridgeTopics} from "./topics.js";

// Home Assistant keeps at most 255 characters of a sensor's state.
const STATE_LIMIT = 250;

/** A station stream as the bridge shows it: its address is already without credentials. */
export interface StationReading {
  stream: string;
  url: string;
  state: string;
  now_playing: string | null;
  error: string | null;
  listeners: number;
}

/**
 * Per station stream on the bridge device, a "Radio <stream>" sensor whose state is the song the
 * station says it plays (ICY `StreamTitle`), or how the station is (idle, down…) when it says
 * nothing; its attributes tell the station's address, state, error and listeners. A song change
 * is one small `bridge/info` publish, which is what an automation on "now playing" reads.
 */
export function radioFeature(stations: () => StationReading[], bus: EventBus, topics: BridgeTopics): BridgeFeature {
  const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  const info = topics.bridge("info");
  return {
    name: "radio",
    components() {
      const out: Record<string, Component> = {};
      for (const {stream} of stations()) {
        const key = JSON.stringify(stream);
        const station = `value_json.radio[${key}]`;
        const present = `value_json.radio is defined and ${key} in value_json.radio`;
        out[`radio_${stream}`] = {
          platform: "sensor",
          unique_id: bridgeUniqueId(topics, `radio_${slug(stream)}`),
          default_entity_id: bridgeEntityId(topics, "sensor", `radio_${slug(stream)}`),
          name: `Radio ${stream}`,
          icon: "mdi:radio",
          state_topic: info,
          value_template: `{{ (${station}.now_playing or ${station}.state) if ${present} else 'unknown' }}`,
          json_attributes_topic: info,
          json_attributes_template: `{{ (${station} if ${present} else {}) | tojson }}`,
        };
      }
      return out;
    },
    info() {
      const radio: Record<string, unknown> = {};
      for (const s of stations())
        radio[s.stream] = {
          ...s,
          now_playing: s.now_playing?.slice(0, STATE_LIMIT) ?? null,
          error: s.error?.slice(0, STATE_LIMIT) ?? null,
        };
      return {radio};
    },
    watch(changed) {
      const owner = {};
      bus.on(owner, "radio.songChanged", changed);
      bus.on(owner, "radio.stateChanged", changed);
      // A stream that becomes a station (or stops being one, or goes) is a `stream.changed` or
      // `stream.deleted`, on which the streams feature already republishes every bridge component,
      // this one's included. Republishing again here would send a removed sensor's one-time
      // removal marker and then, at once, a payload without it.
      return () => bus.off(owner);
    },
  };
}
