import mqtt, {type MqttClient} from "mqtt";
import {HaBridge} from "../src/bridge/haBridge.js";
import {type BrokerConnection, LocalBroker} from "../src/bridge/localBroker.js";
import {BridgeTopics} from "../src/bridge/topics.js";
import {defaultConfig} from "../src/config/schema.js";
import type {PlayerSpec} from "../src/sim/player.js";
import type {YotoSimulator} from "../src/sim/simulator.js";
import {AUTHORIZER_USERNAME} from "../src/yoto/topics.js";
import {latencyRow, linkedCloud, quantile, sleep, untilPrimed} from "./cloud.js";
import {table} from "./lib.js";

const PLAYERS = 100;
const EVENTS_PER_PLAYER_PER_S = 5;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/**
 * Cloud event → local state publish at 100 players × 5 events/s (SPEC §14): a knob turn on a
 * virtual player until a local subscriber sees the player's new state. The baseline is a bare
 * relay on the same two hops (cloud broker → client → local broker → subscriber) that forwards
 * the raw event, so the ratio is what the model, the bridge and the state JSON cost.
 */
export async function haPublish(workDir: string): Promise<Array<Record<string, string | number>>> {
  const specs: PlayerSpec[] = Array.from({length: PLAYERS}, (_, i) => ({
    deviceId: `ybench${String(i).padStart(4, "0")}`,
    name: `Player ${i}`,
    deviceType: "v3",
    deviceFamily: "v3",
  }));
  const {log, sim, bus, account, players, stop} = await linkedCloud(workDir, "ha", specs);
  // The embedded broker keeps its generated login in the data folder: the bench's, not the cwd's.
  const config = {...defaultConfig(false), mqtt_mode: "embedded" as const, embedded_broker_port: 0, data_dir: workDir};
  const broker = new LocalBroker(config, {url: "http://supervisor"}, "127.0.0.1", log);
  await broker.start();
  const topics = new BridgeTopics("yoto", "homeassistant");
  const bridge = new HaBridge({
    broker: () => broker.connection(),
    topics,
    players,
    account,
    bus,
    log,
    version: "bench",
  });
  await bridge.start();
  await players.start();
  await untilPrimed(players, PLAYERS);

  const ours = await measure(sim, specs, broker.connection(), "yoto/+", (topic, body) => ({
    id: topic.slice("yoto/".length),
    volume: body.volume,
  }));
  await players.stop();
  await bridge.stop();

  // The bare relay: same hops, no model, no bridge.
  const token = await account.accessToken();
  const relay = await mqtt.connectAsync(sim.endpoints.mqttUrl, {
    username: AUTHORIZER_USERNAME,
    password: token,
    protocolVersion: 4,
  });
  await relay.subscribeAsync(
    specs.map((s) => `device/${s.deviceId}/data/events`),
    {qos: 1},
  );
  const {url, ...login} = broker.connection();
  const local = await mqtt.connectAsync(url, {...login, protocolVersion: 4});
  relay.on("message", (topic, payload) =>
    local.publish(`relay/${topic.split("/")[1]}`, payload, {qos: 1, retain: true}),
  );
  const hop = await measure(sim, specs, broker.connection(), "relay/+", (topic, body) => ({
    id: topic.slice("relay/".length),
    volume: body.volume,
  }));
  await relay.endAsync(true);
  await local.endAsync(true);
  await broker.stop();
  await stop();

  const rows = [latencyRow("bare relay (same two hops)", hop), latencyRow("yoto-smart-stream (model + bridge)", ours)];
  const p50 = quantile(ours, 0.5) / quantile(hop, 0.5);
  const p99 = quantile(ours, 0.99) / quantile(hop, 0.99);
  console.log(
    `\nCloud event → local state publish, ${PLAYERS} players × ${EVENTS_PER_PLAYER_PER_S} events/s, ${SECONDS} s each\n${table(rows)}\nours / relay: p50 ${p50.toFixed(2)}×, p99 ${p99.toFixed(2)}×`,
  );
  return [...rows, {path: "ratio (ours / relay)", events: "", p50_ms: p50.toFixed(2), p99_ms: p99.toFixed(2)}];
}

/** Turn knobs round-robin at the target rate; time each turn until the subscriber sees its volume. */
async function measure(
  sim: YotoSimulator,
  specs: PlayerSpec[],
  local: BrokerConnection,
  pattern: string,
  read: (topic: string, body: {volume?: number}) => {id: string; volume?: number},
): Promise<number[]> {
  const {url, ...login} = local;
  const subscriber: MqttClient = await mqtt.connectAsync(url, {...login, protocolVersion: 4});
  await subscriber.subscribeAsync(pattern, {qos: 0});
  const pending = new Map<string, {at: number; volume: number}>();
  const samples: number[] = [];
  // The first second warms the JIT and the sockets up and is not counted.
  const countFrom = performance.now() + 1000;
  subscriber.on("message", (topic, payload) => {
    if (payload.length === 0) return;
    const {id, volume} = read(topic, JSON.parse(payload.toString()) as {volume?: number});
    const wait = pending.get(id);
    if (wait && volume === wait.volume) {
      if (wait.at >= countFrom) samples.push(performance.now() - wait.at);
      pending.delete(id);
    }
  });
  const perTick = 5;
  const tickMs = (1000 * perTick) / (specs.length * EVENTS_PER_PLAYER_PER_S);
  const end = performance.now() + 1000 + SECONDS * 1000;
  let next = 0;
  let tick = 0;
  while (performance.now() < end) {
    for (let i = 0; i < perTick; i++) {
      const spec = specs[next++ % specs.length] as PlayerSpec;
      const player = sim.player(spec.deviceId);
      const step = player.volume >= 16 ? -1 : player.volume <= 0 ? 1 : tick % 2 === 0 ? 1 : -1;
      pending.set(spec.deviceId, {at: performance.now(), volume: player.volume + step});
      player.turnKnob(step);
    }
    tick++;
    await sleep(tickMs);
  }
  await sleep(200);
  await subscriber.endAsync(true);
  return samples;
}
