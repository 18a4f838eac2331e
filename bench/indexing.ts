import {copyFile, mkdir, readdir, stat} from "node:fs/promises";
import path from "node:path";
import {EventBus} from "../src/core/events.js";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {Logger} from "../src/core/logger.js";
import {Library} from "../src/library/library.js";
import {Store} from "../src/store/store.js";
import {sized, table} from "./lib.js";

const FIRST_INDEX_FILES = sized(2000, 20);
const RESCAN_FILES = sized(10_000, 40);
const FOLDERS = sized(20, 2);
const ROUNDS = sized(3, 1);

/**
 * The library's index: the first index of 2,000 files (every file read for its metadata and saved)
 * and a rescan of 10,000 unchanged files (only a walk and stats), medians of three. The baseline is
 * the least any index can do in the same run: walking the folders and stat-ing every file.
 */
export async function indexing(workDir: string): Promise<Array<Record<string, string | number>>> {
  const sample = path.join(workDir, "index-sample.mp3");
  // Thirty seconds at 128 kb/s with tags: an ordinary library file (about 480 KB).
  await runFfmpeg(requireFfmpeg().path, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=330:duration=30",
    "-b:a",
    "128k",
    "-metadata",
    "title=Bench track",
    "-metadata",
    "artist=Bench",
    sample,
  ]);
  const rows: Array<Record<string, string | number>> = [];

  const small = path.join(workDir, "index-2000");
  await fill(small, sample, FIRST_INDEX_FILES);
  const walk2000 = await median(() => walkAndStat(small));
  // A fresh data folder each round: every round is a first index.
  let round = 0;
  const first = await median(() => indexOnce(workDir, `index-2000-${round++}`, small));
  rows.push(row(`first index, ${FIRST_INDEX_FILES} files`, first, walk2000));

  const large = path.join(workDir, "index-10000");
  await fill(large, sample, RESCAN_FILES);
  const dataName = "index-10000";
  await indexOnce(workDir, dataName, large); // the first index, to have 10,000 cached items
  const walk10000 = await median(() => walkAndStat(large));
  const starts: number[] = [];
  const rescans: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const whole = await timed(() =>
      indexOnce(workDir, dataName, large, async (library) => {
        for (let j = 0; j < ROUNDS; j++) rescans.push(await timed(() => library.scan().then(() => undefined)));
      }),
    );
    starts.push(whole - rescans.slice(-ROUNDS).reduce((a, b) => a + b, 0));
  }
  rows.push(row(`start with ${RESCAN_FILES} cached files (load + scan)`, middle(starts), walk10000));
  rows.push(row(`rescan, ${RESCAN_FILES} cached files`, middle(rescans), walk10000));

  console.log(`\nLibrary index (baseline: walking the same folders and stat-ing every file)\n${table(rows)}`);
  return rows;
}

/** A library started on `dir` with the data folder `name` (reused: a second run finds its cache), then stopped. */
async function indexOnce(
  workDir: string,
  name: string,
  dir: string,
  then?: (library: Library) => Promise<void>,
): Promise<void> {
  const log = new Logger({level: "error"});
  const store = new Store(path.join(workDir, `data-${name}`), log);
  await store.start();
  const library = new Library({
    mediaDirs: [dir],
    uploadsDir: path.join(workDir, `data-${name}`, "uploads"),
    store,
    bus: new EventBus(log),
    log,
  });
  try {
    await library.start();
    const scan = library.lastScan;
    if (!scan || scan.failed > 0) throw new Error(`bench: the index failed (${JSON.stringify(scan)})`);
    await then?.(library);
  } finally {
    await library.stop();
    await store.stop();
  }
}

async function fill(dir: string, sample: string, count: number): Promise<void> {
  for (let f = 0; f < FOLDERS; f++) await mkdir(path.join(dir, `album${f}`), {recursive: true});
  for (let i = 0; i < count; i++) await copyFile(sample, path.join(dir, `album${i % FOLDERS}`, `track${i}.mp3`));
}

async function walkAndStat(dir: string): Promise<void> {
  for (const folder of await readdir(dir)) {
    const files = await readdir(path.join(dir, folder));
    await Promise.all(files.map((f) => stat(path.join(dir, folder, f))));
  }
}

/** Median of ROUNDS runs: this machine's neighbours make single runs vary by half. */
async function median(fn: () => Promise<void>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await timed(fn));
  return middle(runs);
}

function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function row(what: string, ms: number, baselineMs: number): Record<string, string | number> {
  return {
    what,
    ms: ms.toFixed(0),
    "walk + stat ms": baselineMs.toFixed(0),
    "vs walk + stat": `${(ms / baselineMs).toFixed(1)}×`,
  };
}
