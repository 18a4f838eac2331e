import {afterEach, describe, expect, it} from "vitest";
import {HaBridge} from "../../../src/bridge/haBridge.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {LocalBroker} from "../../../src/broker/localBroker.js";
import {defaultConfig} from "../../../src/config/schema.js";
import {Logger} from "../../../src/core/logger.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {openGate} from "../../helpers/admitted.js";
import {startSimulator} from "../../helpers/cloud.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {linkedCloud, waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const TICKS = `yoto/${LIVING}/ticks`;

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

type Changed = (playerId: string, only?: "payloads") => void;

/**
 * A player feature with one retained topic: it counts how often its entities are asked for (once
 * each time a player's discovery is rebuilt) and hands out its `changed` callback.
 */
function tickingFeature() {
  const feature = {
    name: "ticks",
    built: 0,
    ticks: 0,
    changed: (() => undefined) as Changed,
    components: () => {
      feature.built++;
      return {};
    },
    retained: () => ({ticks: {n: feature.ticks}}),
    watch(changed: Changed) {
      feature.changed = changed;
      return () => undefined;
    },
  };
  return feature;
}

/** The cloud side on the simulator, an embedded broker, and the bridge with `feature`, started and watched. */
async function bridgeWith(feature: ReturnType<typeof tickingFeature>) {
  const log = new Logger({level: "error", sink: () => undefined});
  const sim = await startSimulator();
  stops.push(() => sim.stop());
  const cloud = await linkedCloud(sim);
  stops.push(() => cloud.stop());
  const config = {...defaultConfig(false), mqtt_mode: "embedded" as const, embedded_broker_port: 0};
  const broker = new LocalBroker({...config, data_dir: await tempDir()}, {url: "http://supervisor"}, "127.0.0.1", log);
  await broker.start();
  stops.push(() => broker.stop());
  const bridge = new HaBridge({
    broker: () => broker.connection(),
    topics: new BridgeTopics("yoto", "homeassistant"),
    players: openGate(cloud.players),
    account: cloud.account,
    bus: cloud.bus,
    log,
    version: "test",
  });
  bridge.registerPlayer(feature);
  await bridge.start();
  stops.push(() => bridge.stop());
  const watcher = await watchBroker(broker.connection(), ["yoto/#"]);
  stops.push(() => watcher.close());
  await waitFor(() => watcher.lastJson(TICKS)?.n === 0, "the feature's topic");
  // Settled: both players have reported and their settings are read (a settings change rebuilds discovery).
  await waitFor(
    () => cloud.players.list().length === 2 && cloud.players.list().every((p) => p.settings && p.battery !== undefined),
    "both players settled",
  );
  return watcher;
}

describe("Player features on the bridge", () => {
  it("a tick of a feature's payloads sends its topic without rebuilding the player's discovery", async () => {
    const feature = tickingFeature();
    const watcher = await bridgeWith(feature);
    const built = feature.built;

    feature.ticks = 1;
    feature.changed(LIVING, "payloads");
    await waitFor(() => watcher.lastJson(TICKS)?.n === 1, "the tick");
    expect(feature.built).toBe(built);

    // A change that may add or remove entities rebuilds the player's discovery (to compare it).
    feature.ticks = 2;
    feature.changed(LIVING);
    await waitFor(() => watcher.lastJson(TICKS)?.n === 2, "the second tick");
    expect(feature.built).toBe(built + 1);

    // A player not on the account gets nothing.
    const before = watcher.seen.length;
    feature.changed("no-such-player", "payloads");
    feature.ticks = 3;
    feature.changed(LIVING, "payloads");
    await waitFor(() => watcher.lastJson(TICKS)?.n === 3, "the third tick");
    const ticks = watcher.seen.slice(before).filter((m) => m.topic.endsWith("/ticks"));
    expect(ticks.map((m) => [m.topic, m.payload])).toEqual([[TICKS, '{"n":3}']]);
  });
});
