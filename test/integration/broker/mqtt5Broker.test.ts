import mqtt, {type IClientOptions, type MqttClient} from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {type Seen, watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const DISCOVERY = `homeassistant/device/yoto_${LIVING}_yoto/config`;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true);
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

async function linkedApp() {
  sim = await startSimulator();
  addSongsCard(sim);
  t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints, republishDelayMs: () => 0});
  await linkAccount(t.app.account);
  // A running bridge, as Home Assistant usually finds it: its players online over the cloud.
  const app = t.app;
  await waitFor(
    () => app.players.cloud.state === "connected" && app.players.list().every((p) => p.online),
    "the players online",
  );
  return t;
}

/**
 * A client set up as Home Assistant's MQTT integration sets up its own: protocol 5, clean start,
 * a session that ends with the connection, "offline" on homeassistant/status as its will, the
 * user's login (not the service's), QoS 1 subscriptions.
 */
async function homeAssistantClient(app: TestApp, extra: IClientOptions = {}) {
  const {url} = app.app.broker.connection();
  const login = app.app.broker.summary().login!;
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 5,
    clean: true,
    clientId: `homeassistant_${Math.random().toString(16).slice(2, 10)}`,
    properties: {sessionExpiryInterval: 0},
    username: login.username,
    password: login.password,
    will: {topic: "homeassistant/status", payload: Buffer.from("offline"), qos: 1, retain: false},
    reconnectPeriod: 0,
    ...extra,
  });
  clients.push(client);
  const seen: Seen[] = [];
  client.on("message", (topic, payload, packet) =>
    seen.push({topic, payload: payload.toString(), retain: packet.retain}),
  );
  return {client, seen};
}

describe("the embedded broker speaks MQTT 5, as Home Assistant requires", () => {
  it("gives an MQTT 5 client discovery, state and availability, reacts to its birth, and delivers its will", async () => {
    const app = await linkedApp();
    const ha = await homeAssistantClient(app);
    const granted = await ha.client.subscribeAsync(["homeassistant/#", "yoto/#"], {qos: 1});
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    await waitFor(() => ha.seen.some((m) => m.topic === DISCOVERY && m.retain), "retained discovery");
    await waitFor(() => ha.seen.some((m) => m.topic === `yoto/${LIVING}` && m.retain), "retained state");
    const availability = ha.seen.find((m) => m.topic === `yoto/${LIVING}/availability`);
    expect(availability && JSON.parse(availability.payload)).toEqual({state: "online"});
    expect(JSON.parse(ha.seen.find((m) => m.topic === "yoto/bridge/state")!.payload)).toEqual({state: "online"});
    expect(JSON.parse(ha.seen.find((m) => m.topic === DISCOVERY)!.payload).device.name).toBe("Living Room");

    // Its birth message: the bridge republishes discovery for it.
    const before = ha.seen.filter((m) => m.topic === DISCOVERY).length;
    // At QoS 1 the client resolves only once the broker's PUBACK came back.
    const sent = await ha.client.publishAsync("homeassistant/status", "online", {qos: 1});
    expect([sent?.cmd, (sent as {qos?: number} | undefined)?.qos]).toEqual(["publish", 1]);
    await waitFor(() => ha.seen.filter((m) => m.topic === DISCOVERY).length > before, "discovery again after birth");

    // A command from Home Assistant at QoS 1 reaches the player.
    await ha.client.publishAsync(`yoto/${LIVING}/set/volume`, "3", {qos: 1});
    await waitFor(() => sim!.player(LIVING).volume === 3, "volume 3 on the player");
    await waitFor(
      () => ha.seen.some((m) => m.topic === `yoto/${LIVING}` && JSON.parse(m.payload).volume === 3),
      "the new state",
    );

    // A 3.1.1 client on the same broker still gets the same retained messages.
    const old = await watchBroker({url: app.app.broker.connection().url, ...app.app.broker.summary().login}, [
      "homeassistant/#",
    ]);
    await waitFor(() => old.seen.some((m) => m.topic === DISCOVERY && m.retain), "discovery for a 3.1.1 client");
    await old.close();

    // Home Assistant dropping without a DISCONNECT: its will reaches the others.
    const watcher = await homeAssistantClient(app, {will: undefined});
    await watcher.client.subscribeAsync("homeassistant/status", {qos: 1});
    ha.client.stream.destroy();
    await waitFor(
      () => watcher.seen.some((m) => m.topic === "homeassistant/status" && m.payload === "offline"),
      "the will",
    );
  });

  it("keeps a session that asked to outlive its connection, and answers a wrong login with MQTT 5's reason", async () => {
    const app = await linkedApp();
    const clientId = "ha_persistent";
    const first = await homeAssistantClient(app, {clientId, clean: false, properties: {sessionExpiryInterval: 300}});
    await first.client.subscribeAsync(`yoto/${LIVING}/event`, {qos: 1});
    await first.client.endAsync();
    sim!.player(LIVING).insertCard("songs"); // an event while Home Assistant is away
    await waitFor(() => app.app.players.get(LIVING).playback.cardId === "songs", "the card in the model");
    const again = await homeAssistantClient(app, {clientId, clean: false, properties: {sessionExpiryInterval: 300}});
    await waitFor(() => again.seen.some((m) => m.topic === `yoto/${LIVING}/event`), "the event kept for the session");
    expect(JSON.parse(again.seen.find((m) => m.topic === `yoto/${LIVING}/event`)!.payload)).toMatchObject({
      event_type: "card_inserted",
      card_id: "songs",
    });

    const refused = mqtt.connectAsync(app.app.broker.connection().url, {
      protocolVersion: 5,
      username: "yoto",
      password: "wrong",
      reconnectPeriod: 0,
    });
    await expect(refused).rejects.toThrow(/Bad User Name or Password/i);
  });
});
