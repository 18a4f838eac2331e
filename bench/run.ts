// `npm run bench`: every benchmark, each reporting ratios against a baseline measured in the same run.
// BENCH_SECONDS shortens or lengthens each measurement (default 3 s); BENCH_ONLY=a,b runs only those
// sections (names as in the results file); BENCH_SMOKE=1 runs each at its smallest, to prove it runs. BENCH_PROF=<folder> writes a CPU profile of each service
// process the serving sections start (node --cpu-prof), to see where a request's time goes.
// BENCH_NOTIFY_ONLY=1 (with BENCH_ONLY=upnpRenderer) runs that section's NOTIFY comparison with gmediarender alone.
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {addAllBench} from "./addAll.js";
import {announceBench} from "./announce.js";
import {archiveBench} from "./archive.js";
import {childPageBench} from "./childPage.js";
import {cloudEvents} from "./cloudEvents.js";
import {familyBench} from "./family.js";
import {feedsBench} from "./feeds.js";
import {footprint} from "./footprint.js";
import {gateBench} from "./gate.js";
import {haPublish} from "./haPublish.js";
import {historyBench} from "./history.js";
import {hugeFeedBench} from "./hugeFeed.js";
import {importHealthBench} from "./importHealth.js";
import {indexing} from "./indexing.js";
import {BENCH_DIR, SMOKE} from "./lib.js";
import {mcpBench} from "./mcp.js";
import {panelBench} from "./panel.js";
import {picturesBench} from "./pictures.js";
import {radioBench} from "./radio.js";
import {rangeServing} from "./rangeServing.js";
import {rulesBench} from "./rules.js";
import {sourcesBench} from "./sources.js";
import {storyBench} from "./stories.js";
import {storyImportBench} from "./storyImport.js";
import {manyQueuesServing, shortTrackServing, streamServing} from "./streamServing.js";
import {upnpArrivalBench} from "./upnpArrival.js";
import {upnpLibraryBench} from "./upnpLibrary.js";
import {upnpQueueBench} from "./upnpQueue.js";
import {upnpRendererBench} from "./upnpRenderer.js";
import {voiceBench} from "./voice.js";

type Section = (workDir: string) => Promise<unknown>;
const SECTIONS: Record<string, Section> = {
  rangeServing,
  streamServing,
  shortTrackServing,
  manyQueues: manyQueuesServing,
  indexing,
  footprint,
  cloudEvents,
  haPublish,
  rules: rulesBench,
  stories: storyBench,
  storyImport: storyImportBench,
  importHealth: importHealthBench,
  panel: panelBench,
  announce: announceBench,
  feeds: feedsBench,
  hugeFeed: hugeFeedBench,
  history: historyBench,
  family: familyBench,
  gate: gateBench,
  archive: archiveBench,
  radio: radioBench,
  sources: sourcesBench,
  addAll: addAllBench,
  upnpRenderer: upnpRendererBench,
  upnpQueue: upnpQueueBench,
  upnpArrival: upnpArrivalBench,
  upnpLibrary: upnpLibraryBench,
  voice: voiceBench,
  mcp: mcpBench,
  childPage: childPageBench,
  pictures: picturesBench,
};

const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const unknown = only?.filter((name) => !Object.hasOwn(SECTIONS, name)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown BENCH_ONLY section(s): ${unknown.join(", ")}; known: ${Object.keys(SECTIONS).join(", ")}`);
  process.exit(2);
}
const workDir = await mkdtemp(path.join(os.tmpdir(), "yss-bench-"));
try {
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
  };
  // A section that fails says so and the others still run: one broken section once hid every later one.
  const failed: string[] = [];
  for (const [name, run] of Object.entries(SECTIONS)) {
    if (only && !only.includes(name)) continue;
    const started = performance.now();
    try {
      results[name] = await run(workDir);
    } catch (err) {
      failed.push(name);
      results[name] = {failed: err instanceof Error ? (err.stack ?? err.message) : String(err)};
      console.error(`\nSection '${name}' failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    if (SMOKE)
      console.log(
        `[smoke] ${name}: ${failed.at(-1) === name ? "failed" : "ran"} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  }
  if (SMOKE) {
    // Figures from a smoke run mean nothing: they are not written where real ones are kept.
    console.log(
      `\nSmoke run: ${Object.keys(results).length - 2 - failed.length} section(s) ran, ${failed.length} failed${failed.length ? ` (${failed.join(", ")})` : ""}`,
    );
  } else {
    await mkdir(path.join(BENCH_DIR, "results"), {recursive: true});
    const file = only ? `latest-${only.join("-")}.json` : "latest.json";
    await writeFile(path.join(BENCH_DIR, "results", file), JSON.stringify(results, null, 2));
    console.log(`\nResults written to bench/results/${file} (${results.machine})`);
  }
  if (failed.length > 0) process.exitCode = 1;
} finally {
  await rm(workDir, {recursive: true, force: true});
}
