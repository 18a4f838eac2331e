import mqtt from "mqtt";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {AUTHORIZER_USERNAME} from "../src/yoto/topics.js";
import {latencyRow, linkedCloud, quantile, untilPrimed} from "./cloud.js";
import {sized, table} from "./lib.js";

const EVENTS = sized(1000, 50);
const WARMUP = sized(200, 10);

/**
 * Cloud event → player model: a knob turn on a virtual player until `player.changed` is emitted,
 * against a bare MQTT client subscribed to the same topic on the same broker (the hop alone),
 * each measured with the broker to itself. The ratio is what parse + merge + emit add to the hop.
 */
export async function cloudEvents(workDir: string): Promise<Array<Record<string, string | number>>> {
  const {sim, bus, account, players, stop} = await linkedCloud(workDir, "cloud");
  await players.start();
  const id = DEMO_PLAYERS[0]?.deviceId as string;
  const knob = sim.player(id);
  await untilPrimed(players, sim.players.size);

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
  await stop();

  const rows = [latencyRow("bare MQTT client (broker hop)", hop), latencyRow("player model (player.changed)", ours)];
  const ratio = quantile(ours, 0.5) / quantile(hop, 0.5);
  console.log(
    `\nCloud event → player model, ${EVENTS} events\n${table(rows)}\nmodel / hop at p50: ${ratio.toFixed(2)}×`,
  );
  return [...rows, {path: "ratio p50 (model / hop)", events: "", p50_ms: ratio.toFixed(2), p99_ms: ""}];
}
