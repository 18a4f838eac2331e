import {ownEntry} from "../core/ownKeys.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {BridgeTopics} from "./topics.js";

/** One entity inside a device discovery payload (`components`). */
export type Component = {platform: string} & Record<string, unknown>;

export const PLAYER_EVENT_TYPES = [
  "card_inserted",
  "card_removed",
  "button_left",
  "button_right",
  "track_end",
  "story_started",
  "story_choice",
] as const;

const MODELS: Record<string, string> = {
  v3: "Yoto Player (3rd gen)",
  v2: "Yoto Player (2nd gen)",
  v1: "Yoto Player",
  mini: "Yoto Mini",
};

export interface DiscoveryContext {
  topics: BridgeTopics;
  version: string;
  /** The panel's address, shown as the device's "Visit" link when known. */
  configurationUrl?: string;
}

const origin = (ctx: DiscoveryContext) => ({name: "Yoto Smart Stream", sw_version: ctx.version});
const json = (field: string) => `{{ value_json.${field} }}`;
const onOff = (test: string) => `{{ 'ON' if ${test} else 'OFF' }}`;

/** Device-based discovery for one player: the entity set of SPEC §6, named as the Yoto integrations name them. */
export function playerDiscovery(p: PlayerState, ctx: DiscoveryContext): Record<string, unknown> {
  const t = ctx.topics;
  const state = t.player(p.id);
  const bridgeOnly = [{topic: t.bridgeState, value_template: json("state")}];
  const uid = (key: string) => `yoto_${p.id}_${key}_${t.slug}`;
  const entity = (key: string, platform: string, domain: string, extra: Record<string, unknown>): Component => ({
    platform,
    unique_id: uid(key),
    default_entity_id: `${domain}.${slugify(p.name)}_${key}`,
    ...extra,
  });
  const sensor = (key: string, name: string, extra: Record<string, unknown>) =>
    entity(key, "sensor", "sensor", {name, state_topic: state, value_template: json(key), ...extra});
  const binary = (key: string, name: string, test: string, extra: Record<string, unknown> = {}) =>
    entity(key, "binary_sensor", "binary_sensor", {name, state_topic: state, value_template: onOff(test), ...extra});
  const button = (command: string, name: string, icon: string) =>
    entity(command, "button", "button", {
      name,
      icon,
      command_topic: t.player(p.id, "set"),
      payload_press: JSON.stringify({command}),
    });
  const diagnostic = {entity_category: "diagnostic"};

  const components: Record<string, Component> = {
    playback: sensor("playback", "Playback", {
      device_class: "enum",
      options: ["playing", "paused", "stopped", "loading", "unknown"],
      icon: "mdi:play-pause",
    }),
    card: sensor("card", "Card", {
      value_template: "{{ value_json.card_title or value_json.card_id or 'none' }}",
      json_attributes_topic: state,
      json_attributes_template: "{{ {'card_id': value_json.card_id, 'source': value_json.source} | tojson }}",
      icon: "mdi:cards",
    }),
    chapter: sensor("chapter", "Chapter", {value_template: json("chapter_title"), icon: "mdi:book-open-variant"}),
    track: sensor("track", "Track", {value_template: json("track_title"), icon: "mdi:music-note"}),
    position: sensor("position", "Position", {device_class: "duration", unit_of_measurement: "s"}),
    battery: sensor("battery", "Battery", {
      device_class: "battery",
      unit_of_measurement: "%",
      state_class: "measurement",
      ...diagnostic,
    }),
    temperature: sensor("temperature", "Temperature", {
      device_class: "temperature",
      unit_of_measurement: "°C",
      state_class: "measurement",
      ...diagnostic,
    }),
    wifi: sensor("wifi", "Wi-Fi strength", {
      device_class: "signal_strength",
      unit_of_measurement: "dBm",
      state_class: "measurement",
      enabled_by_default: false,
      ...diagnostic,
    }),
    ambient_light: sensor("ambient_light", "Ambient light", {
      device_class: "illuminance",
      unit_of_measurement: "lx",
      state_class: "measurement",
      ...diagnostic,
    }),
    last_seen: sensor("last_seen", "Last seen", {device_class: "timestamp", ...diagnostic}),
    // Online must stay available while the player is offline, or it could never say so.
    online: binary("online", "Online", "value_json.online", {
      device_class: "connectivity",
      availability: bridgeOnly,
      ...diagnostic,
    }),
    charging: binary("charging", "Charging", "value_json.charging", {device_class: "battery_charging", ...diagnostic}),
    headphones: binary("headphones", "Headphones", "value_json.headphones", {icon: "mdi:headphones"}),
    sleep_timer_active: binary("sleep_timer_active", "Sleep timer", "value_json.sleep_timer_active", {
      device_class: "running",
    }),
    night_light: binary("night_light", "Night light", "value_json.nightlight not in (none, 'off', '0x000000')", {
      device_class: "light",
    }),
    volume: entity("volume", "number", "number", {
      name: "Volume",
      icon: "mdi:volume-high",
      state_topic: state,
      value_template: json("volume"),
      command_topic: `${t.player(p.id, "set")}/volume`,
      min: 0,
      max: 16,
      step: 1,
      mode: "slider",
    }),
    sleep_timer: entity("sleep_timer", "number", "number", {
      name: "Sleep timer",
      icon: "mdi:timer-outline",
      state_topic: state,
      value_template: "{{ ((value_json.sleep_timer_seconds or 0) / 60) | round(0) | int }}",
      command_topic: `${t.player(p.id, "set")}/sleep_timer`,
      min: 0,
      max: 120,
      step: 5,
      mode: "box",
      unit_of_measurement: "min",
      entity_category: "config",
    }),
    play: button("resume", "Play", "mdi:play"),
    pause: button("pause", "Pause", "mdi:pause"),
    stop: button("stop", "Stop", "mdi:stop"),
    next: button("next", "Next track", "mdi:skip-next"),
    previous: button("previous", "Previous track", "mdi:skip-previous"),
    event: entity("event", "event", "event", {
      name: "Player event",
      state_topic: t.player(p.id, "event"),
      event_types: [...PLAYER_EVENT_TYPES],
    }),
    card_image: entity("card_image", "image", "image", {
      name: "Card artwork",
      url_topic: state,
      url_template: json("card_image"),
    }),
    // A card put in the player scans as a Home Assistant tag whose id is the card id.
    card_tag: {platform: "tag", topic: t.player(p.id, "card")},
  };
  return {
    device: {
      identifiers: [`yoto_${p.id}`],
      name: p.name,
      manufacturer: "Yoto",
      model: ownEntry(MODELS, p.family) ?? `Yoto ${p.type}`,
      model_id: p.type,
      ...(p.firmware ? {sw_version: p.firmware} : {}),
      serial_number: p.id,
      via_device: `yoto_bridge_${t.slug}`,
    },
    origin: origin(ctx),
    availability: [
      {topic: t.bridgeState, value_template: json("state")},
      {topic: t.player(p.id, "availability"), value_template: json("state")},
    ],
    availability_mode: "all",
    qos: 1,
    components,
  };
}

/** The bridge device: its own state plus whatever registered features add (stream selects, rule switches). */
export function bridgeDiscovery(ctx: DiscoveryContext, extra: Record<string, Component>): Record<string, unknown> {
  const t = ctx.topics;
  const info = t.bridge("info");
  const uid = (key: string) => `yoto_bridge_${key}_${t.slug}`;
  const components: Record<string, Component> = {
    cloud: {
      platform: "binary_sensor",
      unique_id: uid("cloud"),
      default_entity_id: "binary_sensor.yoto_smart_stream_cloud",
      name: "Yoto cloud",
      device_class: "connectivity",
      entity_category: "diagnostic",
      state_topic: info,
      value_template: onOff("value_json.cloud == 'connected'"),
    },
    account: {
      platform: "sensor",
      unique_id: uid("account"),
      default_entity_id: "sensor.yoto_smart_stream_account",
      name: "Yoto account",
      device_class: "enum",
      options: ["unlinked", "linking", "linked", "needs_relink"],
      state_topic: info,
      value_template: json("account"),
      // Why it needs attention (re-linking, or a renewed login that could not be saved yet).
      json_attributes_topic: info,
      json_attributes_template:
        "{{ {'reason': value_json.account_reason | default(none), 'unsaved_since': value_json.account_unsaved_since | default(none)} | tojson }}",
      icon: "mdi:account-key",
    },
    version: {
      platform: "sensor",
      unique_id: uid("version"),
      default_entity_id: "sensor.yoto_smart_stream_version",
      name: "Version",
      entity_category: "diagnostic",
      state_topic: info,
      value_template: json("version"),
    },
    reconnect: {
      platform: "button",
      unique_id: uid("reconnect"),
      default_entity_id: "button.yoto_smart_stream_reconnect",
      name: "Reconnect to Yoto",
      device_class: "restart",
      entity_category: "config",
      command_topic: t.request("restart"),
      payload_press: "{}",
    },
    ...extra,
  };
  return {
    device: {
      identifiers: [`yoto_bridge_${t.slug}`],
      name: "Yoto Smart Stream",
      manufacturer: "Yoto Smart Stream",
      model: "Bridge",
      sw_version: ctx.version,
      ...(ctx.configurationUrl ? {configuration_url: ctx.configurationUrl} : {}),
    },
    origin: origin(ctx),
    availability: [{topic: t.bridgeState, value_template: json("state")}],
    qos: 1,
    components,
  };
}

export function slugify(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "") || "player"
  );
}
