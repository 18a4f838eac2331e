import {capabilitiesOf} from "../yoto/capabilities.js";
import {CARD_INSERTIONS, type PlayerState} from "../yoto/playerModel.js";
import type {BridgeTopics} from "./topics.js";

/** One entity inside a device discovery payload (`components`). */
export type Component = {platform: string} & Record<string, unknown>;

export const json = (field: string) => `{{ value_json.${field} }}`;
/** A JSON field that may be null: Home Assistant reads the text "None" as unknown. */
export const orNone = (field: string) => `{{ value_json.${field} if value_json.${field} is not none else 'None' }}`;
export const onOff = (test: string) => `{{ 'ON' if ${test} else 'OFF' }}`;

/** Builds one player's components: ids, entity ids and topics all come from here. */
export class ComponentKit {
  readonly state: string;
  readonly diagnostic = {entity_category: "diagnostic"};
  readonly config = {entity_category: "config"};

  constructor(
    readonly player: PlayerState,
    readonly topics: BridgeTopics,
    readonly slug: string,
  ) {
    this.state = topics.player(player.id);
  }

  set(attribute: string): string {
    return `${this.topics.player(this.player.id, "set")}/${attribute}`;
  }

  entity(key: string, platform: string, extra: Record<string, unknown>): Component {
    return {
      platform,
      unique_id: `yoto_${this.player.id}_${key}_${this.topics.slug}`,
      default_entity_id: `${platform}.${this.slug}_${key}`,
      ...extra,
    };
  }

  sensor(key: string, name: string, extra: Record<string, unknown>): Component {
    return this.entity(key, "sensor", {name, state_topic: this.state, value_template: orNone(key), ...extra});
  }

  binary(key: string, name: string, test: string, extra: Record<string, unknown> = {}): Component {
    return this.entity(key, "binary_sensor", {name, state_topic: this.state, value_template: onOff(test), ...extra});
  }

  button(key: string, command: string, name: string, extra: Record<string, unknown>): Component {
    return this.entity(key, "button", {
      name,
      command_topic: this.topics.player(this.player.id, "set"),
      payload_press: JSON.stringify({command}),
      ...extra,
    });
  }
}

/** Playback, what the player reports about itself, and the transport: the entity set docs/home-assistant-mqtt.md lists ("MQTT and Home Assistant entities"). */
export function statusComponents(k: ComponentKit): Record<string, Component> {
  const caps = capabilitiesOf(k.player.family);
  const temperature = {device_class: "temperature", unit_of_measurement: "°C", state_class: "measurement"};
  return {
    playback: k.sensor("playback", "Playback", {
      device_class: "enum",
      // No "unknown": it is Home Assistant's own state for a value we do not have (sent as None).
      options: ["playing", "paused", "stopped", "loading"],
      icon: "mdi:play-pause",
    }),
    card: k.sensor("card", "Card", {
      value_template: "{{ value_json.card_title or value_json.card_id or 'None' }}",
      json_attributes_topic: k.state,
      json_attributes_template: "{{ {'card_id': value_json.card_id, 'source': value_json.source} | tojson }}",
      icon: "mdi:cards",
    }),
    chapter: k.sensor("chapter", "Chapter", {value_template: orNone("chapter_title"), icon: "mdi:book-open-variant"}),
    track: k.sensor("track", "Track", {value_template: orNone("track_title"), icon: "mdi:music-note"}),
    position: k.sensor("position", "Position", {device_class: "duration", unit_of_measurement: "s"}),
    battery: k.sensor("battery", "Battery", {
      device_class: "battery",
      unit_of_measurement: "%",
      state_class: "measurement",
      ...k.diagnostic,
    }),
    temperature: k.sensor("temperature", "Temperature", {...temperature, ...k.diagnostic}),
    battery_temperature: k.sensor("battery_temperature", "Battery temperature", {
      ...temperature,
      ...k.diagnostic,
      enabled_by_default: caps.ambientLightSensor,
    }),
    wifi: k.sensor("wifi", "Wi-Fi strength", {
      device_class: "signal_strength",
      unit_of_measurement: "dBm",
      state_class: "measurement",
      enabled_by_default: false,
      ...k.diagnostic,
    }),
    ...(caps.ambientLightSensor
      ? {
          ambient_light: k.sensor("ambient_light", "Ambient light", {
            device_class: "illuminance",
            unit_of_measurement: "lx",
            state_class: "measurement",
            ...k.diagnostic,
          }),
        }
      : {}),
    day_mode: k.sensor("day_mode", "Day or night mode", {
      device_class: "enum",
      options: ["day", "night"],
      icon: "mdi:theme-light-dark",
    }),
    card_insertion: k.sensor("card_insertion", "Card insertion", {
      device_class: "enum",
      options: [...CARD_INSERTIONS],
      icon: "mdi:card-outline",
    }),
    // The installed firmware as an update entity, off by default as ESPHome's is. Yoto's data
    // names no newer version: `/config`'s `releaseChannelVersion` equals `fwVersion` in every
    // real payload and yoto_api reads it as the installed firmware, not the channel's latest. So
    // the latest version sent is the installed one; without any, HA's update entity has no state
    // at all (update/__init__.py: unknown while latest_version is None). Yoto updates players
    // itself: no command topic, nothing to install from here. An empty object while the firmware
    // is unknown: mqtt/update.py ignores "{}".
    firmware: k.entity("firmware", "update", {
      name: "Firmware",
      device_class: "firmware",
      state_topic: k.state,
      value_template:
        "{{ ({'installed_version': value_json.firmware, 'latest_version': value_json.firmware} if value_json.firmware else {}) | tojson }}",
      enabled_by_default: false,
      ...k.diagnostic,
    }),
    // Changes with every message: off by default, as Zigbee2MQTT does.
    last_seen: k.sensor("last_seen", "Last seen", {
      device_class: "timestamp",
      enabled_by_default: false,
      ...k.diagnostic,
    }),
    // Online must stay available while the player is offline, or it could never say so.
    online: k.binary("online", "Online", "value_json.online", {
      device_class: "connectivity",
      availability: [{topic: k.topics.bridgeState, value_template: json("state")}],
      ...k.diagnostic,
    }),
    charging: k.binary("charging", "Charging", "value_json.charging", {
      device_class: "battery_charging",
      ...k.diagnostic,
    }),
    headphones: k.binary("headphones", "Headphones", "value_json.headphones", {
      device_class: "connectivity",
      icon: "mdi:headphones",
    }),
    bluetooth_audio: k.binary("bluetooth_audio", "Bluetooth audio", "value_json.bluetooth_audio", {
      device_class: "connectivity",
      icon: "mdi:bluetooth-audio",
    }),
    sleep_timer_active: k.binary("sleep_timer_active", "Sleep timer", "value_json.sleep_timer_active", {
      device_class: "running",
    }),
  };
}

/** Volume, sleep timer and the transport buttons. */
export function transportComponents(k: ComponentKit): Record<string, Component> {
  return {
    volume: k.entity("volume", "number", {
      name: "Volume",
      icon: "mdi:volume-high",
      state_topic: k.state,
      value_template: json("volume"),
      json_attributes_topic: k.state,
      json_attributes_template: "{{ {'volume_level': value_json.volume_level} | tojson }}",
      command_topic: k.set("volume"),
      min: 0,
      max: 16,
      step: 1,
      mode: "slider",
    }),
    sleep_timer: k.entity("sleep_timer", "number", {
      name: "Sleep timer",
      icon: "mdi:timer-outline",
      state_topic: k.state,
      value_template: "{{ ((value_json.sleep_timer_seconds or 0) / 60) | round(0) | int }}",
      command_topic: k.set("sleep_timer"),
      min: 0,
      max: 120,
      step: 5,
      mode: "box",
      unit_of_measurement: "min",
      ...k.config,
    }),
    sleep_at_track_end: k.entity("sleep_at_track_end", "switch", {
      name: "Sleep at end of track",
      icon: "mdi:timer-music-outline",
      state_topic: k.state,
      value_template: onOff("value_json.sleep_at_track_end"),
      command_topic: k.set("sleep_at_track_end"),
    }),
    // Keyed by its command, as it always was: a new key would be a new entity in HA.
    play: k.button("resume", "resume", "Play", {icon: "mdi:play"}),
    pause: k.button("pause", "pause", "Pause", {icon: "mdi:pause"}),
    stop: k.button("stop", "stop", "Stop", {icon: "mdi:stop"}),
    next: k.button("next", "next", "Next track", {icon: "mdi:skip-next"}),
    previous: k.button("previous", "previous", "Previous track", {icon: "mdi:skip-previous"}),
    restart: k.button("restart", "reboot", "Restart", {device_class: "restart", ...k.config}),
  };
}
