import type {MqttClient} from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {connectMqtt, pkceTokens, startSimulator} from "../../helpers/cloud.js";
import {
  DATA_STATUS,
  DATA_STATUS_PERIODIC,
  ERROR_BODY,
  EVENTS_IDLE,
  EVENTS_PLAYING,
  EVENTS_SLEEP,
  EVENTS_VOLUME,
  FULL_STATUS,
  LEGACY_STATUS_PARTIAL,
  matches,
  PRESENCE,
  type Shape,
} from "../../helpers/realShapes.js";

const LIVING_ROOM = "y7s9dk3mqp2x8v4n1c6b0zlq";
const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
const SUFFIXES = ["data/events", "events", "data/status", "status", "status/full", "presence", "response"];

let sim: YotoSimulator | undefined;
let client: MqttClient | undefined;
afterEach(async () => {
  await client?.endAsync(true);
  await sim?.stop();
  client = undefined;
  sim = undefined;
});

type Message = {topic: string; payload: Record<string, unknown>; at: number};

/** Everything both players publish, as a real client subscribed to every device topic sees it. */
async function listen(): Promise<{messages: Message[]; mqtt: MqttClient; token: string}> {
  const token = (await pkceTokens(sim as YotoSimulator)).access_token;
  const mqtt = await connectMqtt(sim as YotoSimulator, token);
  client = mqtt;
  const messages: Message[] = [];
  mqtt.on("message", (topic, payload) =>
    messages.push({topic, payload: JSON.parse(payload.toString("utf8")), at: Date.now()}),
  );
  for (const id of [LIVING_ROOM, MINI])
    await mqtt.subscribeAsync(
      SUFFIXES.map((s) => `device/${id}/${s}`),
      {qos: 1},
    );
  return {messages, mqtt, token};
}

const on = (messages: Message[], id: string, suffix: string, from = 0) =>
  messages.filter((m, i) => i >= from && m.topic === `device/${id}/${suffix}`);

async function until(check: () => boolean, what: string, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectShape(payload: unknown, shape: Shape, what: string): void {
  expect(matches(payload, shape), what).toEqual([]);
}

const status = (m: Message) => m.payload.status as Record<string, unknown>;

describe("the simulator against the shapes of real Yoto traffic", () => {
  it("sends full snapshots about every interval while playing, partials for the knob and the sleep timer, on both event topics", async () => {
    sim = await startSimulator({eventsIntervalMs: 150, speed: 10});
    sim.addCard({
      cardId: "long1",
      title: "Long",
      content: {
        chapters: [
          {
            key: "01",
            title: "One",
            tracks: [{key: "01", title: "One", trackUrl: "yoto:#aaaaaaaaaaaa", type: "audio", duration: 3600}],
          },
        ],
      },
    });
    const {messages, mqtt} = await listen();
    await mqtt.publishAsync(`device/${LIVING_ROOM}/command/events/request`, "");
    await until(() => on(messages, LIVING_ROOM, "data/events").length >= 1, "the idle snapshot");
    expectShape(on(messages, LIVING_ROOM, "data/events")[0]?.payload, EVENTS_IDLE, "idle snapshot");
    expect(on(messages, LIVING_ROOM, "data/events")[0]?.payload).not.toHaveProperty("sleepTimerSeconds");

    const from = messages.length;
    await mqtt.publishAsync(`device/${LIVING_ROOM}/command/card/start`, JSON.stringify({uri: "https://yoto.io/long1"}));
    await until(() => on(messages, LIVING_ROOM, "data/events", from).length >= 5, "five snapshots while playing");
    const playing = on(messages, LIVING_ROOM, "data/events", from);
    for (const m of playing) expectShape(m.payload, EVENTS_PLAYING, "snapshot while playing");
    const positions = playing.map((m) => m.payload.position as number);
    expect(positions.at(-1)).toBeGreaterThan(positions[0] as number);
    // Every event also goes out on the legacy topic, identical.
    const legacy = on(messages, LIVING_ROOM, "events", from).map((m) => m.payload);
    expect(legacy.slice(0, playing.length - 1)).toEqual(playing.slice(0, playing.length - 1).map((m) => m.payload));
    // Cadence: the gaps between snapshots are the interval, not bursts.
    const gaps = playing.slice(2).map((m, i) => m.at - (playing[i + 1] as Message).at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(100);

    const knobFrom = messages.length;
    sim.player(LIVING_ROOM).turnKnob(-2);
    await until(
      () =>
        on(messages, LIVING_ROOM, "data/events", knobFrom).some(
          (m) => "volume" in m.payload && !("cardId" in m.payload),
        ),
      "the knob partial",
    );
    const knob = on(messages, LIVING_ROOM, "data/events", knobFrom).find((m) => !("cardId" in m.payload));
    expectShape(knob?.payload, EVENTS_VOLUME, "knob partial");

    const sleepFrom = messages.length;
    await mqtt.publishAsync(`device/${LIVING_ROOM}/command/sleep-timer/set`, JSON.stringify({seconds: 600}));
    await until(
      () =>
        on(messages, LIVING_ROOM, "data/events", sleepFrom).some(
          (m) => "sleepTimerActive" in m.payload && !("cardId" in m.payload),
        ),
      "the sleep partial",
    );
    const sleep = on(messages, LIVING_ROOM, "data/events", sleepFrom).find((m) => !("cardId" in m.payload));
    expectShape(sleep?.payload, EVENTS_SLEEP, "sleep-timer partial");
    expect(sleep?.payload.sleepTimerSeconds).toBe(600);

    // Paused: the snapshots stop.
    await mqtt.publishAsync(`device/${LIVING_ROOM}/command/card/pause`, "");
    await until(
      () => on(messages, LIVING_ROOM, "data/events").some((m) => m.payload.playbackStatus === "paused"),
      "the pause",
    );
    await new Promise((r) => setTimeout(r, 100));
    const afterPause = messages.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(on(messages, LIVING_ROOM, "data/events", afterPause)).toEqual([]);
  });

  it("sends status as real players do: answers, 5-minute partials, power off and on, the config shadow and error bodies", async () => {
    sim = await startSimulator({statusIntervalMs: 200});
    const {messages, mqtt, token} = await listen();
    await until(
      () => on(messages, MINI, "status").length >= 1 && on(messages, LIVING_ROOM, "data/status").length >= 1,
      "the periodic status",
    );
    for (const id of [LIVING_ROOM, MINI]) {
      expectShape(status(on(messages, id, "status")[0] as Message), LEGACY_STATUS_PARTIAL, "legacy partial");
      expectShape(status(on(messages, id, "data/status")[0] as Message), DATA_STATUS_PERIODIC, "periodic data/status");
    }
    expectShape(on(messages, LIVING_ROOM, "presence")[0]?.payload, PRESENCE, "presence");

    await mqtt.publishAsync(`device/${LIVING_ROOM}/command/status/request`, "");
    await mqtt.publishAsync(`device/${MINI}/command/status`, JSON.stringify({requestId: "abc123"}));
    await until(
      () =>
        on(messages, LIVING_ROOM, "data/status").some((m) => "temp" in status(m)) &&
        on(messages, MINI, "status/full").length > 0,
      "the answers",
    );
    const answer = status(on(messages, LIVING_ROOM, "data/status").find((m) => "temp" in status(m)) as Message);
    expectShape(answer, DATA_STATUS, "data/status answer");
    expect(answer.temp).toBe("0:24");
    const full = status(on(messages, MINI, "status/full")[0] as Message);
    expectShape(full, FULL_STATUS, "status/full");
    expect(full).toMatchObject({temp: "0:0:0", batteryTemp: 0, powerCaps: "", requestId: "abc123"});

    const from = messages.length;
    sim.player(LIVING_ROOM).powerOff();
    sim.player(LIVING_ROOM).setOnline(true);
    await until(() => on(messages, LIVING_ROOM, "status", from).length >= 2, "shutdown and power-on status");
    const [down, up] = on(messages, LIVING_ROOM, "status", from).map(status);
    expectShape(down, FULL_STATUS, "shutdown status");
    expectShape(up, FULL_STATUS, "power-on status");
    expect(down?.shutDown).not.toBe("nA");
    expect(up).toMatchObject({shutDown: "nA", upTime: 1, utcTime: 0});

    const missing = await fetch(`${sim.url}/content/nope1`, {headers: {Authorization: `Bearer ${token}`}});
    expectShape(await missing.json(), ERROR_BODY, "error body");
    const config = (await (
      await fetch(`${sim.url}/device-v2/${MINI}/config`, {headers: {Authorization: `Bearer ${token}`}})
    ).json()) as {device: {status: Record<string, unknown>}};
    const {updatedAt, ...shadow} = config.device.status;
    expect(typeof updatedAt).toBe("string");
    // Fields the player never reported are null in the shadow (reference §10.11).
    const reported = Object.fromEntries(Object.entries(shadow).filter(([, v]) => v !== null));
    expect(Object.keys(shadow).length).toBeGreaterThan(Object.keys(reported).length);
    expectShape({...reported, shutDown: "nA", failReason: "", failData: ""}, FULL_STATUS, "config shadow");
    // Offline, the shadow still holds the last battery level and card.
    sim.addCard({
      cardId: "last1",
      title: "Last",
      content: {
        chapters: [
          {
            key: "01",
            title: "A",
            tracks: [{key: "01", title: "A", trackUrl: "yoto:#bbbbbbbbbbbb", type: "audio", duration: 600}],
          },
        ],
      },
    });
    sim.player(MINI).insertCard("last1");
    sim.player(MINI).setOnline(false);
    sim.player(MINI).removeCard();
    const offline = (await (
      await fetch(`${sim.url}/device-v2/${MINI}/config`, {headers: {Authorization: `Bearer ${token}`}})
    ).json()) as {device: {online: boolean; status: Record<string, unknown>}};
    expect(offline.device.online).toBe(false);
    expect(offline.device.status).toMatchObject({activeCard: "last1", batteryLevel: 87, shutDown: null});
  });
});

describe("the simulator's broker", () => {
  it("delivers what players publish in order, a retained presence followed at once by a status included", async () => {
    sim = await startSimulator();
    const {messages} = await listen();
    const mini = sim.player(MINI);
    // As a player's answer to a status request can cross its going offline. Straight into Aedes the
    // retained presence (which waits for its store) was overtaken by the status and then dropped.
    for (let i = 0; i < 10; i++) {
      mini.setOnline(false);
      sim.broker.publish(`device/${MINI}/data/status`, {status: {battery: 90 + i}});
      mini.setOnline(true);
    }
    await until(() => on(messages, MINI, "data/status").length >= 10, "the statuses");
    await until(() => on(messages, MINI, "presence").length >= 21, "every presence");
    const sequence = messages
      .filter((m) => m.topic === `device/${MINI}/presence` || m.topic === `device/${MINI}/data/status`)
      .map((m) => (m.topic.endsWith("presence") ? (m.payload.state as string) : "status"));
    // The retained presence each new subscriber is handed, then each round's three in order.
    const rounds = sequence.slice(1).join(" ");
    expect(rounds).toBe(Array.from({length: 10}, () => "offline status online").join(" "));
  });
});
