import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {configSchema, defaultConfig} from "../../../src/config/schema.js";
import {PACKAGE_ROOT} from "../../../src/paths.js";

const read = (file: string) => parse(readFileSync(path.join(PACKAGE_ROOT, file), "utf8"));
const manifest = read("config.yaml");
const translations = read("translations/en.yaml");
const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8"));
// The data folder is the Supervisor's /data in the add-on, and the ports are fixed by the manifest
// (the host ports are chosen under Network), so they are no add-on options.
const SERVICE_ONLY = ["data_dir", "ingress_port", "audio_port", "embedded_broker_port"];
const serviceOptions = Object.keys(configSchema.properties).filter((k) => !SERVICE_ONLY.includes(k));
const properties = configSchema.properties as Record<string, Record<string, unknown>>;

/** What a Supervisor schema type (its grammar: `port`, `int(1,10)`, `list(a|b)?` …) means as JSON schema. */
function supervisorType(type: unknown): {optional: boolean; json: Record<string, unknown>} {
  if (Array.isArray(type)) {
    const item = supervisorType(type[0]);
    return {optional: false, json: {type: "array", items: item.json}};
  }
  const text = String(type);
  const optional = text.endsWith("?");
  const bare = optional ? text.slice(0, -1) : text;
  const m = /^(\w+)(?:\((.*)\))?$/.exec(bare);
  if (!m) throw new Error(`not a Supervisor type: ${text}`);
  const [, name, args] = m;
  const range = (args ?? ",").split(",").map((n) => (n === "" ? undefined : Number(n)));
  switch (name) {
    case "bool":
      return {optional, json: {type: "boolean"}};
    case "port":
      return {optional, json: {type: "integer", maximum: 65535}};
    case "int":
      return {optional, json: {type: "integer", minimum: range[0], maximum: range[1]}};
    case "url":
      return {optional, json: {type: "string", pattern: "^https?://"}};
    case "list":
      return {optional, json: {enum: (args as string).split("|")}};
    case "match":
      return {optional, json: {type: "string", pattern: args}};
    case "str":
    case "password":
      return {optional, json: {type: "string", minLength: range[0]}};
    default:
      throw new Error(`unexpected Supervisor type '${name}'`);
  }
}

describe("the add-on manifest", () => {
  it("has every key the Supervisor reads (DOCS.md, 'Install')", () => {
    expect(manifest).toMatchObject({
      name: "Yoto Smart Stream",
      version: pkg.version,
      slug: "yoto_smart_stream",
      arch: ["aarch64", "amd64"],
      init: false,
      startup: "application",
      ingress: true,
      // On the host's network (SSDP multicast reaches the home network) the Supervisor picks the
      // ingress port, and the service listens on the Network tab's host ports itself.
      host_network: true,
      ingress_port: 0,
      services: ["mqtt:want"],
      map: ["addon_config:rw", "media:ro", "ssl:ro"],
      ports: {"8080/tcp": 8080, "1883/tcp": null},
      watchdog: "tcp://[HOST]:[PORT:8080]",
    });
    for (const key of ["description", "url", "panel_icon", "panel_title"])
      expect(manifest[key]).toEqual(expect.any(String));
    expect(manifest.backup_exclude.length).toBeGreaterThan(0);
  });

  it("keeps every listener's default port clear of what usually runs on a Home Assistant host", () => {
    // Home Assistant 8123; Mosquitto 1883/1884/8883/8884; MiniDLNA 8200; Music Assistant 8094/8095/8097,
    // 3483, 9000, 9090, 8927; OpenThread Border Router 8080/8081 (Network tab: 8080 only when no OTBR);
    // ESPHome 6052; Node-RED 1880; Z-Wave JS UI 8091, 3000; Matter Server 5580; go2rtc 1984, 8554, 8555.
    const taken = [8123, 1883, 1884, 8883, 8884, 8200, 8094, 8095, 8097, 3483, 9000, 9090, 8927, 8081, 6052, 1880];
    const more = [8091, 3000, 5580, 1984, 8554, 8555];
    const defaults = defaultConfig(true);
    expect([...taken, ...more].filter((p) => p === defaults.upnp_port)).toEqual([]);
    // The Supervisor picks the panel's port in its own range (62000-65500): no listener may be mapped there.
    for (const hostPort of Object.values(manifest.ports as Record<string, number | null>))
      if (hostPort !== null) expect(hostPort < 62000 || hostPort > 65500).toBe(true);
    // The built-in broker is off the host's network by default (1883 there is Mosquitto's).
    expect(manifest.ports["1883/tcp"]).toBeNull();
    expect([defaults.upnp_port, defaults.ssdp_port]).toEqual([manifest.options.upnp_port, 1900]);
  });

  it("offers exactly the service's options, with the service's types and the add-on defaults", () => {
    expect(Object.keys(manifest.schema).sort()).toEqual([...serviceOptions].sort());
    const defaults = defaultConfig(true) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(manifest.options)) expect([key, value]).toEqual([key, defaults[key]]);
    for (const key of serviceOptions) {
      const {optional, json} = supervisorType(manifest.schema[key]);
      const ours = properties[key] as Record<string, unknown>;
      // Optional in the add-on form exactly when the service does not require it.
      expect([key, optional]).toEqual([key, !(configSchema.required as readonly string[]).includes(key)]);
      expect([key, key in manifest.options]).toEqual([key, !optional]);
      if (json.enum) expect([key, ours.enum]).toEqual([key, json.enum]);
      else expect([key, ours.type]).toEqual([key, json.type]);
      if (json.maximum !== undefined) expect([key, ours.maximum]).toEqual([key, json.maximum]);
      if (json.minimum !== undefined) expect([key, ours.minimum]).toEqual([key, json.minimum]);
      if (json.type === "string" && json.pattern && key !== "public_url")
        expect([key, ours.pattern]).toEqual([key, json.pattern]);
      if (key === "public_url") expect(String(ours.pattern)).toMatch(/^\^https\?:\/\//);
      if (json.minLength !== undefined) expect([key, ours.minLength]).toEqual([key, json.minLength]);
    }
  });

  it("names and describes every option and port in translations/en.yaml", () => {
    expect(Object.keys(translations.configuration).sort()).toEqual(Object.keys(manifest.schema).sort());
    for (const [key, entry] of Object.entries(
      translations.configuration as Record<string, {name: string; description: string}>,
    )) {
      expect([key, typeof entry.name, entry.description?.length > 20]).toEqual([key, "string", true]);
    }
    expect(Object.keys(translations.network).sort()).toEqual(Object.keys(manifest.ports).sort());
  });
});
