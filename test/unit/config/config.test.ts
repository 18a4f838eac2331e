import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {ConfigError, loadConfig} from "../../../src/config/load.js";
import {tempDir} from "../../helpers/tmp.js";

const NO_HA = "/nonexistent/options.json";

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.errors;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("uses the standalone defaults with no sources", () => {
    const {config, homeAssistant} = loadConfig({env: {}, haOptionsPath: NO_HA});
    expect(homeAssistant).toBe(false);
    expect(config).toMatchObject({
      log_level: "info",
      mqtt_mode: "auto",
      base_topic: "yoto",
      discovery_prefix: "homeassistant",
      media_dirs: ["./media"],
      rules_dir: "data/rules",
      data_dir: "./data",
      audio_port: 8080,
      ingress_port: 8099,
      embedded_broker_port: 1883,
      audio_normalize: true,
    });
    expect(config.public_url).toBeUndefined();
    // Rules follow a moved data folder unless they are given themselves.
    const moved = loadConfig({argv: ["--data_dir", "/srv/yss"], env: {}, haOptionsPath: NO_HA}).config;
    expect(moved.rules_dir).toBe("/srv/yss/rules");
    const own = loadConfig({argv: ["--data_dir", "/srv/yss", "--rules_dir", "./mine"], env: {}, haOptionsPath: NO_HA});
    expect(own.config.rules_dir).toBe("./mine");
  });

  it("reads /data/options.json as Home Assistant does and switches to add-on paths", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "options.json");
    await writeFile(file, JSON.stringify({log_level: "debug", public_url: null, media_dirs: ["/media/stories"]}));
    const {config, homeAssistant} = loadConfig({env: {}, haOptionsPath: file});
    expect(homeAssistant).toBe(true);
    expect(config.log_level).toBe("debug");
    expect(config.public_url).toBeUndefined();
    expect(config.media_dirs).toEqual(["/media/stories"]);
    expect(config.rules_dir).toBe("/config/rules");
    expect(config.data_dir).toBe("/data");
  });

  it("layers options file < env < flags, coercing strings to the schema's types", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "opts.yaml");
    await writeFile(file, "audio_port: 9000\nlog_level: warning\nssl: false\n");
    const {config, origins} = loadConfig({
      argv: ["--options", file, "--audio-port=9002", "--ssl", "--media_dirs", "/a, /b"],
      env: {
        YSS_AUDIO_PORT: "9001",
        YSS_LOG_LEVEL: "error",
        YSS_AUDIO_NORMALIZE: "off",
        YSS_TRUSTED_PROXIES: '["10.0.0.1"]',
      },
      haOptionsPath: NO_HA,
    });
    expect(config.audio_port).toBe(9002);
    expect(config.log_level).toBe("error");
    expect(config.ssl).toBe(true);
    expect(config.audio_normalize).toBe(false);
    expect(config.media_dirs).toEqual(["/a", "/b"]);
    expect(config.trusted_proxies).toEqual(["10.0.0.1"]);
    expect(origins.audio_port).toBe("flag --audio_port");
    expect(origins.log_level).toBe("env YSS_LOG_LEVEL");
  });

  it("reports every error at once as 'path message', naming where each value came from", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "options.json");
    await writeFile(file, JSON.stringify({log_level: "verbose", colour: "blue", media_dirs: ["ok", 5]}));
    const errors = errorsOf(() =>
      loadConfig({
        argv: ["--options", file, "--audio_port", "70000", "--public_url", "yoto.example.com"],
        env: {YSS_INGRESS_PORT: "eighty", YSS_FROBNICATE: "1", YSS_MQTT_MODE: "external"},
        haOptionsPath: NO_HA,
      }),
    );
    expect(errors).toEqual([
      `colour is not a known option (from options file '${file}')`,
      "frobnicate is not a known option (from env YSS_FROBNICATE)",
      `log_level must be one of: debug, info, warning, error (from options file '${file}')`,
      "public_url must be an http:// or https:// URL such as https://yoto.example.com (from flag --public_url)",
      `media_dirs[1] must be string (from options file '${file}')`,
      "audio_port must be <= 65535 (from flag --audio_port)",
      "ingress_port must be integer (from env YSS_INGRESS_PORT)",
      "mqtt_url is required when mqtt_mode is 'external'",
    ]);
  });

  it("reads fetch_allow from a flag, the environment and an options file, and names a malformed entry", async () => {
    expect(loadConfig({env: {}, haOptionsPath: NO_HA}).config.fetch_allow).toEqual([]);
    expect(
      loadConfig({argv: ["--fetch_allow", "127.0.0.1,nas.local"], env: {}, haOptionsPath: NO_HA}).config.fetch_allow,
    ).toEqual(["127.0.0.1", "nas.local"]);
    expect(
      loadConfig({env: {YSS_FETCH_ALLOW: "192.168.1.0/24, podcasts.lan:8000"}, haOptionsPath: NO_HA}).config
        .fetch_allow,
    ).toEqual(["192.168.1.0/24", "podcasts.lan:8000"]);
    const file = path.join(await tempDir("yss-config-"), "options.json");
    await writeFile(file, JSON.stringify({fetch_allow: ["nas.local"]}));
    expect(loadConfig({env: {}, haOptionsPath: file}).config.fetch_allow).toEqual(["nas.local"]);
    expect(errorsOf(() => loadConfig({argv: ["--fetch_allow", "10.0.0.0/33"], env: {}, haOptionsPath: NO_HA}))).toEqual(
      ["fetch_allow entry '10.0.0.0/33' is not a CIDR range (like 192.168.1.0/24)"],
    );
  });

  it("rejects unknown flags and stray arguments", () => {
    expect(errorsOf(() => loadConfig({argv: ["--colour", "red", "extra"], env: {}, haOptionsPath: NO_HA}))).toEqual([
      "unexpected argument 'extra' (options are given as --name value)",
      "colour is not a known option (from flag --colour)",
    ]);
  });

  it("explains a missing or malformed options file", async () => {
    const dir = await tempDir();
    const missing = path.join(dir, "nope.json");
    expect(errorsOf(() => loadConfig({argv: ["--options", missing], env: {}, haOptionsPath: NO_HA}))).toEqual([
      `options file '${missing}' does not exist`,
    ]);
    const list = path.join(dir, "list.yaml");
    await writeFile(list, "- a\n- b\n");
    expect(errorsOf(() => loadConfig({argv: ["--options", list], env: {}, haOptionsPath: NO_HA}))).toEqual([
      `options file '${list}' must hold a mapping of option names to values`,
    ]);
  });

  it("refuses the same port for both listeners and short API tokens", () => {
    expect(
      errorsOf(() =>
        loadConfig({argv: ["--audio_port", "8099", "--api_token", "short"], env: {}, haOptionsPath: NO_HA}),
      ),
    ).toEqual([
      "api_token must NOT have fewer than 16 characters (from flag --api_token)",
      "audio_port and ingress_port must differ (both are 8099)",
    ]);
  });

  it("serves the renderers by default on their own port, moved by YSS_UPNP_PORT and YSS_SSDP_PORT", () => {
    const plain = loadConfig({env: {}, haOptionsPath: NO_HA}).config;
    expect([plain.upnp, plain.upnp_port, plain.ssdp_port, plain.upnp_allow]).toEqual([true, 8098, 1900, []]);
    const moved = loadConfig({
      env: {YSS_UPNP_PORT: "0", YSS_SSDP_PORT: "0", YSS_UPNP: "off", YSS_UPNP_ALLOW: "100.64.0.0/10, 203.0.113.7"},
      haOptionsPath: NO_HA,
    }).config;
    expect([moved.upnp, moved.upnp_port, moved.ssdp_port, moved.upnp_allow]).toEqual([
      false,
      0,
      0,
      ["100.64.0.0/10", "203.0.113.7"],
    ]);
    expect(errorsOf(() => loadConfig({env: {YSS_SSDP_PORT: "70000"}, haOptionsPath: NO_HA}))).toEqual([
      "ssdp_port must be <= 65535 (from env YSS_SSDP_PORT)",
    ]);
  });

  it("refuses a renderer port another listener uses, unless the renderers are off", () => {
    expect(errorsOf(() => loadConfig({argv: ["--upnp_port", "8080"], env: {}, haOptionsPath: NO_HA}))).toEqual([
      "upnp_port and audio_port must differ (both are 8080): pick a free port for upnp_port",
    ]);
    expect(errorsOf(() => loadConfig({argv: ["--upnp_port", "1883"], env: {}, haOptionsPath: NO_HA}))).toEqual([
      "upnp_port and embedded_broker_port must differ (both are 1883): pick a free port for upnp_port",
    ]);
    const off = loadConfig({argv: ["--upnp_port", "8099", "--upnp", "false"], env: {}, haOptionsPath: NO_HA});
    expect(off.config.upnp_port).toBe(8099);
  });

  it("keeps the ports the add-on manifest fixes, saying why an options file's other ports are ignored", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "options.json");
    await writeFile(file, JSON.stringify({audio_port: 9000, ingress_port: 8099, embedded_broker_port: 1884}));
    const {config, notices} = loadConfig({env: {}, haOptionsPath: file});
    expect([config.audio_port, config.ingress_port, config.embedded_broker_port]).toEqual([8080, 8099, 1883]);
    expect(notices).toEqual([
      `audio_port 9000 (from options file '${file}') is ignored in the add-on, which uses the host port chosen in the add-on's Network settings`,
      `embedded_broker_port 1884 (from options file '${file}') is ignored in the add-on, which uses the host port chosen in the add-on's Network settings`,
    ]);
    // Outside the add-on the same options file moves them.
    const plain = loadConfig({argv: ["--options", file], env: {}, haOptionsPath: path.join(dir, "none.json")});
    expect([plain.config.audio_port, plain.config.embedded_broker_port, plain.notices]).toEqual([9000, 1884, []]);
    // A flag (running the image elsewhere) still can.
    const flagged = loadConfig({argv: ["--audio_port", "9100"], env: {SUPERVISOR_TOKEN: "t"}, haOptionsPath: file});
    expect([flagged.config.audio_port, flagged.notices.length]).toEqual([9100, 1]);
  });

  it("treats SUPERVISOR_TOKEN as running inside Home Assistant", () => {
    const {homeAssistant, config} = loadConfig({env: {SUPERVISOR_TOKEN: "abc"}, haOptionsPath: NO_HA});
    expect(homeAssistant).toBe(true);
    expect(config.media_dirs).toEqual(["/media/yoto"]);
  });
});
