import {GatedPlayers} from "../src/gate/gatedPlayers.js";
import {PlayGate} from "../src/gate/playGate.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {addSongsCard} from "../test/helpers/cloud.js";
import {latencyRow, linkedCloud, quantile, untilPrimed} from "./cloud.js";
import {sized, table} from "./lib.js";

const RUNS = sized(300, 20);
const MINI = DEMO_PLAYERS[1]?.deviceId as string;

/**
 * What the play gate costs a start: Next on a player through the gated players (the plan asked,
 * the admission issued and checked) against the same Next sent to the players with an admission
 * in hand, in turn in the same run, each until the simulated player acks; and a refusal (409, its
 * journal line written once a minute) against a start let through. The goal: the gate adds nothing
 * a family could hear (p99 ratio ≤ 1.1).
 */
export async function gateBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const cloud = await linkedCloud(workDir, "gate");
  try {
    await cloud.players.start();
    await untilPrimed(cloud.players, cloud.sim.players.size);
    let quiet: string | undefined;
    let journalled = 0;
    const gate = new PlayGate({
      admissions: cloud.players.admissions,
      refusal: () => quiet,
      held: () => (quiet ? {reason: "bedtime"} : undefined),
      journal: async () => {
        journalled++;
      },
      cloudConnected: () => cloud.players.cloud.state === "connected",
      log: cloud.log,
      now: Date.now,
    });
    const gated = new GatedPlayers(cloud.players, gate);
    addSongsCard(cloud.sim);
    await gated.command(MINI, {command: "play_card", cardId: "songs"}, {route: "api"});
    const bare: number[] = [];
    const through: number[] = [];
    const refused: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await cloud.players.command(MINI, {command: "pause"});
      await cloud.players.command(MINI, {command: "resume"}, cloud.players.admissions.issue(MINI));
      bare.push(performance.now() - t);
      t = performance.now();
      await gated.command(MINI, {command: "pause"});
      await gated.command(MINI, {command: "resume"}, {route: "api"});
      through.push(performance.now() - t);
      quiet = "'Bedroom Mini' is quiet until 07:00";
      t = performance.now();
      await gated.command(MINI, {command: "resume"}, {route: "api"}).catch(() => undefined);
      refused.push(performance.now() - t);
      quiet = undefined;
    }
    const rows = [
      latencyRow("pause + resume, the players with an admission in hand (baseline)", bare),
      latencyRow("pause + resume through the gated players", through),
      latencyRow("resume refused by the gate (409, journal once a minute)", refused),
    ];
    const ratio = (quantile(through, 0.99) / quantile(bare, 0.99)).toFixed(2);
    const median = (quantile(through, 0.5) / quantile(bare, 0.5)).toFixed(2);
    console.log(
      `\nThe play gate: ${RUNS} starts each way, in turn, until the player acks\n${table(rows)}\nratio through the gate / baseline: p50 ${median}, p99 ${ratio} (goal ≤ 1.1; the p99 of 300 acks is the broker's noise); ${journalled} journal line(s) asked for ${RUNS} refusals`,
    );
    return [...rows, {path: "ratio: through the gate / baseline", events: RUNS, p50_ms: median, p99_ms: ratio}];
  } finally {
    await cloud.stop();
  }
}
