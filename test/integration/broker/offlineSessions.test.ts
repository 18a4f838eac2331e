import mqtt, {type IClientOptions, type MqttClient} from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import {EmbeddedBroker} from "../../../src/broker/embeddedBroker.js";
import type {OfflineSessionLimits} from "../../../src/broker/offlineSessions.js";
import {Logger} from "../../../src/core/logger.js";
import {waitFor} from "../../helpers/players.js";

const LOGIN = {username: "ha", password: "a-long-enough-password"};
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function startBroker(offline?: Partial<OfflineSessionLimits>) {
  const lines: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const broker = new EmbeddedBroker({host: "127.0.0.1", port: 0, login: LOGIN, log, offline});
  await broker.start();
  cleanups.push(() => broker.stop());
  return {broker, lines};
}

/** Connects and resolves with the client and its CONNACK (whose properties say what the broker granted). */
function connect(url: string, options: IClientOptions) {
  return new Promise<{client: MqttClient; connack: mqtt.IConnackPacket}>((resolve, reject) => {
    const client = mqtt.connect(url, {...LOGIN, reconnectPeriod: 0, ...options});
    client.on("error", reject);
    client.once("connect", (connack) => resolve({client, connack}));
    cleanups.push(() => client.endAsync(true));
  });
}

/** A client with a session that never expires (MQTT 5), subscribed at QoS 1, that then goes away. */
const FOREVER = 0xffffffff;
const longSession: IClientOptions = {
  protocolVersion: 5,
  clean: false,
  clientId: "sleepy-laptop",
  properties: {sessionExpiryInterval: FOREVER},
};

describe("what the embedded broker keeps for clients that are away", () => {
  it("cuts a session that never expires to a day, keeps 4 MiB of 40 MB published for it, says so, and delivers what it kept", async () => {
    const {broker, lines} = await startBroker();
    const away = await connect(broker.url, longSession);
    // The broker says it cut the expiry (MQTT 5 CONNACK's Session Expiry Interval).
    expect(away.connack.properties?.sessionExpiryInterval).toBe(86_400);
    await away.client.subscribeAsync("load/#", {qos: 1});
    await away.client.endAsync();

    const publisher = (await connect(broker.url, {protocolVersion: 5, clientId: "publisher"})).client;
    const chunk = Buffer.alloc(100 * 1024, 0x61);
    for (let i = 0; i < 400; i++) await publisher.publishAsync(`load/${i}`, chunk, {qos: 1});

    const offline = (broker.health().details as {offline: {messages: number; bytes: number; dropped: number}}).offline;
    expect(offline.messages).toBe(40);
    expect(offline.bytes).toBe(40 * 100 * 1024);
    expect(offline.dropped).toBe(360);
    const warned = lines.filter((l) => l.includes("is away with"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(
      "MQTT client 'sleepy-laptop' is away with 40 messages (3.9 MiB) kept for it, the most one session may hold (1000 messages, 4 MiB): newer ones are dropped until it takes them",
    );

    // Back: it gets what was kept, in order, and the count starts again.
    const received: string[] = [];
    const back = await new Promise<MqttClient>((resolve) => {
      const client = mqtt.connect(broker.url, {...LOGIN, reconnectPeriod: 0, ...longSession});
      client.on("message", (topic) => received.push(topic));
      client.once("connect", () => resolve(client));
      cleanups.push(() => client.endAsync(true));
    });
    await waitFor(() => received.length >= 40, "the kept messages");
    // Anything more would come at once; none does (without the cap all 400 did).
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toEqual(Array.from({length: 40}, (_, i) => `load/${i}`));
    expect(back.connected).toBe(true);
    await waitFor(() => lines.some((l) => l.includes("360 message(s) were dropped while it was away")), "the note");
    expect((broker.health().details as {offline: {clients: number}}).offline.clients).toBe(0);
  }, 60_000);

  it("counts messages as well as bytes, and holds the MQTT 3.1.1 persistent sessions to the same limits", async () => {
    const {broker} = await startBroker({maxQueuedMessages: 25});
    const away = await connect(broker.url, {protocolVersion: 4, clean: false, clientId: "old-client"});
    await away.client.subscribeAsync("small/#", {qos: 1});
    await away.client.endAsync();
    const publisher = (await connect(broker.url, {protocolVersion: 4, clientId: "publisher"})).client;
    for (let i = 0; i < 100; i++) await publisher.publishAsync(`small/${i}`, "x", {qos: 1});
    expect((broker.health().details as {offline: {messages: number; dropped: number}}).offline).toMatchObject({
      messages: 25,
      dropped: 75,
    });
  });

  it("keeps the count when a client comes back and drops the line before acknowledging, and bounds how many away clients hold messages", async () => {
    const {broker, lines} = await startBroker({maxQueuedMessages: 50, maxAwayClients: 3});
    const publisher = (await connect(broker.url, {protocolVersion: 4, clientId: "publisher"})).client;
    const held = () => (broker.health().details as {offline: {clients: number; messages: number}}).offline;

    // Comes back, takes its queue without acknowledging it, and is gone again: three times over.
    const grow = await connect(broker.url, {protocolVersion: 4, clean: false, clientId: "grow"});
    await grow.client.subscribeAsync("grow/#", {qos: 1});
    await grow.client.endAsync();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50; i++) await publisher.publishAsync(`grow/${round}/${i}`, "x", {qos: 1});
      expect(held().messages).toBe(50);
      const back = await connect(broker.url, {
        protocolVersion: 4,
        clean: false,
        clientId: "grow",
        manualConnect: false,
      });
      back.client.stream.destroy();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(held().messages).toBe(50);
    // What really waits for it: what it gets when it comes back for good (it was 150 when a
    // reconnect reset the count).
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      const client = mqtt.connect(broker.url, {
        ...LOGIN,
        reconnectPeriod: 0,
        protocolVersion: 4,
        clean: false,
        clientId: "grow",
      });
      client.on("message", (topic) => received.push(topic));
      client.once("connect", () => resolve());
      cleanups.push(() => client.endAsync(true));
    });
    await waitFor(() => received.length >= 50, "its queue");
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(50);
    await waitFor(() => held().messages === 0, "the acknowledged queue counted down");

    // Many identities: only three away clients get messages kept, and the log says so.
    for (let n = 0; n < 5; n++) {
      const c = await connect(broker.url, {protocolVersion: 4, clean: false, clientId: `id-${n}`});
      await c.client.subscribeAsync("many/#", {qos: 1});
      await c.client.endAsync();
    }
    await publisher.publishAsync("many/1", "x", {qos: 1});
    expect(held().clients).toBe(3);
    expect(
      lines.some((l) =>
        l.includes("is away and gets no more messages kept: 3 other away clients already have messages kept"),
      ),
    ).toBe(true);
  });
});
