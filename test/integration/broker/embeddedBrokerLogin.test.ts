import {mkdir, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import mqtt from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {jsonOf} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const LOGIN_FILE = "mqtt-broker-login.json";
const ONLINE = JSON.stringify({state: "online"});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The service with the embedded broker and no login options: the safe default. */
async function embedded(flags: string[] = [], dataDir?: string): Promise<TestApp> {
  const dir = dataDir ?? path.join(await tempDir("yss-login-"), "data");
  const t = await startApp(["--mqtt_mode", "embedded", ...flags], {
    dataDir: dir,
    mediaDir: path.join(dir, "..", "media"),
    republishDelayMs: () => 0,
  });
  cleanups.push(() => t.stop());
  return t;
}

async function brokerApi(t: TestApp) {
  const res = await fetch(`${t.adminUrl}/api/mqtt`);
  expect(res.status).toBe(200);
  return jsonOf(res);
}

const connect = (url: string, login: {username?: string; password?: string} = {}) =>
  mqtt.connectAsync(url, {...login, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000});

describe("the embedded broker's login", () => {
  it("is made on first start: anonymous and wrong logins are refused, the made one works and sees the service", async () => {
    const t = await embedded();
    const api = await brokerApi(t);
    const url = t.app.broker.connection().url;
    expect(api).toEqual({
      kind: "embedded",
      reason: "mqtt_mode is 'embedded'",
      url,
      port: Number(new URL(url).port),
      login: {username: "yoto", password: expect.stringMatching(/^[\w-]{24}$/), source: "generated"},
    });

    // Kept in the data folder, readable by the service alone, like the URL signing key.
    const file = path.join(t.dataDir, LOGIN_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await expect(connect(url)).rejects.toThrow("Connection refused: Not authorized");
    await expect(connect(url, {username: "yoto", password: "guess-guess-guess"})).rejects.toThrow(
      "Connection refused: Bad username or password",
    );
    await expect(connect(url, {username: "admin", password: api.login.password})).rejects.toThrow(
      "Connection refused: Bad username or password",
    );

    // The service's own client is connected, and a client with the made login sees what it published.
    expect(t.app.bridge.mqtt.connected).toBe(true);
    const w = await watchBroker(url, ["yoto/bridge/state"], {username: "yoto", password: api.login.password});
    cleanups.push(() => w.close());
    await waitFor(() => w.last("yoto/bridge/state") === ONLINE, "the bridge state");

    const refusals = t.logs.filter((l) => l.includes("WARNING (mqtt-broker): MQTT client"));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatch(
      /: MQTT client 'mqttjs_\w+' from 127\.0\.0\.1:\d+: refused, it sent no login \(the embedded broker takes no anonymous clients; use the login the panel shows\)$/,
    );
    // The second wrong login from the same address is not logged again: a retrying client cannot fill the log.
    expect(refusals[1]).toMatch(/from 127\.0\.0\.1:\d+: refused, wrong username or password \(the embedded broker/);
    expect(
      t.logs.some((l) =>
        l.endsWith(
          `Made a login for the embedded MQTT broker, user 'yoto' (the password is in the panel and in '${file}'): give it to every MQTT client, Home Assistant's MQTT integration included`,
        ),
      ),
    ).toBe(true);
    expect(t.logs.join("\n")).not.toContain(api.login.password);
  });

  it("stays the same across restarts, so Home Assistant keeps connecting", async () => {
    const first = await embedded();
    const {login} = await brokerApi(first);
    await first.stop();

    const again = await embedded([], first.dataDir);
    expect((await brokerApi(again)).login).toEqual(login);
    const client = await connect(again.app.broker.connection().url, login);
    await client.endAsync();
    expect(again.logs.some((l) => l.includes("Made a login"))).toBe(false);
  });

  it("comes from the options when both are set; the API names the user and does not echo the password back", async () => {
    const t = await embedded(["--embedded_broker_username", "ha", "--embedded_broker_password", "my-own-password"]);
    expect((await brokerApi(t)).login).toEqual({username: "ha", source: "options"});
    const url = t.app.broker.connection().url;
    await expect(connect(url)).rejects.toThrow("Connection refused: Not authorized");
    const client = await connect(url, {username: "ha", password: "my-own-password"});
    await client.endAsync();
    await expect(stat(path.join(t.dataDir, LOGIN_FILE))).rejects.toThrow(/ENOENT/);
  });

  it("with only a username set, the broker does not start, says why, and the rest of the service runs", async () => {
    const t = await embedded(["--embedded_broker_username", "ha"]);
    const error =
      "embedded_broker_username is set but embedded_broker_password is not: set both, or neither to use the login the add-on makes for the embedded MQTT broker";
    expect(t.app.health().services["mqtt-broker"]).toMatchObject({state: "failed", error});
    expect(t.logs.some((l) => l.endsWith(`ERROR: Failed to start 'mqtt-broker' (${error})`))).toBe(true);
    expect((await fetch(`${t.adminUrl}/api/health`)).status).toBe(200);
  });

  it("with a damaged login file, the broker does not start and says how to fix it", async () => {
    const dataDir = path.join(await tempDir("yss-login-"), "data");
    await mkdir(dataDir, {recursive: true});
    const file = path.join(dataDir, LOGIN_FILE);
    await writeFile(file, '{"username": "yoto", "password": ""}');
    const t = await embedded([], dataDir);
    expect(t.app.health().services["mqtt-broker"]).toMatchObject({
      state: "failed",
      error: `The embedded MQTT broker's login file '${file}' is damaged: delete it to make a new login (then give it to Home Assistant's MQTT integration again)`,
    });
  });
});
