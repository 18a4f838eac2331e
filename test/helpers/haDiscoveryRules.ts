import {discoveryProblems} from "./discoverySchema.js";
import {renderCommandTemplate, renderValueTemplate} from "./haTemplates.js";

/*
 * Home Assistant's rules for MQTT discovery beyond the keys, written from its source:
 * - sensor: mqtt/sensor.py validate_sensor_state_and_device_class_config (options only with the
 *   enum class and without unit or state class, never empty; the unit must be one of the device
 *   class's, sensor/const.py DEVICE_CLASS_UNITS); sensor/__init__.py (an enum sensor's state is one
 *   of its options; a numeric one must parse as a number; "None" is unknown);
 * - binary_sensor, button, switch: their DEVICE_CLASSES; entity_category: a read-only entity
 *   cannot be `config` (helpers/entity.py);
 * - number: mqtt/number.py validate_config (min < max), step > 0;
 * - select: mqtt/select.py (options required); light: light/schema_template.py; time: mqtt/time.py;
 *   device triggers: mqtt/device_trigger.py (automation_type trigger, topic, type, subtype);
 * - image: mqtt/image.py (url_topic or image_topic, not both);
 * - update: mqtt/update.py and update/__init__.py (device class firmware; the rendered state is
 *   read as JSON, or taken whole as the installed version; "" and "{}" are ignored; versions are
 *   texts; the entity has no state without both an installed and a latest version);
 * - notify: mqtt/notify.py (send_message renders command_template with the message as `value`, the
 *   title is dropped; its keys are in discoverySchema.ts). Ours, not HA's: never `retain: true`,
 *   or the broker would hand the last message to the bridge again on every reconnect;
 * - topics: mqtt/util.py valid_publish_topic / valid_subscribe_topic (no wildcard where one
 *   publishes, none anywhere here: we never subscribe HA to more than one topic per entity).
 * Unique ids are unique across every payload, and "unknown"/"unavailable" are HA's own states,
 * never an enum option.
 */

const DEVICE_CLASS_UNITS: Record<string, string[]> = {
  battery: ["%"],
  temperature: ["°C", "°F", "K"],
  duration: ["d", "h", "min", "s", "ms", "µs"],
  signal_strength: ["dB", "dBm"],
  illuminance: ["lx"],
  humidity: ["%"],
  power: ["W", "kW", "mW", "MW", "GW", "TW", "BTU/h"],
  data_size: ["bit", "kbit", "Mbit", "Gbit", "B", "kB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"],
};
const NUMERIC_SENSOR_CLASSES = new Set([...Object.keys(DEVICE_CLASS_UNITS)]);
const NO_UNIT_CLASSES = new Set(["enum", "timestamp", "date"]);
const BINARY_CLASSES = new Set(
  "battery battery_charging carbon_monoxide cold connectivity door garage_door gas heat light lock moisture motion moving occupancy opening plug power presence problem running safety smoke sound tamper update vibration window".split(
    " ",
  ),
);
const BUTTON_CLASSES = new Set(["identify", "restart", "update"]);
const SWITCH_CLASSES = new Set(["outlet", "switch"]);
const UPDATE_CLASSES = new Set(["firmware"]);
const READ_ONLY = new Set(["sensor", "binary_sensor", "event", "image", "tag", "device_automation"]);
const HA_STATES = new Set(["unknown", "unavailable"]);
const TOPIC_KEYS = /(^|_)topic$/;

type Component = Record<string, unknown> & {platform: string};

/**
 * Every problem with these discovery payloads, rendered on `retained` (topic → the last payload
 * there, as HA would have received it). An empty list: HA takes them all as meant.
 */
export function checkDiscovery(
  payloads: Array<{topic: string; payload: Record<string, unknown>}>,
  retained: Map<string, string>,
): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const {topic, payload} of payloads) {
    const where = topic.split("/").slice(-2, -1)[0] ?? topic;
    for (const p of discoveryProblems(payload)) problems.push(`${where}: ${p}`);
    for (const a of (payload.availability as Array<Record<string, unknown>> | undefined) ?? [])
      problems.push(...renderChecks(`${where} availability`, a, retained, {value_template: "availability"}));
    for (const [key, c] of Object.entries(payload.components as Record<string, Component>)) {
      if (Object.keys(c).length === 1) continue; // a removal
      const name = `${where}.${key}`;
      if (typeof c.unique_id === "string") {
        const other = ids.get(c.unique_id);
        if (other) problems.push(`${name}: unique_id '${c.unique_id}' is also ${other}'s`);
        ids.set(c.unique_id, name);
      }
      problems.push(...componentRules(name, c), ...templateChecks(name, c, retained));
    }
  }
  return problems;
}

function componentRules(name: string, c: Component): string[] {
  const out: string[] = [];
  const fail = (message: string) => out.push(`${name}: ${message}`);
  for (const [key, value] of Object.entries(c)) {
    if (!TOPIC_KEYS.test(key)) continue;
    if (typeof value !== "string" || value === "") fail(`${key} must be a topic`);
    else if (/[+#]/.test(value)) fail(`${key} '${value}' has a wildcard`);
  }
  if (c.entity_category === "config" && READ_ONLY.has(c.platform)) fail(`a ${c.platform} cannot be a config entity`);
  const options = c.options as unknown[] | undefined;
  if (options !== undefined) {
    if (!Array.isArray(options) || options.length === 0) fail("an empty options list is not allowed");
    else {
      if (new Set(options).size !== options.length) fail("options repeat");
      for (const o of options) if (HA_STATES.has(String(o))) fail(`option '${o}' is one of HA's own states`);
    }
  }
  const dc = c.device_class as string | undefined;
  const unit = c.unit_of_measurement as string | undefined;
  if (c.platform === "sensor") {
    if (options !== undefined && (c.state_class || unit))
      fail("options are not allowed together with state_class or unit_of_measurement");
    if (options !== undefined && dc !== "enum") fail(`options must go with device class enum, got '${dc}'`);
    if (dc === "enum" && options === undefined) fail("an enum sensor needs its options");
    if (dc && NO_UNIT_CLASSES.has(dc) && (unit || c.state_class))
      fail(`device class ${dc} takes no unit or state class`);
  }
  if ((c.platform === "sensor" || c.platform === "number") && dc && unit !== undefined) {
    const units = DEVICE_CLASS_UNITS[dc];
    if (units && !units.includes(unit)) fail(`unit '${unit}' is not valid with device class ${dc}`);
  }
  if (c.platform === "sensor" && dc && DEVICE_CLASS_UNITS[dc] && unit === undefined)
    fail(`device class ${dc} needs a unit (${DEVICE_CLASS_UNITS[dc]?.join(", ")})`);
  if (c.platform === "binary_sensor" && dc && !BINARY_CLASSES.has(dc)) fail(`'${dc}' is no binary_sensor device class`);
  if (c.platform === "button" && dc && !BUTTON_CLASSES.has(dc)) fail(`'${dc}' is no button device class`);
  if (c.platform === "switch" && dc && !SWITCH_CLASSES.has(dc)) fail(`'${dc}' is no switch device class`);
  if (c.platform === "update" && dc && !UPDATE_CLASSES.has(dc)) fail(`'${dc}' is no update device class`);
  if (c.platform === "number") {
    const min = (c.min as number | undefined) ?? 1;
    const max = (c.max as number | undefined) ?? 100;
    if (!(min < max)) fail(`min ${min} must be below max ${max}`);
    if (c.step !== undefined && !((c.step as number) > 0)) fail("step must be above 0");
  }
  if (c.platform === "light" && c.schema !== "template") fail("only the template schema is checked here");
  if (c.platform === "image" && (c.url_topic === undefined) === (c.image_topic === undefined))
    fail("an image needs url_topic or image_topic, not both");
  if (c.platform === "notify" && (c.retain ?? c.ret) === true)
    fail("a retained notify message would be delivered again on every reconnect");
  if (c.platform === "event" && !(Array.isArray(c.event_types) && c.event_types.length)) fail("event_types is empty");
  if (c.platform === "device_automation" && c.automation_type !== "trigger") fail("automation_type must be trigger");
  return out;
}

/**
 * Which rendered value fits which entity; `undefined` when anything goes. A check answers true,
 * false (HA refuses the value), or what goes wrong with it in words.
 */
function accepts(c: Component, key: string): ((v: string) => boolean | string) | undefined {
  const none = (v: string) => v === "None";
  const numeric = (v: string) => none(v) || (v.trim() !== "" && Number.isFinite(Number(v)));
  if (key === "json_attributes_template")
    return (v) => {
      const parsed = JSON.parse(v) as unknown;
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
    };
  if (key === "availability") return (v) => ["online", "offline"].includes(v);
  if (key === "url_template") return (v) => /^https?:\/\//.test(v);
  if (key === "state_template") return (v) => ["on", "off", "None"].includes(v);
  if (["red_template", "green_template", "blue_template"].includes(key)) return numeric;
  if (key === "brightness_template") return (v) => Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 255;
  if (key !== "value_template") return undefined;
  const options = c.options as string[] | undefined;
  switch (c.platform) {
    case "sensor":
      if (c.device_class === "enum") return (v) => none(v) || (options ?? []).includes(v);
      if (c.device_class === "timestamp") return (v) => none(v) || !Number.isNaN(Date.parse(v));
      if (c.state_class || NUMERIC_SENSOR_CLASSES.has(c.device_class as string)) return numeric;
      return (v) => v !== "";
    case "number":
      return (v) =>
        none(v) || (numeric(v) && Number(v) >= ((c.min as number) ?? 1) && Number(v) <= ((c.max as number) ?? 100));
    case "select":
      return (v) => none(v) || (options ?? []).includes(v);
    case "binary_sensor":
      return (v) => [c.payload_on ?? "ON", c.payload_off ?? "OFF", "None"].includes(v);
    case "switch":
      return (v) => [c.state_on ?? c.payload_on ?? "ON", c.state_off ?? c.payload_off ?? "OFF", "None"].includes(v);
    case "time":
      return (v) => none(v) || /^\d{2}:\d{2}(:\d{2})?$/.test(v);
    case "update":
      return (v) => updateStateProblem(c, v) ?? true;
    default:
      return undefined;
  }
}

const UPDATE_TEXTS = [
  "installed_version",
  "latest_version",
  "title",
  "release_summary",
  "release_url",
  "entity_picture",
];

/**
 * An update entity's rendered state as mqtt/update.py reads it: "" and "{}" are ignored; a JSON
 * object gives its fields; anything else is taken whole as the installed version. HA's update
 * entity (update/__init__.py) has no state unless it knows both an installed and a latest
 * version, and the latest comes from this state or from latest_version_topic.
 */
function updateStateProblem(c: Component, v: string): string | undefined {
  if (v === "" || v === "{}") return undefined;
  let fields: Record<string, unknown>;
  try {
    const parsed = JSON.parse(v) as unknown;
    fields =
      typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {installed_version: v};
  } catch {
    fields = {installed_version: v};
  }
  for (const k of UPDATE_TEXTS)
    if (Object.hasOwn(fields, k) && typeof fields[k] !== "string")
      return `which gives HA ${k} ${JSON.stringify(fields[k])}: it must be a text`;
  if (!Object.hasOwn(fields, "installed_version"))
    return "which gives HA no installed_version: the update entity stays unknown";
  if (!Object.hasOwn(fields, "latest_version") && c.latest_version_topic === undefined)
    return "which gives HA no latest_version (and there is no latest_version_topic): the update entity stays unknown";
  return undefined;
}

const STATE_TEMPLATES = [
  "value_template",
  "state_template",
  "red_template",
  "green_template",
  "blue_template",
  "brightness_template",
];

function templateChecks(name: string, c: Component, retained: Map<string, string>): string[] {
  if (c.platform === "device_automation" || c.platform === "event" || c.platform === "tag") return [];
  const keys: Record<string, string> = {};
  for (const key of STATE_TEMPLATES) if (c[key] !== undefined) keys[key] = "state_topic";
  if (c.json_attributes_template !== undefined) keys.json_attributes_template = "json_attributes_topic";
  if (c.url_template !== undefined) keys.url_template = "url_topic";
  const out = renderChecks(name, c, retained, keys);
  for (const a of (c.availability as Array<Record<string, unknown>> | undefined) ?? [])
    out.push(...renderChecks(`${name} availability`, a, retained, {value_template: "availability"}));
  out.push(...commandChecks(name, c));
  return out;
}

/** Render each template on the retained payload of its topic and check what comes out. */
function renderChecks(
  name: string,
  c: Record<string, unknown>,
  retained: Map<string, string>,
  keys: Record<string, string>,
): string[] {
  const out: string[] = [];
  for (const [key, topicKey] of Object.entries(keys)) {
    const template = c[key];
    if (typeof template !== "string") continue;
    const topic = (topicKey === "availability" ? c.topic : c[topicKey]) as string | undefined;
    const payload = topic ? retained.get(topic) : undefined;
    if (payload === undefined) {
      out.push(`${name}: nothing retained on '${topic}' to render ${key} on`);
      continue;
    }
    out.push(...missingKeys(name, key, template, payload));
    let rendered: string;
    try {
      rendered = renderValueTemplate(template, payload).trim();
    } catch (err) {
      out.push(`${name}: ${key} fails on the retained state: ${reason(err)}`);
      continue;
    }
    const ok = accepts(c as Component, topicKey === "availability" ? "availability" : key);
    let verdict: boolean | string = true;
    try {
      verdict = ok ? ok(rendered) : true;
    } catch {
      verdict = false;
    }
    if (verdict === false)
      out.push(`${name}: ${key} renders '${rendered}', which HA does not take for a ${String(c.platform ?? "topic")}`);
    else if (typeof verdict === "string") out.push(`${name}: ${key} renders '${rendered}', ${verdict}`);
  }
  return out;
}

/**
 * `value_json.<key>` where the payload has no such key: HA's template environment makes it an
 * undefined value, and it logs a template warning wherever that value is printed, iterated or
 * tested (jinja's `default` hides it only in some of those). The payload should carry every key
 * its templates name (null when empty), unless the template asks `is defined` first.
 */
function missingKeys(name: string, key: string, template: string, payload: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return [];
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return [];
  const named = new Set([...template.matchAll(/value_json\.([A-Za-z_]\w*)/g)].map((m) => m[1] as string));
  return [...named]
    .filter((k) => !Object.hasOwn(json, k) && !template.includes(`value_json.${k} is defined`))
    .map((k) => `${name}: ${key} names value_json.${k}, which the payload leaves out`);
}

/** Command templates must make what the bridge parses: JSON where they look like JSON. */
function commandChecks(name: string, c: Component): string[] {
  const samples: Array<[string, Record<string, unknown>]> = [];
  const first = (c.options as string[] | undefined)?.[0] ?? `it's "quoted"`;
  if (typeof c.command_template === "string") samples.push(["command_template", {value: first}]);
  if (typeof c.command_on_template === "string") {
    samples.push(["command_on_template", {state: true, red: 255, green: 128, blue: 0, brightness: 128}]);
    samples.push(["command_on_template", {state: true, brightness: 10}]);
    samples.push(["command_on_template", {state: true}]);
  }
  if (typeof c.command_off_template === "string") samples.push(["command_off_template", {state: false}]);
  const out: string[] = [];
  for (const [key, variables] of samples) {
    try {
      const text = renderCommandTemplate(c[key] as string, variables).trim();
      if (text.startsWith("{")) JSON.parse(text);
    } catch (err) {
      out.push(`${name}: ${key} with ${JSON.stringify(variables)} makes no JSON: ${reason(err)}`);
    }
  }
  return out;
}

/** nunjucks wraps the cause under "(unknown path)" lines: the last line is the reason. */
function reason(err: unknown): string {
  const lines = String((err as Error).message ?? err)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.pop() ?? "").replace(/^Error: /, "");
}
