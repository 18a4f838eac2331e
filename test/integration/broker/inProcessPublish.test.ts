import {afterEach, describe, expect, it} from "vitest";
import {LocalMqtt} from "../../../src/bridge/localMqtt.js";
import {EmbeddedBroker} from "../../../src/broker/embeddedBroker.js";
import {LocalBroker} from "../../../src/broker/localBroker.js";
import {defaultConfig} from "../../../src/config/schema.js";
import {Logger} from "../../../src/core/logger.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const STATE = "yoto/bridge/state";

/** The embedded broker as the app runs it, and our client on it, with each in-process publish noted. */
async function ownClientOnEmbeddedBroker() {
  const log = new Logger({sink: () => {}});
  const config = {
    ...defaultConfig(false),
    mqtt_mode: "embedded" as const,
    embedded_broker_port: 0,
    data_dir: await tempDir(),
  };
  const broker = new LocalBroker(config, {url: "http://supervisor"}, "127.0.0.1", log);
  await broker.start();
  cleanups.push(() => broker.stop());
  const inProcess: string[] = [];
  const client = new LocalMqtt({
    connection: () => {
      const connection = broker.connection();
      const publish = connection.publishInProcess;
      if (!publish) throw new Error("the embedded broker offers no in-process way in");
      return {
        ...connection,
        publishInProcess: (topic, payload, retain, done) => {
          inProcess.push(topic);
          publish(topic, payload, retain, done);
        },
      };
    },
    stateTopic: STATE,
    topics: () => [],
    onMessage: () => {},
    onConnect: () => {},
    log,
  });
  await client.start();
  cleanups.push(() => client.stop());
  const {url, username, password} = broker.connection();
  const watch = async (patterns: string[]) => {
    const w = await watchBroker({url, username, password}, patterns);
    cleanups.push(() => w.close());
    return w;
  };
  return {broker, client, inProcess, watch};
}

describe("our client's messages on the embedded broker", () => {
  it("go straight into the broker, once each, in the order published, the last one kept", async () => {
    const {broker, client, inProcess, watch} = await ownClientOnEmbeddedBroker();
    const live = await watch(["yoto/#"]);
    for (let volume = 1; volume <= 50; volume++) client.publish("yoto/p1", {volume}, true);
    await waitFor(() => live.seen.filter((m) => m.topic === "yoto/p1").length === 50, "50 states");
    const volumes = live.seen.filter((m) => m.topic === "yoto/p1").map((m) => JSON.parse(m.payload).volume);
    expect(volumes).toEqual(Array.from({length: 50}, (_, i) => i + 1));
    // Online, then the states: all of it in-process, none through the socket as well.
    expect(inProcess).toEqual([STATE, ...Array.from({length: 50}, () => "yoto/p1")]);
    expect(live.seen.filter((m) => m.topic === STATE).map((m) => m.payload)).toEqual(['{"state":"online"}']);

    // A subscriber that comes later gets what is kept, and the broker counts it.
    const late = await watch(["yoto/#"]);
    await waitFor(() => late.seen.length === 2, "the retained messages");
    expect(late.seen.map((m) => [m.topic, m.payload, m.retain])).toEqual([
      [STATE, '{"state":"online"}', true],
      ["yoto/p1", '{"volume":50}', true],
    ]);
    const kept = [STATE, '{"state":"online"}', "yoto/p1", '{"volume":50}'];
    expect(broker.health().details.retained).toEqual({messages: 2, bytes: Buffer.byteLength(kept.join(""))});
  });

  it("reach a live subscriber all of them when one kept is followed at once by one that is not", async () => {
    const {client, watch} = await ownClientOnEmbeddedBroker();
    const live = await watch(["yoto/#"]);
    // As the bridge publishes a player: its feature states (kept), then an event (not kept).
    for (let i = 0; i < 20; i++) {
      client.publish(`yoto/p${i}/listening`, {today_minutes: i}, true);
      client.publish(`yoto/p${i}/event`, {event_type: "card_inserted"});
    }
    await waitFor(() => live.seen.filter((m) => m.topic.endsWith("/event")).length === 20, "the events");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const topics = live.seen.map((m) => m.topic).filter((topic) => topic !== STATE);
    expect(topics).toEqual(Array.from({length: 20}, (_, i) => [`yoto/p${i}/listening`, `yoto/p${i}/event`]).flat());
  });

  it("say goodbye the same way: after a clean stop the bridge state kept is offline", async () => {
    const {client, inProcess, watch} = await ownClientOnEmbeddedBroker();
    await client.stop();
    expect(inProcess).toEqual([STATE, STATE]);
    const late = await watch([STATE]);
    await waitFor(() => late.seen.length === 1, "the retained state");
    expect(late.seen[0]).toEqual({topic: STATE, payload: '{"state":"offline"}', retain: true});
  });
});

describe("the embedded broker's in-process way in, when the broker stops", () => {
  it("answers what it had not yet published, and what comes after, with why", async () => {
    const log = new Logger({sink: () => {}});
    const broker = new EmbeddedBroker({
      host: "127.0.0.1",
      port: 0,
      login: {username: "ha", password: "a-long-enough-password"},
      log,
    });
    await broker.start();
    const answers: string[] = [];
    const answer = (err?: Error) => answers.push(err ? err.message : "ok");
    // The first is taken at once; the other two wait for it to be handed over, which the stop beats.
    for (const n of [1, 2, 3]) broker.publishOwn(`yoto/p${n}`, Buffer.from("{}"), true, answer);
    const stopped = broker.stop();
    await stopped;
    broker.publishOwn("yoto/late", Buffer.from("{}"), true, answer);
    expect(answers).toEqual([
      "the embedded MQTT broker stopped",
      "the embedded MQTT broker stopped",
      "the embedded MQTT broker stopped",
      "the embedded MQTT broker is not running",
    ]);
  });
});
