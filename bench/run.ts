// `npm run bench`: every benchmark, each reporting ratios against a baseline measured in the same run.
// BENCH_SECONDS shortens or lengthens each measurement (default 3 s).
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {cloudEvents} from "./cloudEvents.js";
import {haPublish} from "./haPublish.js";
import {BENCH_DIR} from "./lib.js";
import {panelBench} from "./panel.js";
import {rangeServing} from "./rangeServing.js";
import {rulesBench} from "./rules.js";
import {storyBench} from "./stories.js";
import {streamServing} from "./streamServing.js";

const workDir = await mkdtemp(path.join(os.tmpdir(), "yss-bench-"));
try {
  const results = {
    at: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
    rangeServing: await rangeServing(workDir),
    streamServing: await streamServing(workDir),
    cloudEvents: await cloudEvents(workDir),
    haPublish: await haPublish(workDir),
    rules: await rulesBench(workDir),
    stories: await storyBench(workDir),
    panel: await panelBench(workDir),
  };
  await mkdir(path.join(BENCH_DIR, "results"), {recursive: true});
  await writeFile(path.join(BENCH_DIR, "results", "latest.json"), JSON.stringify(results, null, 2));
  console.log(`\nResults written to bench/results/latest.json (${results.machine})`);
} finally {
  await rm(workDir, {recursive: true, force: true});
}
