import {afterEach} from "vitest";
import type {AppOptions} from "../../src/app/app.js";
import type {SimulatorOptions, YotoSimulator} from "../../src/sim/simulator.js";
import {startApp, type TestApp} from "./app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "./cloud.js";
import {watchBroker} from "./mqtt.js";
import {waitFor} from "./players.js";

export type Watcher = Awaited<ReturnType<typeof watchBroker>>;
export interface LinkedBridge {
  sim: YotoSimulator;
  t: TestApp;
  watcher: Watcher;
}

/**
 * The whole service on the simulator (with the songs card), linked, and an MQTT client watching
 * everything the bridge publishes on the embedded broker. Call at the top of a test file: it
 * stops what the returned function started after each test.
 */
export function linkedBridge(): (opts?: {
  flags?: string[];
  prepare?: (sim: YotoSimulator) => void;
  /** With `dataDir` and `mediaDir`: the service on a data folder made beforehand (as an older version left it). */
  app?: Partial<AppOptions> & {dataDir?: string; mediaDir?: string};
  simulator?: SimulatorOptions;
}) => Promise<LinkedBridge> {
  let running: Partial<LinkedBridge> = {};
  afterEach(async () => {
    await running.watcher?.close();
    await running.t?.stop();
    await running.sim?.stop();
    running = {};
  });
  return async ({flags = [], prepare, app, simulator} = {}) => {
    const sim = await startSimulator(simulator);
    running.sim = sim;
    addSongsCard(sim);
    prepare?.(sim);
    const t = await startApp(["--yoto_client_id", CLIENT_ID, ...flags], {
      cloud: sim.endpoints,
      republishDelayMs: () => 0,
      ...app,
    });
    running.t = t;
    const watcher = await watchBroker(t.app.broker.connection(), ["homeassistant/#", "yoto/#"]);
    running.watcher = watcher;
    await linkAccount(t.app.account);
    // Discovery goes out as soon as the players are known from the REST API, which can be before
    // the cloud's MQTT connection is up; a command sent then is refused ("not connected"). Tests
    // drive the players: they start once it is up.
    await waitFor(() => t.app.players.cloud.state === "connected", "the cloud's MQTT connection");
    return {sim, t, watcher};
  };
}

/** What a Home Assistant connecting now would receive: the last message on every topic. */
export function lastOnEveryTopic(w: Watcher): Map<string, string> {
  const last = new Map<string, string>();
  for (const m of w.seen) last.set(m.topic, m.payload);
  return last;
}

/** The discovery payloads among those messages (an empty one removes a device, so it is left out). */
export function discoveryPayloads(last: Map<string, string>) {
  return [...last]
    .filter(([topic, payload]) => topic.startsWith("homeassistant/device/") && payload !== "")
    .map(([topic, payload]) => ({topic, payload: JSON.parse(payload) as Record<string, unknown>}));
}
