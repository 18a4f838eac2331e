import {ownEntry} from "../core/ownKeys.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {announceComponents} from "./announceFeature.js";
import {type Component, ComponentKit, json, onOff, statusComponents, transportComponents} from "./playerComponents.js";
import {mediaComponents, settingComponents} from "./settingComponents.js";
import type {BridgeTopics} from "./topics.js";

export type {Component} from "./playerComponents.js";
export {PLAYER_EVENT_TYPES} from "./settingComponents.js";

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
  /** The "Play a card" select's options (the family's cards by title); none, no select. */
  cardOptions?: readonly string[];
  /** Whether announcements are on: each player then has its notify entity. */
  announce?: boolean;
  /** Entities registered player features add to every player. */
  playerComponents?: (kit: ComponentKit) => Record<string, Component>;
}

export const SUPPORT_URL = "https://github.com/yoto-smart-stream/yoto-smart-stream";

const origin = (ctx: DiscoveryContext) => ({
  name: "Yoto Smart Stream",
  sw_version: ctx.version,
  support_url: SUPPORT_URL,
});

/** Device-based discovery for one player: the entity set docs/home-assistant-mqtt.md lists ("MQTT and Home Assistant entities"), named as the Yoto integrations name them. */
export function playerDiscovery(p: PlayerState, ctx: DiscoveryContext): Record<string, unknown> {
  const t = ctx.topics;
  const kit = new ComponentKit(p, t, slugify(p.name));
  const components: Record<string, Component> = {
    ...statusComponents(kit),
    ...transportComponents(kit),
    ...settingComponents(kit),
    ...mediaComponents(kit, ctx.cardOptions ?? []),
    ...(ctx.announce ? announceComponents(kit) : {}),
    ...ctx.playerComponents?.(kit),
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

/** A bridge entity's unique id: the base topic's slug keeps two instances apart. */
export function bridgeUniqueId(t: BridgeTopics, key: string): string {
  return `yoto_bridge_${key}_${t.slug}`;
}

/** A second instance (another base topic) gets entity ids of its own rather than HA's "_2". */
export function bridgeEntityId(t: BridgeTopics, domain: string, key: string): string {
  return `${domain}.yoto_smart_stream${t.base === "yoto" ? "" : `_${slugify(t.base)}`}_${key}`;
}

/** The bridge device: its own state plus whatever registered features add (stream selects, rule switches). */
export function bridgeDiscovery(ctx: DiscoveryContext, extra: Record<string, Component>): Record<string, unknown> {
  const t = ctx.topics;
  const info = t.bridge("info");
  const uid = (key: string) => bridgeUniqueId(t, key);
  const entityId = (domain: string, key: string) => bridgeEntityId(t, domain, key);
  const components: Record<string, Component> = {
    cloud: {
      platform: "binary_sensor",
      unique_id: uid("cloud"),
      default_entity_id: entityId("binary_sensor", "cloud"),
      name: "Yoto cloud",
      device_class: "connectivity",
      entity_category: "diagnostic",
      state_topic: info,
      value_template: onOff("value_json.cloud == 'connected'"),
    },
    account: {
      platform: "sensor",
      unique_id: uid("account"),
      default_entity_id: entityId("sensor", "account"),
      name: "Yoto account",
      device_class: "enum",
      options: ["unlinked", "linking", "linked", "needs_relink"],
      state_topic: info,
      value_template: json("account"),
      // Why it needs attention (re-linking, or a renewed login that could not be saved yet). The
      // info always carries both keys (null when nothing is wrong): a template naming a key the
      // payload leaves out makes Home Assistant log a template warning.
      json_attributes_topic: info,
      json_attributes_template:
        "{{ {'reason': value_json.account_reason, 'unsaved_since': value_json.account_unsaved_since} | tojson }}",
      icon: "mdi:account-key",
    },
    version: {
      platform: "sensor",
      unique_id: uid("version"),
      default_entity_id: entityId("sensor", "version"),
      name: "Version",
      entity_category: "diagnostic",
      state_topic: info,
      value_template: json("version"),
    },
    reconnect: {
      platform: "button",
      unique_id: uid("reconnect"),
      default_entity_id: entityId("button", "reconnect"),
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
