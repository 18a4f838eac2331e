import path from "node:path";
import mqtt from "mqtt";
import {EventBus} from "../src/core/events.js";
import {Logger} from "../src/core/logger.js";
import {DEMO_PLAYERS, YotoSimulator} from "../src/sim/simulator.js";
import {Store} from "../src/store/store.js";
import {YotoAccount} from "../src/yoto/account.js";
import {OAuthClient} from "../src/yoto/oauthClient.js";
import {YotoPlayers} from "../src/yoto/players.js";
import {YotoRest} from "../src/yoto/rest.js";
import {AUTHORIZER_USERNAME} from "../src/yoto/topics.js";
import {table} from "./lib.js";

const EVENTS = 1000;
const WARMUP = 200;

/**
 * Cloud event → player model: a knob turn on a virtual player until `player.changed` is emitted,
 * against a bare MQTT client subscribed to the same topic on the same broker (the hop alone),
 * each measured with the broker to itself. The ratio is what parse + merge + emit add to the hop.
 */
export async function cloudEvents(workDir: string): Promise<Array<Record<string, string | number>>> {
  const log = new Logger({level: "error"});
  const sim = new YotoSimulator();
  await sim.start();
  const store = new Store(path.join(workDir, "data-cloud"), log);
  await store.start();
  const bus = new EventBus(log);
  const account = new YotoAccount({oauth: new OAuthClient(sim.endpoints.authUrl, "bench"), store, log});
  await account.start();
  const landed = await fetch(account.beginLink().authorizeUrl, {redirect: "manual"});
  await account.completeLink(landed.headers.get("location") ?? "");
  const rest = new YotoRest({apiUrl: sim.endpoints.apiUrl, tokens: account, log});
  const players = new YotoPlayers({account, rest, mqttUrl: sim.endpoints.mqttUrl, bus, log});
  await players.start();
  const id = DEMO_PLAYERS[0]?.deviceId as string;
  const knob = sim.player(id);
  while (players.list().find((p) => p.id === id)?.volume.level === undefined) await sleep(10);

  // Phase 1: our client alone on the broker.
  const ours: number[] = [];
  // The first WARMUP events of each phase let the JIT settle and are not counted.
  for (let i = 0; i < WARMUP + EVENTS; i++) {
    const started = performance.now();
    const model = new Promise<void>((resolve) =>
      bus.on(ours, "player.changed", ({changed}) => {
        if (!changed.includes("volume")) return;
        if (i >= WARMUP) ours.push(performance.now() - started);
        bus.off(ours);
        resolve();
      }),
    );
    knob.turnKnob(i % 2 === 0 ? 1 : -1);
    await model;
  }
  const token = await account.accessToken();
  await players.stop();

  // Phase 2: a bare client alone on the same broker, same events.
  const bare = await mqtt.connectAsync(sim.endpoints.mqttUrl, {
    username: AUTHORIZER_USERNAME,
    password: token,
    clientId: `BENCHBARE${Date.now()}`,
    protocolVersion: 4,
  });
  await bare.subscribeAsync(`device/${id}/data/events`, {qos: 1});
  const hop: number[] = [];
  for (let i = 0; i < WARMUP + EVENTS; i++) {
    const started = performance.now();
    const received = new Promise<void>((resolve) =>
      bare.once("message", () => {
        if (i >= WARMUP) hop.push(performance.now() - started);
        resolve();
      }),
    );
    knob.turnKnob(i % 2 === 0 ? 1 : -1);
    await received;
  }
  await bare.endAsync(true);
  await account.stop();
  await store.stop();
  await sim.stop();

  const rows = [row("bare MQTT client (broker hop)", hop), row("player model (player.changed)", ours)];
  const ratio = quantile(ours, 0.5) / quantile(hop, 0.5);
  console.log(
    `\nCloud event → player model, ${EVENTS} events\n${table(rows)}\nmodel / hop at p50: ${ratio.toFixed(2)}×`,
  );
  return [...rows, {path: "ratio p50 (model / hop)", p50_ms: Number(ratio.toFixed(2)), p99_ms: ""}];
}

function row(name: string, samples: number[]): Record<string, string | number> {
  return {path: name, p50_ms: quantile(samples, 0.5).toFixed(2), p99_ms: quantile(samples, 0.99).toFixed(2)};
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
