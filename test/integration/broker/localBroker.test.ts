import mqtt from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {startMosquitto, watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {mqttOffer, fakeSupervisor as startFakeSupervisor} from "../../helpers/supervisor.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const MOSQUITTO = systemNeed("mosquitto");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function linked(
  flags: string[],
  extra: Parameters<typeof startApp>[1] = {},
): Promise<{sim: YotoSimulator; t: TestApp}> {
  const sim = await startSimulator();
  cleanups.push(() => sim.stop());
  const t = await startApp(["--yoto_client_id", CLIENT_ID, ...flags], {
    cloud: sim.endpoints,
    republishDelayMs: () => 0,
    ...extra,
  });
  cleanups.push(() => t.stop());
  await linkAccount(t.app.account);
  return {sim, t};
}

async function fakeSupervisor(answer: {status: number; body: object}) {
  const supervisor = await startFakeSupervisor(answer);
  cleanups.push(() => supervisor.close());
  return supervisor;
}

describe("local broker choice", () => {
  it.skipIf(!MOSQUITTO.path)(
    "works the same against an external Mosquitto, and republishes everything after the broker restarts",
    async () => {
      const mosquitto = await startMosquitto();
      cleanups.push(() => mosquitto.stop());
      const {sim, t} = await linked(["--mqtt_mode", "external", "--mqtt_url", mosquitto.url]);
      expect(t.app.broker.health().details).toMatchObject({kind: "external", url: mosquitto.url});
      const w = await watchBroker(mosquitto.url, ["homeassistant/#", "yoto/#"]);
      cleanups.push(() => w.close());
      await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.volume === 8, "state on Mosquitto");
      expect(w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`)?.device?.name).toBe("Living Room");
      await w.client.publishAsync(`yoto/${LIVING}/set/volume`, "12");
      await waitFor(() => sim.player(LIVING).volume === 12, "the set to reach the player");
      await w.close();

      // Mosquitto without persistence forgets retained messages when it restarts: we must resend them.
      await mosquitto.stop();
      const again = await startMosquitto(mosquitto.port);
      cleanups.push(() => again.stop());
      await waitFor(() => t.app.bridge.mqtt.stats.connects >= 2, "the reconnect", 10_000);
      // Counted as connected before it republishes: a client subscribed now may get the republish
      // live (retain unset) rather than as retained messages. Once one has seen it all come back…
      const config = `homeassistant/device/yoto_${LIVING}_yoto/config`;
      const late = await watchBroker(again.url, ["homeassistant/#", "yoto/#"]);
      cleanups.push(() => late.close());
      await waitFor(
        () => late.lastJson(`yoto/${LIVING}`)?.volume === 12 && late.seen.some((m) => m.topic === config),
        "state and discovery again after the restart",
      );
      // …a client connecting later is given them by the broker, retained.
      const later = await watchBroker(again.url, ["homeassistant/#", "yoto/#"]);
      cleanups.push(() => later.close());
      await waitFor(
        () => later.lastJson(`yoto/${LIVING}`)?.volume === 12 && later.seen.some((m) => m.topic === config),
        "retained state after the restart",
      );
      expect(later.seen.find((m) => m.topic === config)?.retain).toBe(true);
      expect(later.seen.find((m) => m.topic === `yoto/${LIVING}`)?.retain).toBe(true);
      expect(later.lastJson("yoto/bridge/state")).toEqual({state: "online"});
      expect(t.logs.some((l) => l.includes(`Lost the connection to the MQTT broker at ${mosquitto.url}`))).toBe(true);

      // A clean stop says goodbye on the bridge state (the LWT covers an unclean one).
      await t.stop();
      await waitFor(() => late.lastJson("yoto/bridge/state")?.state === "offline", "bridge offline");
    },
    30_000,
  );

  it.skipIf(!MOSQUITTO.path)("in auto mode under Home Assistant uses the broker the Supervisor offers", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const supervisor = await fakeSupervisor(mqttOffer(mosquitto.port, {username: "addons", password: "pw"}));
    const {t} = await linked([], {supervisor: {url: supervisor.url, token: "sup-token"}});
    expect(supervisor.calls).toEqual(["GET /services/mqtt Bearer sup-token"]);
    expect(t.app.broker.health().details).toEqual({
      kind: "external",
      reason: "offered by the Supervisor",
      url: mosquitto.url,
    });
    const w = await watchBroker(mosquitto.url, ["yoto/#"]);
    cleanups.push(() => w.close());
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.name === "Living Room", "state on the Supervisor's broker");
  });

  it("falls back to the embedded broker when the Supervisor has none, and the embedded one enforces its login", async () => {
    const supervisor = await fakeSupervisor({status: 400, body: {result: "error", message: "Service not enabled"}});
    const {t} = await linked(["--embedded_broker_username", "yoto", "--embedded_broker_password", "s3cret-pass"], {
      supervisor: {url: supervisor.url, token: "sup-token"},
    });
    expect(t.app.broker.health().details).toMatchObject({
      kind: "embedded",
      reason: "the Supervisor offered no broker (Service not enabled)",
    });
    expect(
      t.logs.some((l) =>
        l.includes("No MQTT broker from the Supervisor (Service not enabled); starting the embedded broker instead"),
      ),
    ).toBe(true);
    const url = t.app.broker.connection().url;
    await expect(mqtt.connectAsync(url, {username: "yoto", password: "wrong", reconnectPeriod: 0})).rejects.toThrow(
      /Bad username or password/,
    );
    const w = await watchBroker({url, username: "yoto", password: "s3cret-pass"}, ["yoto/#"]);
    cleanups.push(() => w.close());
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.name === "Living Room", "state on the embedded broker");
  });
});
