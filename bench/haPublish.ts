import path from "node:path";
import mqtt, {type MqttClient} from "mqtt";
import type {BrokerConnection} from "../src/broker/localBroker.js";
import type {PlayerSpec} from "../src/sim/player.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {deviceSubscriptions} from "../src/yoto/topics.js";
import {latencyRow, linkedClient, quantile, sleep} from "./cloud.js";
import {forkService, MEASURE_SECONDS, sized, table} from "./lib.js";

const PLAYERS = sized(100, 5);
const EVENTS_PER_PLAYER_PER_S = 5;
const SECONDS = MEASURE_SECONDS;
const ROUNDS = sized(3, 1);

/**
 * Cloud event → local state publish at 100 players × 5 events/s (the README's "Development": `npm run bench`): a knob turn on a
 * virtual player until a local subscriber sees the player's new state. The service (cloud client,
 * model, bridge, embedded broker) runs in a process of its own, as it does beside Yoto's real cloud;
 * the simulator and the subscriber run here. The baseline is a bare relay in a process of its own on
 * the same two hops (Yoto's broker → a client → an embedded broker → the subscriber), receiving the
 * same topics and forwarding each raw event, so the ratio is what the model, the bridge and the
 * state JSON cost. The service publishes into its embedded broker in-process, so the relay that
 * does the same is the baseline; the relay publishing through an MQTT client (as the service did
 * before) is the second row.
 */
export async function haPublish(workDir: string): Promise<Array<Record<string, string | number>>> {
  const specs: PlayerSpec[] = Array.from({length: PLAYERS}, (_, i) => ({
    deviceId: `ybench${String(i).padStart(4, "0")}`,
    name: `Player ${i}`,
    deviceType: "v3",
    deviceFamily: "v3",
  }));
  const sim = new YotoSimulator({players: specs});
  await sim.start();
  try {
    const endpoints = JSON.stringify(sim.endpoints);
    const login = await linkedClient(workDir, "relay-login", sim.endpoints);
    const token = await login.account.accessToken();
    await login.stop();
    const kinds = deviceSubscriptions("x").map((topic) => topic.slice("device/x/".length));
    const ours: number[] = [];
    const hop: number[] = [];
    const socketHop: number[] = [];
    // CPU seconds each side spent over its counted stretch, and the turns counted.
    const cpu = {ours: 0, hop: 0, socketHop: 0, turns: 0};
    // Alternating rounds, each side in a fresh process, samples pooled: a p99 from one short run
    // on two shared cores says more about that run than about either side.
    for (let round = 0; round < ROUNDS; round++) {
      const service = await child("haBridge", [path.join(workDir, `ha-service-${round}`), endpoints, String(PLAYERS)]);
      const served = await measure(sim, specs, service, "yoto/+", (topic, body) => ({
        id: topic.slice("yoto/".length),
        volume: body.volume,
      }));
      ours.push(...served.samples);
      cpu.ours += served.cpuSeconds;
      cpu.turns += served.turns;
      await service.stop();
      // The bare relays, with a token of their own.
      for (const way of ["in-process", "socket"] as const) {
        const relay = await child("haRelay", [
          path.join(workDir, `ha-relay-${way}-${round}`),
          sim.endpoints.mqttUrl,
          token,
          JSON.stringify(specs.map((s) => s.deviceId)),
          JSON.stringify(kinds),
          way,
        ]);
        const relayed = await measure(sim, specs, relay, "relay/+", (topic, body) => ({
          id: topic.slice("relay/".length),
          volume: body.volume,
        }));
        (way === "in-process" ? hop : socketHop).push(...relayed.samples);
        cpu[way === "in-process" ? "hop" : "socketHop"] += relayed.cpuSeconds;
        await relay.stop();
      }
    }

    // CPU per cloud event in each process: what the tail is made of when two cores are shared.
    const perEvent = (seconds: number) => ((seconds / cpu.turns) * 1e6).toFixed(0);
    const rows = [
      {...latencyRow("bare relay, MQTT client into the broker", socketHop), cpu_us_per_event: perEvent(cpu.socketHop)},
      {...latencyRow("bare relay (same two hops, in-process)", hop), cpu_us_per_event: perEvent(cpu.hop)},
      {...latencyRow("yoto-smart-stream (model + bridge)", ours), cpu_us_per_event: perEvent(cpu.ours)},
    ];
    const ratios = (relay: number[], relayCpu: number) => ({
      p50_ms: (quantile(ours, 0.5) / quantile(relay, 0.5)).toFixed(2),
      p99_ms: (quantile(ours, 0.99) / quantile(relay, 0.99)).toFixed(2),
      cpu_us_per_event: (cpu.ours / relayCpu).toFixed(2),
    });
    const same = ratios(hop, cpu.hop);
    const socket = ratios(socketHop, cpu.socketHop);
    console.log(
      `\nCloud event → local state publish, ${PLAYERS} players × ${EVENTS_PER_PLAYER_PER_S} events/s, ${ROUNDS} rounds of ${SECONDS} s each (service and relays in processes of their own)\n${table(rows)}\nours / relay in-process: p50 ${same.p50_ms}×, p99 ${same.p99_ms}×, CPU ${same.cpu_us_per_event}×; ours / relay through a client: p99 ${socket.p99_ms}×`,
    );
    return [
      ...rows,
      {path: "ratio (ours / relay in-process)", events: "", ...same},
      {path: "ratio (ours / relay through a client)", events: "", ...socket},
    ];
  } finally {
    await sim.stop();
  }
}

interface BrokerChild {
  broker: BrokerConnection;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/** A bench child that answers with its local broker's connection once ready. */
async function child(name: string, args: string[]): Promise<BrokerChild> {
  const forked = forkService(name, args);
  return {
    broker: await forked.ask<BrokerConnection>({}, "broker"),
    cpuSeconds: () => forked.ask<number>({cmd: "cpu"}, "cpu"),
    stop: forked.stop,
  };
}

/**
 * Turn knobs round-robin at the target rate; time each turn until the subscriber sees its volume,
 * and take the child's CPU time over the counted turns.
 */
async function measure(
  sim: YotoSimulator,
  specs: PlayerSpec[],
  local: BrokerChild,
  pattern: string,
  read: (topic: string, body: {volume?: number}) => {id: string; volume?: number},
): Promise<{samples: number[]; cpuSeconds: number; turns: number}> {
  const {url, ...login} = local.broker;
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
  // Evenly spread, on a schedule kept to the wall clock (timers run late; late turns catch up).
  const intervalMs = 1000 / (specs.length * EVENTS_PER_PLAYER_PER_S);
  const started = performance.now();
  const end = started + 1000 + SECONDS * 1000;
  let next = 0;
  let counting: {cpu: Promise<number>; from: number} | undefined;
  while (performance.now() < end) {
    if (!counting && performance.now() >= countFrom) counting = {cpu: local.cpuSeconds(), from: next};
    while (started + next * intervalMs <= performance.now()) {
      const spec = specs[next % specs.length] as PlayerSpec;
      const player = sim.player(spec.deviceId);
      const step =
        player.volume >= 16 ? -1 : player.volume <= 0 ? 1 : Math.floor(next / specs.length) % 2 === 0 ? 1 : -1;
      pending.set(spec.deviceId, {at: performance.now(), volume: player.volume + step});
      player.turnKnob(step);
      next++;
    }
    await sleep(Math.max(0, started + next * intervalMs - performance.now()));
  }
  await sleep(200);
  const cpuSeconds = (await local.cpuSeconds()) - ((await counting?.cpu) ?? 0);
  await subscriber.endAsync(true);
  return {samples, cpuSeconds, turns: next - (counting?.from ?? 0)};
}
