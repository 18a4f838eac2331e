// Home Assistant's MQTT discovery keys (full names and the abbreviations HA documents), per
// platform, with the keys each requires, from homeassistant/components/mqtt/ (abbreviations.py,
// schemas.py and each platform's PLATFORM_SCHEMA). The rules between keys and the templates are
// checked by haDiscoveryRules.ts.
const ABBREVIATIONS: Record<string, string> = {
  p: "platform",
  cmps: "components",
  o: "origin",
  dev: "device",
  stat_t: "state_topic",
  cmd_t: "command_topic",
  cmd_tpl: "command_template",
  avty: "availability",
  avty_t: "availability_topic",
  avty_mode: "availability_mode",
  uniq_id: "unique_id",
  val_tpl: "value_template",
  json_attr_t: "json_attributes_topic",
  json_attr_tpl: "json_attributes_template",
  ent_cat: "entity_category",
  dev_cla: "device_class",
  unit_of_meas: "unit_of_measurement",
  stat_cla: "state_class",
  evt_typ: "event_types",
  pl_prs: "payload_press",
  ops: "options",
  ids: "identifiers",
  cns: "connections",
  mf: "manufacturer",
  mdl: "model",
  mdl_id: "model_id",
  hw: "hw_version",
  sw: "sw_version",
  sn: "serial_number",
  sa: "suggested_area",
  cu: "configuration_url",
  url_t: "url_topic",
  url_tpl: "url_template",
  t: "topic",
  en: "enabled_by_default",
  ic: "icon",
  stp: "step",
  stat_tpl: "state_template",
  cmd_on_tpl: "command_on_template",
  cmd_off_tpl: "command_off_template",
  r_tpl: "red_template",
  g_tpl: "green_template",
  b_tpl: "blue_template",
  bri_tpl: "brightness_template",
  atype: "automation_type",
  stype: "subtype",
  pl: "payload",
  pl_on: "payload_on",
  pl_off: "payload_off",
  stat_on: "state_on",
  stat_off: "state_off",
  ret: "retain",
};

const ENTITY = [
  "platform",
  "name",
  "unique_id",
  "default_entity_id",
  "availability",
  "availability_mode",
  "availability_topic",
  "availability_template",
  "payload_available",
  "payload_not_available",
  "entity_category",
  "enabled_by_default",
  "icon",
  "entity_picture",
  "json_attributes_topic",
  "json_attributes_template",
  "qos",
  "encoding",
];

const PLATFORMS: Record<string, {keys: string[]; required: string[]}> = {
  sensor: {
    keys: [
      ...ENTITY,
      "state_topic",
      "value_template",
      "device_class",
      "unit_of_measurement",
      "state_class",
      "expire_after",
      "force_update",
      "options",
      "suggested_display_precision",
    ],
    required: ["state_topic", "unique_id"],
  },
  binary_sensor: {
    keys: [
      ...ENTITY,
      "state_topic",
      "value_template",
      "device_class",
      "payload_on",
      "payload_off",
      "expire_after",
      "force_update",
      "off_delay",
    ],
    required: ["state_topic", "unique_id"],
  },
  number: {
    keys: [
      ...ENTITY,
      "command_topic",
      "command_template",
      "state_topic",
      "value_template",
      "min",
      "max",
      "step",
      "mode",
      "unit_of_measurement",
      "device_class",
      "retain",
      "optimistic",
      "payload_reset",
    ],
    required: ["command_topic", "unique_id"],
  },
  button: {
    keys: [...ENTITY, "command_topic", "command_template", "payload_press", "device_class", "retain"],
    required: ["command_topic", "unique_id"],
  },
  select: {
    keys: [
      ...ENTITY,
      "command_topic",
      "command_template",
      "state_topic",
      "value_template",
      "options",
      "retain",
      "optimistic",
    ],
    required: ["command_topic", "options", "unique_id"],
  },
  switch: {
    keys: [
      ...ENTITY,
      "command_topic",
      "state_topic",
      "value_template",
      "payload_on",
      "payload_off",
      "state_on",
      "state_off",
      "device_class",
      "retain",
      "optimistic",
    ],
    required: ["command_topic", "unique_id"],
  },
  event: {
    keys: [...ENTITY, "state_topic", "event_types", "value_template", "device_class"],
    required: ["state_topic", "event_types", "unique_id"],
  },
  image: {
    keys: [...ENTITY, "url_topic", "url_template", "image_topic", "content_type", "image_encoding"],
    required: ["url_topic", "unique_id"],
  },
  tag: {keys: ["platform", "topic", "value_template"], required: ["topic"]},
  // update.py: read-only without a command topic; state as JSON (installed_version, latest_version…).
  update: {
    keys: [
      ...ENTITY,
      "state_topic",
      "value_template",
      "command_topic",
      "device_class",
      "latest_version_topic",
      "latest_version_template",
      "payload_install",
      "release_summary",
      "release_url",
      "title",
      "retain",
    ],
    required: ["unique_id"],
  },
  // schema_template.py: the template light (the only light schema published here).
  light: {
    keys: [
      ...ENTITY,
      "schema",
      "command_topic",
      "state_topic",
      "state_template",
      "red_template",
      "green_template",
      "blue_template",
      "brightness_template",
      "color_temp_template",
      "effect_template",
      "effect_list",
      "command_on_template",
      "command_off_template",
      "optimistic",
      "retain",
    ],
    required: ["command_topic", "command_on_template", "command_off_template", "unique_id"],
  },
  time: {
    keys: [...ENTITY, "command_topic", "command_template", "state_topic", "value_template", "optimistic", "retain"],
    required: ["command_topic", "unique_id"],
  },
  // notify.py: MQTT_BASE_SCHEMA (qos, encoding) + command_topic, command_template, name, retain, and
  // the common entity keys. No title, targets or state: `send_message` publishes the message alone.
  notify: {
    keys: [...ENTITY, "command_topic", "command_template", "retain"],
    required: ["command_topic", "unique_id"],
  },
  // device_trigger.py: a trigger is no entity (no unique id, name or availability of its own).
  device_automation: {
    keys: ["platform", "automation_type", "topic", "type", "subtype", "payload", "value_template", "qos", "encoding"],
    required: ["automation_type", "topic", "type", "subtype"],
  },
};

const DEVICE = [
  "identifiers",
  "connections",
  "name",
  "manufacturer",
  "model",
  "model_id",
  "serial_number",
  "hw_version",
  "sw_version",
  "suggested_area",
  "configuration_url",
  "via_device",
];
const ROOT = [
  "device",
  "origin",
  "components",
  "availability",
  "availability_mode",
  "availability_topic",
  "availability_template",
  "payload_available",
  "payload_not_available",
  "state_topic",
  "command_topic",
  "qos",
  "encoding",
];

function expand(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [ABBREVIATIONS[k] ?? k, v]));
}

/** Every problem with a device discovery payload; an empty list means HA would take it as meant. */
export function discoveryProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const root = expand(raw);
  for (const key of Object.keys(root)) if (!ROOT.includes(key)) problems.push(`unknown root key '${key}'`);
  for (const key of ["device", "origin", "components"]) if (!(key in root)) problems.push(`missing '${key}'`);
  const device = expand((root.device ?? {}) as Record<string, unknown>);
  for (const key of Object.keys(device)) if (!DEVICE.includes(key)) problems.push(`unknown device key '${key}'`);
  if (!device.identifiers && !device.connections) problems.push("device needs identifiers");
  const origin = expand((root.origin ?? {}) as Record<string, unknown>);
  if (typeof origin.name !== "string") problems.push("origin needs a name");
  for (const key of Object.keys(origin))
    if (!["name", "sw_version", "support_url", "url"].includes(key)) problems.push(`unknown origin key '${key}'`);
  for (const [id, component] of Object.entries((root.components ?? {}) as Record<string, Record<string, unknown>>)) {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) problems.push(`component id '${id}' has characters HA refuses`);
    const c = expand(component);
    const spec = PLATFORMS[c.platform as string];
    if (!spec) {
      problems.push(`${id}: unknown platform '${String(c.platform)}'`);
      continue;
    }
    if (Object.keys(c).length === 1) continue; // only `platform`: the documented way to remove one component
    for (const key of Object.keys(c))
      if (!spec.keys.includes(key)) problems.push(`${id}: unknown key '${key}' for ${c.platform}`);
    for (const key of spec.required) if (!(key in c)) problems.push(`${id}: ${c.platform} needs '${key}'`);
    if (c.entity_category !== undefined && !["config", "diagnostic"].includes(c.entity_category as string))
      problems.push(`${id}: entity_category must be config or diagnostic`);
    if (typeof c.default_entity_id === "string" && !/^[a-z_]+\.[a-z0-9_]+$/.test(c.default_entity_id))
      problems.push(`${id}: default_entity_id '${c.default_entity_id}' is not <domain>.<slug>`);
  }
  return problems;
}
