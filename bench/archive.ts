import {createWriteStream} from "node:fs";
import {mkdir, readFile, rm} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {pipeline} from "node:stream/promises";
import {App} from "../src/app/app.js";
import {defaultConfig} from "../src/config/schema.js";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {Logger} from "../src/core/logger.js";
import type {ArchiveRun} from "../src/shared/api/archive.js";
import {linkThroughBrowser} from "../src/sim/browser.js";
import {YotoSimulator} from "../src/sim/simulator.js";
import {sized, table} from "./lib.js";

const CARDS = sized(50, 2);
const TRACKS = sized(10, 2);
const ROUNDS = sized(3, 1);
// Files fetched side by side: the archive's own figure, so the baseline is the same work.
const AT_ONCE = 4;

type Row = Record<string, string | number>;

/**
 * Issue #36: archiving the family's cards, the whole service (App on loopback) against the
 * simulator holding 50 Make Your Own cards of 10 distinct tracks (about 12 s of 128k MP3 each,
 * 95 MB in all), read back with signed links:
 * - first run: `POST /api/archive/run?wait=true` on a fresh data folder (reads each card, fetches,
 *   hashes, checks and flushes every file, writes each card's record);
 * - baseline: a bare `http.get` of the same 500 signed links into files, the same 4 at a time;
 * - nothing new: a second run on the same archive (must fetch nothing, in under 2 s).
 * Each round uses a fresh App and data folder; min/median/max of 3 rounds; ratio at the median.
 */
export async function archiveBench(workDir: string): Promise<Row[]> {
  const root = path.join(workDir, "archive");
  await mkdir(root, {recursive: true});
  const ffmpeg = requireFfmpeg().path;
  const tone = path.join(root, "tone.mp3");
  await runFfmpeg(ffmpeg, ["-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=12", "-b:a", "128k", tone]);
  const audio = await readFile(tone);
  const sim = new YotoSimulator();
  await sim.start();
  for (let c = 0; c < CARDS; c++) {
    const chapters = Array.from({length: TRACKS}, (_, t) => {
      // Distinct bytes per track: the same tone with its own ID3v1 tag.
      const tag = Buffer.alloc(128);
      tag.write(`TAG card ${c} track ${t}`, 0, "latin1");
      const sha = sim.addMedia(Buffer.concat([audio, tag]));
      const key = String(t + 1).padStart(2, "0");
      return {
        key,
        title: `Track ${t + 1}`,
        tracks: [{key, title: `Track ${t + 1}`, trackUrl: `yoto:#${sha}`, type: "audio" as const}],
      };
    });
    sim.addCard({cardId: `c${String(c).padStart(4, "0")}`, title: `Card ${c + 1}`, content: {chapters}});
  }
  const totalBytes = CARDS * TRACKS * (audio.length + 128);
  const first: number[] = [];
  const bare: number[] = [];
  const nothingNew: number[] = [];
  let nothingNewBytes = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const app = await archiveApp(sim, path.join(root, `app-${round}`));
      try {
        bare.push(await bareDownload(sim, await app.account.accessToken(), path.join(root, `bare-${round}`)));
        const started = performance.now();
        const run = await archiveRun(app);
        first.push(performance.now() - started);
        if (run.state !== "done" || run.downloaded.files !== CARDS * TRACKS || run.downloaded.bytes !== totalBytes)
          throw new Error(`bench: the first archive run ended ${run.state} with ${run.downloaded.files} file(s)`);
        const again = performance.now();
        const second = await archiveRun(app);
        nothingNew.push(performance.now() - again);
        nothingNewBytes = Math.max(nothingNewBytes, second.downloaded.bytes);
      } finally {
        await app.stop();
      }
      await rm(path.join(root, `bare-${round}`), {recursive: true, force: true});
      await rm(path.join(root, `app-${round}`), {recursive: true, force: true});
    }
  } finally {
    await sim.stop();
  }
  const stats = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [f, b, n] = [stats(first), stats(bare), stats(nothingNew)];
  const ms = (xs: number[]) => `${xs[0]?.toFixed(0)} / ${xs[1]?.toFixed(0)} / ${xs[2]?.toFixed(0)}`;
  const rows: Row[] = [
    {
      case: `first run, ${CARDS} cards × ${TRACKS} tracks (${(totalBytes / 1024 / 1024).toFixed(0)} MiB)`,
      "ms min/med/max": ms(f),
      "baseline bare download ms": ms(b),
      ratio: ((f[1] ?? 0) / (b[1] ?? 1)).toFixed(2),
    },
    {
      case: "second run, nothing new",
      "ms min/med/max": ms(n),
      "baseline bare download ms": "-",
      ratio: `${nothingNewBytes} bytes fetched`,
    },
  ];
  console.log(`\nArchive (#36): goal first run ≤ 1.5× a bare download, nothing new < 2 s and 0 bytes\n${table(rows)}`);
  return rows;
}

async function archiveApp(sim: YotoSimulator, root: string): Promise<App> {
  const app = new App({
    config: {
      ...defaultConfig(false),
      data_dir: path.join(root, "data"),
      media_dirs: [path.join(root, "media")],
      rules_dir: path.join(root, "rules"),
      audio_port: 0,
      ingress_port: 0,
      embedded_broker_port: 0,
      yoto_client_id: "bench",
      archive_nightly: "off",
    },
    log: new Logger({level: "error"}),
    host: "127.0.0.1",
    cloud: sim.endpoints,
  });
  await app.start();
  await linkThroughBrowser(app.account);
  return app;
}

async function archiveRun(app: App): Promise<ArchiveRun> {
  const res = await fetch(`${app.admin.url}/api/archive/run?wait=true`, {method: "POST"});
  return ((await res.json()) as {run: ArchiveRun}).run;
}

/** The same signed links, read back as the archive would, fetched into plain files 4 at a time. */
async function bareDownload(sim: YotoSimulator, token: string, dir: string): Promise<number> {
  await mkdir(dir, {recursive: true});
  const started = performance.now();
  const urls: string[] = [];
  for (const cardId of sim.cardIds) {
    const res = await fetch(`${sim.url}/content/${cardId}`, {headers: {Authorization: `Bearer ${token}`}});
    const {card} = (await res.json()) as {card: {content: {chapters: Array<{tracks: Array<{trackUrl: string}>}>}}};
    for (const chapter of card.content.chapters) for (const track of chapter.tracks) urls.push(track.trackUrl);
  }
  const agent = new http.Agent({keepAlive: true});
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const n = next++;
      await new Promise<void>((resolve, reject) => {
        http
          .get(urls[n] as string, {agent}, (res) => {
            pipeline(res, createWriteStream(path.join(dir, `${n}.mp3`))).then(resolve, reject);
          })
          .on("error", reject);
      });
    }
  };
  await Promise.all(Array.from({length: AT_ONCE}, worker));
  agent.destroy();
  return performance.now() - started;
}
