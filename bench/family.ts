import {EventBus} from "../src/core/events.js";
import {Logger} from "../src/core/logger.js";
import {FamilyPlan} from "../src/family/familyPlan.js";
import type {QuietPeriod} from "../src/parents/quietHours.js";
import {Store} from "../src/store/store.js";
import {newPlayer, type PlayerState} from "../src/yoto/playerModel.js";
import {sized, table} from "./lib.js";

const CHILDREN = sized(10, 2);
const PLAYERS = sized(20, 4);
const ZONE = "Europe/London";

/**
 * The family plan's minute: judging 10 children (each with a week of bedtimes, an override, a
 * budget) and deciding the quiet of 20 players, then a whole pass as the timer runs it (real
 * state database, nothing to change), against a bare loop over the same 20 players comparing the
 * time with a precomputed window, measured in the same run. The goal: well under 1 ms a minute.
 */
export async function familyBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const log = new Logger({level: "error", sink: () => {}});
  const store = new Store(`${workDir}/family`, log);
  await store.start();
  const players: PlayerState[] = Array.from({length: PLAYERS}, (_, i) => ({
    ...newPlayer({deviceId: `p${i}`, name: `Player ${i}`, deviceFamily: "mini", deviceType: "mini", online: true}),
    settings: {dayMaxVolume: 16, nightMaxVolume: 16} as PlayerState["settings"],
  }));
  const periods = new Map<string, QuietPeriod>();
  let now = Date.parse("2026-11-24T15:00:00Z");
  const family = new FamilyPlan({
    store,
    players: {
      list: () => players,
      get: (id) => players.find((p) => p.id === id || p.name === id) as PlayerState,
      command: async () => undefined,
    },
    quietHours: {
      period: (id) => periods.get(id),
      begin: async (id, until) => {
        const p: QuietPeriod = {playerId: id, player: id, until, restore: {dayMaxVolume: 16, nightMaxVolume: 16}};
        periods.set(id, p);
        return p;
      },
      end: async (id) => {
        periods.delete(id);
        return {playerId: id, player: id, restore: {dayMaxVolume: 16, nightMaxVolume: 16}, restored: true};
      },
    },
    listening: {todaySeconds: () => 20 * 60},
    streams: {has: () => false, list: () => []},
    bus: new EventBus(log),
    log,
    timeZone: ZONE,
    rules: {setGenerated: async () => undefined, runsStartedBy: async (emit) => emit()},
    now: () => now,
    timer: false,
  });
  await family.start();
  const night = {bedtime: "19:30", wake: "07:00"};
  const week = Object.fromEntries(["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, night]));
  for (let c = 0; c < CHILDREN; c++)
    await family.put(`Child ${c}`, {
      players: [`p${c * 2}`, `p${c * 2 + 1}`],
      budget: {minutes: 60, weekdays: {sat: 90}},
      schedule: week,
      overrides: [{date: "2026-12-24", bedtime: "21:00", wake: "09:00"}],
      bedtime: {wind_down: {minutes: 10}},
    });

  const windows = players.map(() => ({from: now + 4 * 3600_000, to: now + 16 * 3600_000}));
  const bare = measure(() => {
    let quiet = 0;
    for (const w of windows) if (now >= w.from && now < w.to) quiet++;
    return quiet;
  });
  const decide = measure(() => family.decide(now).players.size);
  let minute = 0;
  const pass = await measureAsync(async () => {
    now += 60_000 * (++minute % 2 === 0 ? 1 : -1);
    await family.evaluate();
  });
  await family.stop();
  await store.stop();
  const rows = [
    {
      measure: `bare loop: ${PLAYERS} players against fixed windows (baseline)`,
      value: bare.toFixed(2),
      unit: "µs",
      ratio: "1.00×",
    },
    {
      measure: `decide: ${CHILDREN} children, ${PLAYERS} players`,
      value: decide.toFixed(1),
      unit: "µs",
      ratio: `${(decide / bare).toFixed(0)}×`,
    },
    {
      measure: "a whole pass (state database, nothing to change)",
      value: pass.toFixed(1),
      unit: "µs",
      ratio: `${(pass / bare).toFixed(0)}×`,
    },
  ];
  console.log(`\nFamily plan, one evaluation a minute\n${table(rows)}`);
  return rows;
}

/** µs per call, the best of 5 rounds of 2,000 calls. */
function measure(fn: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < 2000; i++) fn();
    best = Math.min(best, ((performance.now() - start) * 1000) / 2000);
  }
  return best;
}

async function measureAsync(fn: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < 200; i++) await fn();
    best = Math.min(best, ((performance.now() - start) * 1000) / 200);
  }
  return best;
}
