import {vi} from "vitest";
import {Logger} from "../../src/core/logger.js";
import {QuietHours} from "../../src/parents/quietHours.js";
import type {RuleServices} from "../../src/rules/types.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../src/sim/simulator.js";
import {Store} from "../../src/store/store.js";
import {startSimulator} from "./cloud.js";
import {type CloudStack, linkedCloud} from "./players.js";
import {startEngine} from "./rules.js";
import {tempDir} from "./tmp.js";

/**
 * The parents' rule tests: the rule engine driving simulator-backed players, and quiet hours over a
 * real store. Time is faked after linking; the network (simulator, MQTT) stays real, so the tests
 * wait for it in real time between steps of fake time.
 */

export const LIVING = DEMO_PLAYERS[0]!.deviceId;
export const MINI = DEMO_PLAYERS[1]!.deviceId;

// Captured before any test fakes timers: waiting for the real network needs the real clock.
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

export const realPause = (ms = 5) => new Promise<void>((resolve) => realSetTimeout(resolve, ms));

/** Poll in real time until `check` holds; the error says what was awaited. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = realNow() + timeoutMs;
  while (!(await check())) {
    if (realNow() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await realPause(5);
  }
}

/** Fake time from now on (the connections made so far keep their real timers). */
export function fakeTime(now = Date.now()): void {
  vi.useFakeTimers({now, toFake: ["setTimeout", "clearTimeout", "Date"]});
}

/** Move fake time on in small steps, letting real network traffic through between them. */
export async function tick(ms: number, chunkMs = 1000): Promise<void> {
  for (let done = 0; done < ms; done += chunkMs) {
    await vi.advanceTimersByTimeAsync(Math.min(chunkMs, ms - done));
    await realPause(1);
  }
}

/** A four-hour story, so a track is still playing at the end of a wind-down. */
export function addLongCard(sim: YotoSimulator): void {
  sim.addCard({
    cardId: "long",
    title: "Long story",
    content: {
      chapters: [
        {
          key: "01",
          title: "One",
          tracks: [{key: "01", title: "Story", trackUrl: "yoto:#x", type: "audio", duration: 4 * 3600}],
        },
      ],
    },
  });
}

/** Quiet hours over their own store, as the app wires them. */
export async function startQuiet(dir: string, cloud: CloudStack, lines: string[]) {
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const store = new Store(dir, log);
  await store.start();
  const quiet = new QuietHours({store, players: cloud.players, bus: cloud.bus, log, retryMs: 30_000});
  await quiet.start();
  return {store, quiet};
}

export interface ParentStack {
  sim: YotoSimulator;
  cloud: CloudStack;
  engine: Awaited<ReturnType<typeof startEngine>>;
  /** Replaced when a test restarts the service (`startQuiet` on the same folder). */
  quiet: QuietHours;
  quietStore: Store;
  quietDir: string;
  quietLines: string[];
  stop(): Promise<void>;
}

/** The simulator (with the long card) and both demo players linked and reporting their volume and settings. */
export async function reportingPlayers(): Promise<{sim: YotoSimulator; cloud: CloudStack}> {
  const sim = await startSimulator();
  addLongCard(sim);
  // A short heartbeat keeps the simulated cloud sending events however far fake time jumps.
  const cloud = await linkedCloud(sim, {commandTimeoutMs: 60_000, mqtt: {heartbeatMs: 50}});
  await until(
    () =>
      cloud.players.list().length === 2 &&
      cloud.players.list().every((p) => p.volume.level !== undefined && p.settings?.dayMaxVolume !== undefined),
    "both players' volume and settings",
  );
  return {sim, cloud};
}

/** The simulator with both demo players linked and reporting, quiet hours, and a rule engine. */
export async function startParentStack(
  files: Record<string, string> | (() => Record<string, string>),
  opts: {services?: Partial<RuleServices>; prepare?: (stack: ParentStack) => Promise<void>} = {},
): Promise<ParentStack> {
  const {sim, cloud} = await reportingPlayers();
  const quietDir = await tempDir("yss-quiet-");
  const quietLines: string[] = [];
  const {store: quietStore, quiet} = await startQuiet(quietDir, cloud, quietLines);
  const stack: ParentStack = {
    sim,
    cloud,
    engine: undefined as unknown as ParentStack["engine"],
    quiet,
    quietStore,
    quietDir,
    quietLines,
    async stop() {
      await stack.engine?.stop();
      await stack.quiet.stop();
      await stack.quietStore.stop();
      await cloud.stop();
      await sim.stop();
    },
  };
  // Before the rules load: what the rule files say may depend on it (times relative to now).
  await opts.prepare?.(stack);
  // The rules reach quiet hours through the stack, so a restarted service is the one they use.
  stack.engine = await startEngine(typeof files === "function" ? files() : files, {
    services: {
      players: cloud.players,
      quietHours: {beginUntil: (player, until, clock) => stack.quiet.beginUntil(player, until, clock)},
      ...opts.services,
    },
  });
  return stack;
}
