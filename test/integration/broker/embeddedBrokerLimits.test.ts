import mqtt, {type MqttClient} from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import {type BrokerLimits, EmbeddedBroker} from "../../../src/broker/embeddedBroker.js";
import {Logger} from "../../../src/core/logger.js";
import {startApp} from "../../helpers/app.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

const LOGIN = {username: "ha", password: "a-long-enough-password"};
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A real embedded broker on a free loopback port, with small limits so tests stay small. */
async function startBroker(limits: Partial<BrokerLimits>) {
  const lines: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const broker = new EmbeddedBroker({host: "127.0.0.1", port: 0, login: LOGIN, log, limits});
  await broker.start();
  cleanups.push(() => broker.stop());
  const client = async (login: {username: string; password: string} = LOGIN): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(broker.url, {...login, protocolVersion: 4, reconnectPeriod: 0});
    c.on("error", () => {});
    cleanups.push(() => c.endAsync(true));
    return c;
  };
  const watch = async (patterns: string[]) => {
    const w = await watchBroker(broker.url, patterns, LOGIN);
    cleanups.push(() => w.close());
    return w;
  };
  const warnings = () => lines.filter((l) => l.includes(" WARNING: "));
  return {broker, client, watch, warnings};
}

const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once("close", () => resolve()));

/**
 * What a late subscriber gets retained under `pattern`: once the topics the test expects have
 * arrived (a broker streams retained messages after its SUBACK, in no set order, so a marker sent
 * then can overtake them on a busy machine) and a marker shows the subscription is live. An extra
 * topic shows up in the answer; a missing one is waited for, then shows as missing.
 */
async function retainedUnder(
  watch: (p: string[]) => Promise<Awaited<ReturnType<typeof watchBroker>>>,
  pattern: string,
  expected: readonly string[],
): Promise<string[]> {
  const w = await watch([pattern, "marker/done"]);
  const retained = () => [...new Set(w.seen.filter((m) => m.retain).map((m) => m.topic))].sort();
  await w.client.publishAsync("marker/done", "1", {qos: 1});
  await waitFor(() => w.last("marker/done") === "1", "the marker");
  await waitFor(() => expected.every((t) => retained().includes(t)), `the retained ${expected.join(", ")}`).catch(
    () => undefined,
  );
  return retained();
}

/** MQTT's remaining length: 7 bits per byte, low bits first. */
function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  let left = n;
  do {
    const byte = left % 128;
    left = Math.floor(left / 128);
    bytes.push(left > 0 ? byte | 0x80 : byte);
  } while (left > 0);
  return Buffer.from(bytes);
}

describe("the embedded broker's packet limit", () => {
  it("cuts off a client sending a packet over the limit, and keeps nothing of it", async () => {
    const {broker, client, watch, warnings} = await startBroker({maxPacketBytes: 64 * 1024});
    const live = await watch(["big/#"]);
    const sender = await client();
    const gone = closed(sender);
    sender.publish("big/blob", Buffer.alloc(200 * 1024, 1), {qos: 1, retain: true});
    await gone;

    expect(await retainedUnder(watch, "big/#", [])).toEqual([]);
    expect(live.seen).toEqual([]);
    expect(broker.health().details.retained).toEqual({messages: 0, bytes: 0});
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(
      /WARNING: MQTT client 'mqttjs_\w+' from 127\.0\.0\.1:\d+: disconnected, it sent a packet of 200\.0 KB, over the broker's limit of 64\.0 KB$/,
    );
    // The broker goes on: the same login connects and publishes normally.
    const again = await client();
    await again.publishAsync("big/small", "fine", {qos: 1, retain: true});
    expect(await retainedUnder(watch, "big/#", ["big/small"])).toEqual(["big/small"]);
  });

  it("cuts the connection when the header announces 50 MB, without waiting for (or buffering) the payload", async () => {
    const {client, warnings} = await startBroker({maxPacketBytes: 1024 * 1024});
    const sender = await client();
    const gone = closed(sender);
    const fiftyMb = 50 * 1024 * 1024;
    // A QoS 0 PUBLISH's fixed header, then only the first kilobyte of what it announces.
    sender.stream.write(Buffer.concat([Buffer.from([0x30]), remainingLength(fiftyMb), Buffer.alloc(1024)]));
    await gone;
    expect(warnings()[0]).toMatch(/disconnected, it sent a packet of 50\.0 MB, over the broker's limit of 1\.0 MB$/);
  });

  it("cuts the connection on a packet length no MQTT packet can have", async () => {
    const {client, warnings} = await startBroker({maxPacketBytes: 300 * 1024 * 1024});
    const sender = await client();
    const gone = closed(sender);
    // Five length bytes with the continuation bit: MQTT allows four.
    sender.stream.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]));
    await gone;
    expect(warnings()[0]).toMatch(/: disconnected, it sent a malformed packet length$/);
  });
});

describe("the embedded broker's retained store", () => {
  it("does not keep retained messages over the count limit, still delivers them live, and keeps the client", async () => {
    const {broker, client, watch, warnings} = await startBroker({maxMessages: 3});
    const live = await watch(["r/#"]);
    const user = await client();
    for (const n of [1, 2, 3]) await user.publishAsync(`r/${n}`, `v${n}`, {qos: 1, retain: true});
    await user.publishAsync("r/4", "v4", {qos: 1, retain: true});
    await waitFor(() => live.last("r/4") === "v4", "r/4 delivered to a live subscriber");

    expect(user.connected).toBe(true);
    expect(await retainedUnder(watch, "r/#", ["r/1", "r/2", "r/3"])).toEqual(["r/1", "r/2", "r/3"]);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(
      /WARNING: MQTT client 'mqttjs_\w+' from 127\.0\.0\.1:\d+: not keeping its retained message on 'r\/4': the broker already keeps 3 retained messages, its limit is 3$/,
    );

    // Replacing a kept topic is fine; deleting one (empty payload) makes room.
    await user.publishAsync("r/1", "v1 again", {qos: 1, retain: true});
    await user.publishAsync("r/2", "", {qos: 1, retain: true});
    await user.publishAsync("r/5", "v5", {qos: 1, retain: true});
    expect(await retainedUnder(watch, "r/#", ["r/1", "r/3", "r/5"])).toEqual(["r/1", "r/3", "r/5"]);
    expect(broker.health().details.retained.messages).toBe(3);
  });

  it("does not keep retained messages over the byte limit", async () => {
    const {client, watch, warnings} = await startBroker({maxBytes: 1000});
    const user = await client();
    await user.publishAsync("b/1", "x".repeat(600), {qos: 1, retain: true});
    await user.publishAsync("b/2", "x".repeat(600), {qos: 1, retain: true});
    expect(await retainedUnder(watch, "b/#", ["b/1"])).toEqual(["b/1"]);
    expect(warnings()[0]).toMatch(
      /not keeping its retained message on 'b\/2': retained messages would take 1\.2 KB, over the broker's limit of 1000 bytes$/,
    );
  });

  it("always keeps the service's own retained messages (discovery, state), counted with the rest", async () => {
    const {broker, client, watch} = await startBroker({maxMessages: 2});
    const user = await client();
    await user.publishAsync("junk/1", "a", {qos: 1, retain: true});
    await user.publishAsync("junk/2", "b", {qos: 1, retain: true});
    const own = await client(broker.serviceLogin);
    await own.publishAsync("homeassistant/device/yoto_x/config", "{}", {qos: 1, retain: true});
    await own.publishAsync("yoto/x", "{}", {qos: 1, retain: true});
    const all = ["homeassistant/device/yoto_x/config", "junk/1", "junk/2", "yoto/x"];
    expect(await retainedUnder(watch, "#", all)).toEqual(all);
    expect(broker.health().details.retained.messages).toBe(4);
  });
});

describe("the embedded broker's start", () => {
  it("on a taken port fails with the reason and leaves no broker timers running", async () => {
    const taken = await startBroker({});
    const port = Number(new URL(taken.broker.url).port);
    const log = new Logger({sink: () => {}});
    const second = new EmbeddedBroker({host: "127.0.0.1", port, login: LOGIN, log});
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    await expect(second.start()).rejects.toThrow(
      /for the embedded MQTT broker is already in use .*: stop it, choose another embedded_broker_port/,
    );
    // None left behind by the failed start (another test's timer may end meanwhile: never more).
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe("the service's own client on the embedded broker", () => {
  it("does not send a message over the broker's limit (a rule's, say), and keeps its connection", async () => {
    const t = await startApp(["--mqtt_mode", "embedded"], {republishDelayMs: () => 0});
    cleanups.push(() => t.stop());
    await waitFor(() => t.app.bridge.mqtt.connected, "the bridge's connection");
    t.app.bridge.mqtt.publish("home/huge", "x".repeat(2 * 1024 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.app.bridge.mqtt.connected).toBe(true);
    expect(t.app.bridge.mqtt.stats.connects).toBe(1);
    expect(
      t.logs.some((l) =>
        l.endsWith(
          "WARNING (ha-bridge:mqtt): Not publishing to 'home/huge': the message is 2.0 MB, over the broker's limit of 1.0 MB",
        ),
      ),
    ).toBe(true);
  });
});
