import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {addonNetwork, askAddonPorts, INGRESS_PORT_FILE, useAddonPorts} from "../../../src/app/addonPorts.js";
import {loadConfig} from "../../../src/config/load.js";
import {Logger} from "../../../src/core/logger.js";
import {startApp} from "../../helpers/app.js";
import {fakeSupervisor} from "../../helpers/supervisor.js";
import {tempDir} from "../../helpers/tmp.js";

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The add-on's start: /data/options.json as the Supervisor writes it, and a Supervisor to ask. */
async function addonStart(options: object, argv: string[] = []) {
  const dir = await tempDir("yss-addon-ports-");
  const optionsFile = path.join(dir, "options.json");
  await writeFile(optionsFile, JSON.stringify({...options, data_dir: dir}));
  const loaded = loadConfig({argv, env: {SUPERVISOR_TOKEN: "sup-token"}, haOptionsPath: optionsFile});
  const supervisor = await fakeSupervisor({status: 404, body: {}});
  closers.push(() => supervisor.close());
  return {dir, loaded, supervisor};
}

describe("the add-on on the host's network", () => {
  it("listens on the ingress port the Supervisor picked and the Network tab's ports, and notes the panel's port", async () => {
    const {dir, loaded, supervisor} = await addonStart({audio_port: 9000});
    const lines: string[] = [];
    const chosen = await addonNetwork(
      loaded,
      {url: supervisor.url, token: "sup-token"},
      new Logger({sink: (l) => lines.push(l)}),
    );
    // 1883/tcp is unset on the Network tab: the built-in broker stays on this machine, off Mosquitto's 1883.
    expect(chosen).toEqual({brokerHost: "127.0.0.1"});
    const {ingress_port, audio_port, embedded_broker_port} = loaded.config;
    expect([ingress_port, audio_port, embedded_broker_port]).toEqual([62042, 8080, 0]);
    expect(await readFile(path.join(dir, INGRESS_PORT_FILE), "utf8")).toBe("62042\n");
    expect(supervisor.calls).toEqual(["GET /addons/self/info Bearer sup-token"]);
    expect(
      lines.some((l) =>
        l.includes("panel (ingress) on port 62042, audio on 8080, built-in broker on this machine only"),
      ),
    ).toBe(true);
  });

  it("keeps a host port chosen for the broker and ports moved by a flag", async () => {
    const {loaded} = await addonStart({}, ["--audio_port", "18080"]);
    const chosen = useAddonPorts(loaded, {ingressPort: 62100, network: {"8080/tcp": 8443, "1883/tcp": 1884}});
    expect(chosen).toEqual({});
    const {ingress_port, audio_port, embedded_broker_port} = loaded.config;
    expect([ingress_port, audio_port, embedded_broker_port]).toEqual([62100, 18080, 1884]);
  });

  it("says so when the Supervisor will not tell, instead of serving the panel where ingress cannot find it", async () => {
    const {supervisor} = await addonStart({});
    await expect(askAddonPorts({url: supervisor.url, token: "wrong"}, 2, 0)).rejects.toThrow(
      "The Supervisor did not say which ports this add-on has (Unauthorized): restart the add-on",
    );
    expect(supervisor.calls).toHaveLength(2);
  });

  it("runs the built-in broker on the address it is given, not where the listeners are", async () => {
    const t = await startApp(["--mqtt_mode", "embedded"], {brokerHost: "127.0.0.2"});
    closers.push(() => t.stop());
    expect(t.app.broker.summary().url).toMatch(/^mqtt:\/\/127\.0\.0\.2:\d+$/);
  });
});
