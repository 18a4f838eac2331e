import {execFile} from "node:child_process";
import {copyFile, mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import type {PlayerSpec} from "../src/sim/player.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {BENCH_DIR, forkBench, SERVICE_ENV, SERVICE_NODE_FLAGS, SMOKE, sized, table} from "./lib.js";

const PLAYERS = sized(10, 2);
const RULES = sized(100, 5);
const ITEMS = sized(2000, 20);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? sized(60, 1));
const MIB = 1024 * 1024;
/** The idle goal, in MB as the Health page and the memory sensor show it (docs/memory.md). */
const IDLE_GOAL_MB = 100;
const run = promisify(execFile);

interface Ready {
  ms: number;
  rss: number;
}

/**
 * Startup and memory in the README's idle scenario (10 players, 100 rules, 2,000 library items): the whole
 * service in its own process, linked to a simulator in this one. Startup is measured on a second
 * start (the library index cached, as every start after the first), RSS at ready and after
 * BENCH_IDLE_SECONDS (60) idle, running the compiled service as `npm start` does. The baseline is
 * plain Node doing nothing.
 */
export async function footprint(workDir: string): Promise<Array<Record<string, string | number>>> {
  const root = path.join(workDir, "footprint");
  const mediaDir = path.join(root, "media");
  const rulesDir = path.join(root, "rules");
  await fillMedia(mediaDir);
  await writeRules(rulesDir);
  // Measured as it runs in production: compiled (what `npm start` builds first), without a loader.
  // A smoke run follows the build it checks (`npm run bench` builds first, as CI does).
  if (!SMOKE)
    await run(process.execPath, [
      path.join(BENCH_DIR, "..", "node_modules", "typescript", "bin", "tsc"),
      "-p",
      path.join(BENCH_DIR, "..", "tsconfig.build.json"),
    ]);
  const sim = new YotoSimulator({players: players()});
  await sim.start();
  try {
    const args = [path.join(root, "data"), mediaDir, rulesDir, JSON.stringify(sim.endpoints)];
    const first = await launch("idle", args);
    await first.stop();
    const empty = await launch("empty", []);
    const emptyIdle = await empty.rss();
    await empty.stop();
    const ours = await launch("idle", args);
    const counts = await ours.rss();
    if (counts.players !== PLAYERS || counts.items !== ITEMS || counts.rules !== RULES) {
      throw new Error(`bench: the idle scenario is not the README's (${JSON.stringify(counts)})`);
    }
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idle = await ours.rss();
    await ours.stop();

    const rows = [
      {
        what: "startup to ready (index cached)",
        ours: `${first.ready.ms.toFixed(0)} ms first, ${ours.ready.ms.toFixed(0)} ms`,
        baseline: `${empty.ready.ms.toFixed(0)} ms`,
      },
      {what: "RSS at ready", ours: mib(ours.ready.rss), baseline: mib(empty.ready.rss)},
      {
        what: `RSS after ${IDLE_SECONDS} s idle (goal < ${IDLE_GOAL_MB} MB)`,
        ours: `${mb(idle.rss)} (${mib(idle.rss)})`,
        baseline: `${mb(emptyIdle.rss)} (${mib(emptyIdle.rss)})`,
      },
      {what: `V8 heap used after ${IDLE_SECONDS} s idle`, ours: mib(idle.heapUsed), baseline: mib(emptyIdle.heapUsed)},
    ];
    console.log(
      `\nStartup and memory: ${PLAYERS} players, ${RULES} rules, ${ITEMS} library items (compiled; baseline: plain Node, idle)\n${table(rows)}`,
    );
    return rows;
  } finally {
    await sim.stop();
  }
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** Megabytes (10^6), the unit a parent sees for the service's memory. */
function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function players(): PlayerSpec[] {
  return Array.from({length: PLAYERS}, (_, i) => ({
    deviceId: `yfoot${String(i).padStart(4, "0")}`,
    name: `Player ${i}`,
    deviceType: i % 2 === 0 ? "v3" : "mini",
    deviceFamily: i % 2 === 0 ? "v3" : "mini",
  }));
}

async function fillMedia(dir: string): Promise<void> {
  await mkdir(dir, {recursive: true});
  const sample = path.join(dir, "..", "sample.mp3");
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=330:duration=5",
    "-b:a",
    "64k",
    sample,
  ]);
  for (let f = 0; f < 20; f++) await mkdir(path.join(dir, `album${f}`), {recursive: true});
  for (let i = 0; i < ITEMS; i++) await copyFile(sample, path.join(dir, `album${i % 20}`, `track${i}.mp3`));
}

/** A hundred rules of the kinds families write: cards, times, buttons, volume. */
async function writeRules(dir: string): Promise<void> {
  await mkdir(dir, {recursive: true});
  const rules: string[] = [];
  for (let i = 0; i < RULES; i++) {
    const trigger = [
      `    - trigger: card\n      card: card${i}`,
      `    - trigger: time\n      at: "${String(6 + (i % 12)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}"`,
      `    - trigger: button\n      button: right`,
      `    - trigger: volume\n      above: ${i % 16}`,
    ][i % 4];
    rules.push(`- id: rule_${i}
  alias: Rule ${i}
  triggers:
${trigger}
  actions:
    - action: stream.replace
      stream: s${i % 10}
      items: ["album${i % 20}/*"]
      mode: once
`);
  }
  await writeFile(path.join(dir, "bench.yaml"), rules.join("\n"));
}

interface Launched {
  ready: Ready;
  rss(): Promise<{rss: number; heapUsed: number; players?: number; items?: number; rules?: number}>;
  stop(): Promise<void>;
}

async function launch(name: string, args: string[]): Promise<Launched> {
  const {ask, stop} = forkBench(path.join(BENCH_DIR, "servers", `${name}.mjs`), args, {
    execArgv: name === "idle" ? SERVICE_NODE_FLAGS : [],
    env: name === "idle" ? {...process.env, ...SERVICE_ENV} : process.env,
  });
  const ready = await ask<Ready>({}, "ready");
  return {ready, rss: () => ask({cmd: "rss"}, "rss"), stop};
}
