import {parse} from "yaml";
import {ADDON_PORTS, ENV_PREFIX} from "./load.js";
import {configSchema, defaultConfig, type OptionName} from "./schema.js";

/**
 * docs/options.md, made from the schema (types, ranges, defaults) and translations/en.yaml (the
 * names and descriptions the add-on's Configuration tab shows), so the reference cannot drift from
 * either: `npm run docs:options` writes it and a unit test fails when the file differs.
 */

interface Translation {
  name: string;
  description: string;
}

type Property = {
  type?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  items?: Property;
};

/**
 * Options the add-on does not offer (it fixes them: the ports in the container, `/data`), so the
 * Configuration tab has no text for them; they matter only outside Home Assistant.
 */
const OUTSIDE_ONLY: Readonly<Record<string, Translation>> = {
  data_dir: {name: "Data folder", description: "Where the service keeps its state, uploads and history."},
  audio_port: {name: "Audio port", description: "The port Yoto players fetch audio from (signed links only)."},
  ingress_port: {name: "Panel port", description: "The port of the panel and the admin API."},
  embedded_broker_port: {name: "Built-in broker port", description: "The port of the built-in MQTT broker."},
};

/** The Configuration tab's text for each option; an option without one is an error naming it. */
function translations(enYaml: string): Record<string, Translation> {
  const doc = parse(enYaml) as {configuration?: Record<string, Translation>};
  const texts: Record<string, Translation> = {...OUTSIDE_ONLY, ...doc.configuration};
  for (const option of Object.keys(configSchema.properties))
    if (!Object.hasOwn(texts, option) || !texts[option]?.name || !texts[option]?.description)
      throw new Error(`translations/en.yaml has no name and description for '${option}': add them under configuration`);
  return texts;
}

function kind(p: Property): string {
  if (p.enum) return `one of ${p.enum.map((v) => `\`${v}\``).join(", ")}`;
  if (p.type === "boolean") return "on or off";
  if (p.type === "integer") return `a whole number from ${p.minimum} to ${p.maximum}`;
  if (p.type === "array" && p.items) return `a list, each ${kind(p.items)}`;
  if (p.pattern) return `text matching \`${p.pattern}\``;
  return p.minLength ? `text of at least ${p.minLength} character${p.minLength === 1 ? "" : "s"}` : "text";
}

function shown(value: unknown): string {
  if (value === undefined) return "empty";
  if (Array.isArray(value)) return value.length ? value.map((v) => `\`${v}\``).join(", ") : "empty";
  if (typeof value === "boolean") return value ? "on" : "off";
  return `\`${String(value)}\``;
}

/** Where the add-on, on the host's network, takes each port from instead (src/app/addonPorts.ts). */
const IN_THE_ADDON: Record<keyof typeof ADDON_PORTS, string> = {
  ingress_port: "in the add-on the Supervisor picks a free port for the panel",
  audio_port: "in the add-on the host port set for 8080/tcp on the Network tab (8080 unless changed)",
  embedded_broker_port:
    "in the add-on the host port set for 1883/tcp on the Network tab; unset, the built-in broker is on this machine only",
};

function defaults(option: OptionName): string {
  const addon = (defaultConfig(true) as unknown as Record<string, unknown>)[option];
  const plain = (defaultConfig(false) as unknown as Record<string, unknown>)[option];
  if (Object.hasOwn(ADDON_PORTS, option)) return `${shown(plain)}; ${IN_THE_ADDON[option as keyof typeof ADDON_PORTS]}`;
  if (shown(addon) === shown(plain)) return shown(addon);
  return `${shown(addon)} in the add-on, ${shown(plain)} outside Home Assistant`;
}

export function optionsReference(enYaml: string): string {
  const texts = translations(enYaml);
  const options = Object.keys(configSchema.properties) as OptionName[];
  const lines = [
    "# Options reference",
    "",
    "<!-- Made by `npm run docs:options` from src/config/schema.ts and translations/en.yaml: edit those, not this file. -->",
    "",
    "Every option the add-on's **Configuration** tab shows, with the same name and description. Outside",
    "Home Assistant each is also a flag, an environment variable or a key in the `--options` file (see",
    "[Options, audio and your data](configuration.md#options)).",
    "",
    "| Option | Name | Default |",
    "|---|---|---|",
    ...options.map((o) => `| [\`${o}\`](#${o}) | ${texts[o]?.name} | ${defaults(o)} |`),
  ];
  for (const option of options) {
    const text = texts[option] as Translation;
    lines.push(
      "",
      `## ${option}`,
      "",
      `**${text.name}.** ${text.description.trim()}${Object.hasOwn(OUTSIDE_ONLY, option) ? " Not on the Configuration tab: the add-on sets it." : ""}`,
      "",
      `- Value: ${kind(configSchema.properties[option] as Property)}`,
      `- Default: ${defaults(option)}`,
      `- Outside Home Assistant: \`--${option}\`, \`${ENV_PREFIX}${option.toUpperCase()}\` or \`${option}\` in the options file`,
    );
  }
  return `${lines.join("\n")}\n`;
}
