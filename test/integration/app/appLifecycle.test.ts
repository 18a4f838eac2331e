import net from "node:net";
import path from "node:path";
import Koa from "koa";
import {afterEach, describe, expect, it} from "vitest";
import {App} from "../../../src/app/app.js";
import {loadConfig} from "../../../src/config/load.js";
import {Logger} from "../../../src/core/logger.js";
import {readJson} from "../../../src/http/body.js";
import {HttpListener} from "../../../src/http/listener.js";
import {errorResponses} from "../../../src/http/middleware/errors.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function busyPort(): Promise<{port: number; close: () => Promise<void>}> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {port, close: () => new Promise((r) => server.close(() => r()))};
}

describe("App lifecycle", () => {
  it("reports every service in /api/health", async () => {
    t = await startApp();
    const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(health).toMatchObject({status: "ok", version: "test"});
    expect(Object.keys(health.services)).toEqual([
      "logs",
      "health",
      "store",
      "url-signer",
      "library",
      "open-files",
      "streams",
      "radio",
      "yoto-account",
      "yoto-players",
      "history",
      "player-exposure",
      "quiet-hours",
      "cards",
      "sources",
      "stories",
      "narration",
      "streamed-stories",
      "announcer",
      "feeds",
      "archive",
      "catalogue",
      "mqtt-broker",
      "media-players",
      "ha-bridge",
      "rules",
      "family-plan",
      "sleep-sounds",
      "device-links",
      "pictures",
      "voice",
      "assistants",
      "story-radio",
      "audio-http",
      "upnp-http",
      "upnp",
      "admin-http",
      "mcp",
    ]);
    expect(Object.values(health.services).every((s) => (s as {state: string}).state === "running")).toBe(true);
  });

  it("keeps running without MQTT when the embedded broker's port is taken, and says so in /api/health", async () => {
    const busy = await busyPort();
    try {
      t = await startApp(["--embedded_broker_port", String(busy.port)]);
      const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
      expect(health.status).toBe("degraded");
      expect(health.services["mqtt-broker"]).toMatchObject({
        state: "failed",
        error: expect.stringContaining("for the embedded MQTT broker is already in use"),
      });
      // The bridge never falls back to whatever else listens there.
      expect(health.services["ha-bridge"]).toEqual({
        state: "failed",
        error: "The embedded MQTT broker is not running (its start failed; see the log)",
      });
      expect(health.services.rules.state).toBe("running");
    } finally {
      await busy.close();
    }
  });

  it("keeps running without the DLNA renderers when their port is taken, and says which option moves them", async () => {
    const busy = await busyPort();
    try {
      t = await startApp(["--upnp_port", String(busy.port)]);
      const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
      expect(health.status).toBe("degraded");
      expect(health.services["upnp-http"]).toEqual({
        state: "failed",
        error: `port ${busy.port} is already in use: stop what uses it or choose another port with --upnp_port, YSS_UPNP_PORT or 'upnp_port' in the --options file`,
      });
      expect(health.services.upnp).toEqual({
        state: "failed",
        error: "the DLNA renderers are not announced: their listener (upnp-http) could not start",
      });
      expect(health.services["audio-http"].state).toBe("running");
      expect(health.services["ha-bridge"].state).toBe("running");
    } finally {
      await busy.close();
    }
  });

  it("refuses to start when a critical service fails, says why, and releases what it started", async () => {
    const busy = await busyPort();
    const dir = await tempDir();
    const {config} = loadConfig({
      argv: [
        "--data_dir",
        path.join(dir, "data"),
        "--media_dirs",
        dir,
        "--audio_port",
        String(busy.port),
        "--ingress_port",
        "0",
      ],
      env: {},
      haOptionsPath: path.join(dir, "none.json"),
    });
    const lines: string[] = [];
    const app = new App({config, host: "127.0.0.1", log: new Logger({sink: (l) => lines.push(l)})});
    await expect(app.start()).rejects.toThrow(
      `Cannot start: 'audio-http' failed (port ${busy.port} is already in use: stop what uses it or choose another port with --audio_port, YSS_AUDIO_PORT or 'audio_port' in the --options file)`,
    );
    const health = app.health();
    expect(health.status).toBe("failed");
    expect(health.services["audio-http"]).toMatchObject({state: "failed"});
    expect(health.services.store?.state).toBe("stopped");
    expect(health.services["admin-http"]?.state).toBe("stopped");
    await busy.close();
  });

  it("stops cleanly twice and can start again on the same data", async () => {
    t = await startApp();
    const {dataDir, mediaDir} = t;
    await t.stop();
    await t.stop();
    t = await startApp([], {dataDir, mediaDir});
    expect((await fetch(`${t.adminUrl}/api/health`)).status).toBe(200);
  });
});

describe("JSON request bodies", () => {
  async function echoServer() {
    const app = new Koa();
    app.silent = true;
    app.use(errorResponses(new Logger({sink: () => {}})));
    app.use(async (ctx) => {
      ctx.body = {got: await readJson(ctx, 1024)};
    });
    const listener = new HttpListener("echo", app, {host: "127.0.0.1", port: 0}, new Logger({sink: () => {}}));
    await listener.start();
    return listener;
  }
  const post = (url: string, body: string, type = "application/json") =>
    fetch(url, {method: "POST", headers: {"Content-Type": type}, body});

  it("parses small JSON and rejects oversized, malformed, empty and non-JSON bodies with reasons", async () => {
    const server = await echoServer();
    try {
      expect(await jsonOf(await post(server.url, '{"a":1}'))).toEqual({got: {a: 1}});
      const big = await post(server.url, JSON.stringify({pad: "x".repeat(2000)}));
      expect(big.status).toBe(413);
      expect(await jsonOf(big)).toEqual({error: "The request body is larger than 1 KB", code: "body_too_large"});
      const bad = await post(server.url, "{nope");
      expect(bad.status).toBe(400);
      expect((await jsonOf(bad)).error).toMatch(/^The request body is not valid JSON \(/);
      expect(await jsonOf(await post(server.url, ""))).toEqual({
        error: "The request body is empty; send a JSON object",
        code: "invalid_json",
      });
      const text = await post(server.url, "hi", "text/plain");
      expect(text.status).toBe(415);
      expect((await jsonOf(text)).error).toBe("Send the request body as JSON with 'Content-Type: application/json'");
    } finally {
      await server.stop();
    }
  });
});
