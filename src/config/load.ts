import {existsSync} from "node:fs";
import path from "node:path";
import {Ajv, type ErrorObject} from "ajv";
import {type BoundedText, overLimit, readTextUpToSync} from "../core/boundedRead.js";
import {parseBoundedYaml} from "../core/boundedYaml.js";
import {didYouMean} from "../core/closest.js";
import {errorMessage} from "../core/errors.js";
import {FetchPolicy} from "../core/fetchPolicy.js";
import {ownEntry, setOwn} from "../core/ownKeys.js";
import {type Config, configSchema, defaultConfig, type OptionName} from "./schema.js";

/** Where the Supervisor writes the user's add-on options. */
export const HA_OPTIONS_PATH = "/data/options.json";
export const ENV_PREFIX = "YSS_";
/** The Supervisor's options.json is a few hundred bytes; anything near this is not an options file. */
const OPTIONS_FILE_MAX_BYTES = 1024 * 1024;

export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid configuration:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface ConfigSources {
  /** Option flags only: `--audio_port 9000`, `--audio-port=9000`, `--ssl`, `--options FILE`. */
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Overridable so tests can play the Supervisor without writing to `/data`. */
  haOptionsPath?: string;
}

export interface LoadedConfig {
  config: Config;
  homeAssistant: boolean;
  /** Which source set each non-default option, for error messages and `--help`. */
  origins: Partial<Record<string, string>>;
  /** Options given but overruled (ports the add-on fixes), each saying why: logged at start. */
  notices: string[];
}

/**
 * Inside the add-on these ports are not options: on the host's network it listens on the ports the
 * Supervisor names at start (the ingress port it picks, the host ports chosen in the add-on's
 * Network settings; src/app/addonPorts.ts). These are what stand until then, or without a Supervisor.
 */
export const ADDON_PORTS = {ingress_port: 8099, audio_port: 8080, embedded_broker_port: 1883} as const;
const ADDON_PORT_SOURCE: Record<keyof typeof ADDON_PORTS, string> = {
  ingress_port: "the port the Supervisor picks for the panel",
  audio_port: "the host port chosen in the add-on's Network settings",
  embedded_broker_port: "the host port chosen in the add-on's Network settings",
};

type Layer = {origin: (key: string) => string; values: Record<string, unknown>};

const ajv = new Ajv({allErrors: true, strict: true});
const validate = ajv.compile(configSchema);
const properties: Record<string, {type?: string; enum?: readonly string[]}> = configSchema.properties;

// Patterns are precise but unreadable; say what the user should type instead.
const PATTERN_HINTS: Partial<Record<OptionName, string>> = {
  public_url: "must be an http:// or https:// URL such as https://yoto.example.com",
  mqtt_url: "must be a broker URL such as mqtt://192.168.1.10:1883",
  base_topic: "must not contain '#', '+' or spaces",
  discovery_prefix: "must not contain '#', '+' or spaces",
  allowed_hosts: "must be a host name such as yoto.example.com, without a scheme or path",
};

/** Merge defaults → options file → `YSS_*` env → flags, validate, and return a typed Config. */
export function loadConfig(sources: ConfigSources = {}): LoadedConfig {
  const env = sources.env ?? {};
  const errors: string[] = [];
  const haOptionsPath = sources.haOptionsPath ?? HA_OPTIONS_PATH;
  const flags = parseFlags(sources.argv ?? [], errors);
  const optionsFile = flags.optionsFile ?? (existsSync(haOptionsPath) ? haOptionsPath : undefined);
  const homeAssistant = optionsFile === haOptionsPath || Boolean(env.SUPERVISOR_TOKEN);

  const layers: Layer[] = [];
  if (optionsFile) layers.push(readOptionsFile(optionsFile, errors));
  layers.push(envLayer(env));
  layers.push({origin: (key) => `flag --${key}`, values: flags.values});

  const merged: Record<string, unknown> = {...defaultConfig(homeAssistant)};
  const origins: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      // setOwn: an option named '__proto__' must be reported as unknown, not become the prototype.
      setOwn(merged, key, value);
      setOwn(origins, key, layer.origin(key));
    }
  }

  // Outside Home Assistant rules live with the rest of the state (docs/rules.md, "Rules"): a fresh start gets an
  // example that validates, not the repository's demo rules, which need the demo's audio.
  if (!homeAssistant && !ownEntry(origins, "rules_dir") && typeof merged.data_dir === "string")
    merged.rules_dir = path.join(merged.data_dir, "rules");
  const notices: string[] = [];
  if (homeAssistant) {
    // The Supervisor's options (and older installs' saved ones) cannot move them; an explicit flag
    // or YSS_ variable can, for running the image somewhere else.
    for (const [key, port] of Object.entries(ADDON_PORTS)) {
      const origin = ownEntry(origins, key);
      if (origin && !origin.startsWith("options file")) continue;
      if (merged[key] !== port && origin)
        notices.push(
          `${key} ${JSON.stringify(merged[key])} (from ${origin}) is ignored in the add-on, which uses ${ADDON_PORT_SOURCE[key as keyof typeof ADDON_PORTS]}`,
        );
      merged[key] = port;
    }
  }

  if (!validate(merged)) {
    for (const err of validate.errors ?? []) errors.push(formatAjvError(err, origins));
  }
  errors.push(...crossFieldErrors(merged as unknown as Config));
  if (errors.length > 0) throw new ConfigError(errors);
  return {config: merged as unknown as Config, homeAssistant, origins, notices};
}

function readOptionsFile(file: string, errors: string[]): Layer {
  const origin = () => `options file '${file}'`;
  let read: BoundedText;
  try {
    read = readTextUpToSync(file, OPTIONS_FILE_MAX_BYTES);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : (err as Error).message;
    errors.push(`options file '${file}' ${reason}`);
    return {origin, values: {}};
  }
  if (read.text === undefined) {
    const size = overLimit(read.size, OPTIONS_FILE_MAX_BYTES, "options files");
    errors.push(`options file '${file}' ${size}: it should hold only the add-on's options`);
    return {origin, values: {}};
  }
  const yaml = parseBoundedYaml(read.text);
  if (yaml.problem) {
    const {line, col, message} = yaml.problem;
    errors.push(`options file '${file}' line ${line}, column ${col}: ${message}`);
    return {origin, values: {}};
  }
  const parsed = yaml.content;
  if (parsed == null) return {origin, values: {}};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    errors.push(`options file '${file}' must hold a mapping of option names to values`);
    return {origin, values: {}};
  }
  // The Supervisor writes unset optional options as null; treat them as not given.
  const values = Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== null));
  return {origin, values};
}

function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const key = name.slice(ENV_PREFIX.length).toLowerCase();
    setOwn(values, key, coerce(key, raw));
  }
  return {origin: (key) => `env ${ENV_PREFIX}${key.toUpperCase()}`, values};
}

function parseFlags(argv: readonly string[], errors: string[]) {
  const values: Record<string, unknown> = {};
  let optionsFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      errors.push(`unexpected argument '${arg}' (options are given as --name value)`);
      continue;
    }
    const eq = arg.indexOf("=");
    const key = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)).replaceAll("-", "_");
    let raw: string;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith("--")) raw = argv[++i] as string;
    else raw = "true";
    if (key === "options") optionsFile = path.resolve(raw);
    else setOwn(values, key, coerce(key, raw));
  }
  return {values, optionsFile};
}

/** Env and flags are strings; turn them into the schema's type, leaving bad values for ajv to report. */
function coerce(key: string, raw: string): unknown {
  switch (ownEntry(properties, key)?.type) {
    case "integer":
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case "boolean": {
      const lowered = raw.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(lowered)) return true;
      if (["false", "0", "no", "off"].includes(lowered)) return false;
      return raw;
    }
    case "array":
      if (raw.trim().startsWith("[")) {
        try {
          return JSON.parse(raw);
        } catch {
          return raw;
        }
      }
      return raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

function formatAjvError(err: ErrorObject, origins: Record<string, string>): string {
  // "/media_dirs/0" → "media_dirs[0]"
  const segments = err.instancePath.split("/").slice(1);
  const key = segments[0] ?? "";
  const where = segments.map((s, i) => (i > 0 && /^\d+$/.test(s) ? `[${s}]` : i > 0 ? `.${s}` : s)).join("");
  let sentence: string;
  let originKey = key;
  if (err.keyword === "additionalProperties") {
    originKey = String(err.params.additionalProperty);
    sentence = `${originKey} is not a known option${didYouMean(originKey, Object.keys(properties))}`;
  } else if (err.keyword === "enum") {
    sentence = `${where} must be one of: ${(err.params.allowedValues as unknown[]).join(", ")}`;
  } else if (err.keyword === "pattern") {
    sentence = `${where} ${PATTERN_HINTS[key as OptionName] ?? err.message}`;
  } else {
    sentence = `${where} ${err.message}`;
  }
  const origin = ownEntry(origins, originKey);
  return origin ? `${sentence} (from ${origin})` : sentence;
}

function crossFieldErrors(config: Config): string[] {
  const errors: string[] = [];
  if (config.mqtt_mode === "external" && !config.mqtt_url) {
    errors.push("mqtt_url is required when mqtt_mode is 'external'");
  }
  try {
    new FetchPolicy(config.fetch_allow);
  } catch (err) {
    errors.push(errorMessage(err));
  }
  if (config.audio_port !== 0 && config.audio_port === config.ingress_port) {
    errors.push(`audio_port and ingress_port must differ (both are ${config.audio_port})`);
  }
  // The renderers' listener faces the home network only; sharing a port would put it on another listener.
  for (const other of ["audio_port", "ingress_port", "embedded_broker_port"] as const)
    if (config.upnp && config.upnp_port !== 0 && config.upnp_port === config[other])
      errors.push(`upnp_port and ${other} must differ (both are ${config.upnp_port}): pick a free port for upnp_port`);
  return errors;
}
