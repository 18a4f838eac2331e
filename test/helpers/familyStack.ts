import {Logger} from "../../src/core/logger.js";
import {FamilyPlan} from "../../src/family/familyPlan.js";
import {QuietHours} from "../../src/parents/quietHours.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../src/sim/simulator.js";
import {Store} from "../../src/store/store.js";
import {reportingPlayers} from "./parentRulesStack.js";
import type {CloudStack} from "./players.js";
import {startEngine} from "./rules.js";
import {tempDir} from "./tmp.js";

export const LIVING = DEMO_PLAYERS[0]!.deviceId;
export const MINI = DEMO_PLAYERS[1]!.deviceId;
export const ZONE = "Europe/London";

/**
 * The family plan over simulator-backed players, real quiet hours on a real store and a real rule
 * engine, with a clock the test moves (the plan evaluates when told). Today's listening per player
 * is the test's to set, so a week of days fits in seconds; the service wired to the real history
 * is tested through the app.
 */
export interface FamilyStack {
  sim: YotoSimulator;
  cloud: CloudStack;
  engine: Awaited<ReturnType<typeof startEngine>>;
  clock: {now: number};
  listened: Map<string, number>;
  family: FamilyPlan;
  quiet: QuietHours;
  lines: string[];
  /** The state database the plan and quiet hours write to now. */
  store(): Store;
  /** Stop the plan and quiet hours as a crash would leave them (nothing undone), and start them again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFamilyStack(startAt: number): Promise<FamilyStack> {
  const {sim, cloud} = await reportingPlayers();
  const dir = await tempDir("yss-family-");
  const lines: string[] = [];
  const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
  const clock = {now: startAt};
  const listened = new Map<string, number>();
  const engine = await startEngine({}, {bus: cloud.bus, services: {players: cloud.players}});
  let store: Store;
  const build = async () => {
    store = new Store(dir, log);
    await store.start();
    const quiet = new QuietHours({store, players: cloud.players, bus: cloud.bus, log});
    await quiet.start();
    const family = new FamilyPlan({
      store,
      players: cloud.players,
      quietHours: quiet,
      listening: {todaySeconds: (id) => listened.get(id) ?? 0},
      streams: engine.streams,
      bus: cloud.bus,
      log,
      timeZone: ZONE,
      rules: engine.engine,
      now: () => clock.now,
      timer: false,
    });
    await family.start();
    return {quiet, family};
  };
  const first = await build();
  const stack: FamilyStack = {
    sim,
    cloud,
    engine,
    clock,
    listened,
    lines,
    family: first.family,
    quiet: first.quiet,
    store: () => store,
    async restart() {
      await stack.family.stop();
      await stack.quiet.stop();
      await store.stop();
      const next = await build();
      stack.family = next.family;
      stack.quiet = next.quiet;
    },
    async stop() {
      await stack.family.stop();
      await stack.quiet.stop();
      await store.stop();
      await engine.stop();
      await cloud.stop();
      await sim.stop();
    },
  };
  return stack;
}
