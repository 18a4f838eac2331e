import {capabilitiesOf} from "../yoto/capabilities.js";
import {type Component, type ComponentKit, json, onOff, orNone} from "./playerComponents.js";

/**
 * A light whose state is a `lights.<key>` object of the player's state JSON (see lightView).
 * Template schema: Home Assistant sends the RGB at full brightness and the brightness apart,
 * which is how the player's single colour is folded (lightPayload.ts).
 */
function light(k: ComponentKit, key: string, name: string, extra: Record<string, unknown> = {}): Component {
  const field = `value_json.lights.${key}`;
  return k.entity(key, "light", {
    name,
    schema: "template",
    state_topic: k.state,
    command_topic: k.set(key),
    state_template: `{{ ${field}.state }}`,
    red_template: `{{ ${field}.r if ${field}.r is not none else 'None' }}`,
    green_template: `{{ ${field}.g if ${field}.g is not none else 'None' }}`,
    blue_template: `{{ ${field}.b if ${field}.b is not none else 'None' }}`,
    brightness_template: `{{ ${field}.brightness }}`,
    command_on_template:
      '{"state": "on"{% if red is defined and green is defined and blue is defined %}, "r": {{ red | int }}, "g": {{ green | int }}, "b": {{ blue | int }}{% endif %}{% if brightness is defined %}, "brightness": {{ brightness | int }}{% endif %}}',
    command_off_template: '{"state": "off"}',
    ...extra,
  });
}

function dayNight(
  make: (mode: "day" | "night", label: "Day" | "Night") => Record<string, Component>,
): Record<string, Component> {
  return {...make("day", "Day"), ...make("night", "Night")};
}

/**
 * The settings families change in the Yoto app, written through the device config: night light
 * colours, max volume (0 allowed), display brightness with auto, day and night start times,
 * and a switch per alarm the player has.
 */
export function settingComponents(k: ComponentKit): Record<string, Component> {
  const caps = capabilitiesOf(k.player.family);
  const s = "value_json.settings";
  const out: Record<string, Component> = {};
  if (caps.lightRing) {
    out.night_light = light(k, "night_light", "Night light", {icon: "mdi:lightbulb-night"});
    out.day_colour = light(k, "day_colour", "Day mode colour", {icon: "mdi:palette", ...k.config});
    out.night_colour = light(k, "night_colour", "Night mode colour", {icon: "mdi:palette-outline", ...k.config});
  }
  Object.assign(
    out,
    dayNight((mode, label) => ({
      [`${mode}_max_volume`]: k.entity(`${mode}_max_volume`, "number", {
        name: `${label} mode max volume`,
        icon: "mdi:volume-high",
        state_topic: k.state,
        value_template: `{{ ${s}.${mode}_max_volume if ${s}.${mode}_max_volume is not none else 'None' }}`,
        command_topic: k.set(`${mode}_max_volume`),
        min: 0,
        max: 16,
        step: 1,
        mode: "slider",
        ...k.config,
      }),
      [`${mode}_brightness`]: k.entity(`${mode}_brightness`, "number", {
        name: `${label} mode display brightness`,
        icon: "mdi:brightness-6",
        state_topic: k.state,
        // Unknown while on auto: the auto switch says so, and any number written turns auto off.
        value_template: `{{ ${s}.${mode}_brightness if ${s}.${mode}_brightness is number else 'None' }}`,
        command_topic: k.set(`${mode}_brightness`),
        min: 0,
        max: 100,
        step: 1,
        mode: "slider",
        unit_of_measurement: "%",
        ...k.config,
      }),
      ...(caps.ambientLightSensor
        ? {
            [`${mode}_auto_brightness`]: k.entity(`${mode}_auto_brightness`, "switch", {
              name: `${label} mode auto brightness`,
              icon: "mdi:brightness-auto",
              state_topic: k.state,
              value_template: onOff(`${s}.${mode}_brightness == 'auto'`),
              command_topic: k.set(`${mode}_brightness`),
              // Off goes back to full brightness; the brightness number fine-tunes it from there.
              payload_on: "auto",
              payload_off: "100",
              state_on: "ON",
              state_off: "OFF",
              ...k.config,
            }),
          }
        : {}),
      [`${mode}_time`]: k.entity(`${mode}_time`, "time", {
        name: `${label} mode starts`,
        icon: mode === "day" ? "mdi:weather-sunny" : "mdi:weather-night",
        state_topic: k.state,
        value_template: `{{ ${s}.${mode}_time or 'None' }}`,
        command_topic: k.set(`${mode}_time`),
        ...k.config,
      }),
    })),
  );
  for (const [key, name, icon] of [
    ["bluetooth", "Bluetooth", "mdi:bluetooth"],
    ["headphones_volume_limited", "Headphone volume limit", "mdi:headphones-settings"],
  ] as const)
    out[key] = k.entity(key, "switch", {
      name,
      icon,
      state_topic: k.state,
      // Unknown until the player's config was read: "None" leaves the switch unknown in HA.
      value_template: `{{ 'None' if ${s}.${key} is none else ('ON' if ${s}.${key} else 'OFF') }}`,
      command_topic: k.set(key),
      ...k.config,
    });
  for (const alarm of k.player.settings?.alarms ?? []) {
    const n = alarm.index + 1;
    const entry = `${s}.alarms['${n}']`;
    out[`alarm_${n}`] = k.entity(`alarm_${n}`, "switch", {
      name: `Alarm ${n}`,
      icon: "mdi:alarm",
      state_topic: k.state,
      value_template: onOff(`${entry} is defined and ${entry}.enabled`),
      json_attributes_topic: k.state,
      json_attributes_template: `{{ (${entry} if ${entry} is defined else {}) | tojson }}`,
      command_topic: k.set(`alarm_${n}`),
      ...k.config,
    });
  }
  return out;
}

/** What plays: the card picker, the artwork, the player's events, as entities and device triggers. */
export function mediaComponents(k: ComponentKit, cardOptions: readonly string[]): Record<string, Component> {
  const event = k.topics.player(k.player.id, "event");
  const trigger = (type: string, subtype: string, payload: string): Component => ({
    platform: "device_automation",
    automation_type: "trigger",
    topic: event,
    type,
    subtype,
    value_template: json("event_type"),
    payload,
  });
  return {
    ...(cardOptions.length
      ? {
          play_card: k.entity("play_card", "select", {
            name: "Play a card",
            icon: "mdi:cards-playing-outline",
            state_topic: k.state,
            value_template: orNone("card_option"),
            command_topic: k.set("card_option"),
            options: [...cardOptions],
          }),
        }
      : {}),
    card_image: k.entity("card_image", "image", {
      name: "Card artwork",
      // Its own topic, published when the artwork changes: HA fetches the image on every message.
      url_topic: k.topics.player(k.player.id, "card_image"),
    }),
    event: k.entity("event", "event", {name: "Player event", state_topic: event, event_types: [...PLAYER_EVENT_TYPES]}),
    // A card put in the player scans as a Home Assistant tag whose id is the card id.
    card_tag: {platform: "tag", topic: k.topics.player(k.player.id, "card")},
    trigger_button_left: trigger("button_short_press", "left_button", "button_left"),
    trigger_button_right: trigger("button_short_press", "right_button", "button_right"),
    trigger_card_inserted: trigger("card_inserted", "card", "card_inserted"),
    trigger_card_removed: trigger("card_removed", "card", "card_removed"),
    trigger_track_end: trigger("track_end", "track", "track_end"),
  };
}

export const PLAYER_EVENT_TYPES = [
  "card_inserted",
  "card_removed",
  "button_left",
  "button_right",
  "track_end",
  "story_started",
  "story_choice",
] as const;
