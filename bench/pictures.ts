import {readFile, stat} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {linkThroughBrowser} from "../src/sim/browser.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {latencyRow, quantile, simulatedApp, sleep, untilPrimed} from "./cloud.js";
import {sized, table} from "./lib.js";

const UPLOADS = sized(10, 2);
const READS = sized(200, 5);
const SERVED = sized(200, 5);
/** Each timed loop starts after this many untimed rounds: the first ones pay for JIT and a cold disk cache. */
const WARMUP = sized(5, 1);
/** A full shelf (the plan's most), half of it cards with art of their own, half drawn. */
const CARDS = 100;
const WITH_ART = 50;
/** How long the first reads may take to show every card's art before the section gives up. */
const FIRST_MAKE_LIMIT_MS = 120_000;
/** What the service runs on an upload (src/pictures/pictureFiles.ts), run here by hand as the baseline. */
const SCALE = "scale='min(480,iw)':'min(480,ih)':force_original_aspect_ratio=decrease,format=yuvj420p";

interface Item {
  id: string;
  cover: string;
  picture: string;
}

/**
 * Pictures on the child's shelf, end to end on the whole service and the simulator:
 * - a parent's upload of a 12-megapixel phone photo (`PUT /api/pictures/<item>`), against ffmpeg
 *   scaling the same file by hand as the service does: the upload's cost beyond ffmpeg is the
 *   header check, the body read and keeping the choice, which should be small beside decoding;
 * - a shelf read of 100 cards, 50 with art, once their pictures are made (and, as a row of its
 *   own, how long the first reads take until all 50 are made), against `GET /api/health`: a shelf
 *   read must stay cheap once its pictures are made, since the child's page reads it on every load;
 * - one made picture served, against one of the shelf's drawings: both are files from the service's
 *   own origin, and a picture should cost no more to serve than a drawing.
 */
export async function picturesBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const ffmpeg = requireFfmpeg().path;
  const root = path.join(workDir, "pictures");
  const {app, sim, stop} = await simulatedApp({root, mediaDirs: [], upnp: false, ffmpegPath: ffmpeg});
  try {
    // A photo-like picture: a test pattern under moving noise, so the JPEG is as big as a phone's.
    const photo = path.join(root, "photo.jpg");
    await runFfmpeg(ffmpeg, [
      ...["-f", "lavfi", "-i", "testsrc2=size=4000x3000,noise=alls=30:allf=t+u"],
      ...["-frames:v", "1", "-q:v", "3", "-y", photo],
    ]);
    const photoBytes = (await stat(photo)).size;
    const upload = await readFile(photo);

    // The cards before the account is linked, as the voice bench has them: the catalogue is read once linked.
    const ids = Array.from({length: CARDS}, (_, i) => `pic${String(i).padStart(3, "0")}`);
    for (const [i, cardId] of ids.entries())
      sim.addCard({
        cardId,
        title: `Picture story ${i}`,
        content: {
          chapters: [
            {
              key: "01",
              title: "One",
              tracks: [{key: "01", title: "One", trackUrl: "yoto:#x", type: "audio", duration: 300}],
            },
          ],
        },
        // Every other card has art, each its own address, so 50 different pictures are made.
        ...(i % 2 === 0 ? {metadata: {cover: {imageL: `${sim.url}/covers/${cardId}.png`}}} : {}),
      });
    await linkThroughBrowser(app.account);
    await untilPrimed(app.players, sim.players.size);
    await app.family.put("Mia", {players: [DEMO_PLAYERS[1]?.deviceId as string], shelf: ids});
    const base = `${app.admin.url}/`;
    const get = async (url: string): Promise<Response> => {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`bench: GET ${url} answered ${res.status}: ${await res.text()}`);
      return res;
    };
    const shelf = async (): Promise<Item[]> =>
      ((await (await get(`${base}api/children/Mia/shelf`)).json()) as {items: Item[]}).items;
    const timedGet = async (url: string): Promise<number> => {
      const started = performance.now();
      await (await get(url)).arrayBuffer();
      return performance.now() - started;
    };

    // The first reads, until every card's art is made: a read waits for them at most 1.5 s. Health is
    // asked meanwhile, again as soon as it answers: nothing a shelf makes may hold the loop (< 100 ms).
    let making = true;
    const healthWhileMaking: number[] = [];
    const asking = (async () => {
      while (making) healthWhileMaking.push(await timedGet(`${base}api/health`));
    })();
    const firstStarted = performance.now();
    let items = await shelf();
    while (items.filter((i) => i.picture === "art").length < WITH_ART) {
      if (performance.now() - firstStarted > FIRST_MAKE_LIMIT_MS)
        throw new Error(
          `bench: after ${FIRST_MAKE_LIMIT_MS / 1000} s only ${items.filter((i) => i.picture === "art").length} of ${WITH_ART} cards show their art`,
        );
      await sleep(20);
      items = await shelf();
    }
    const firstMake = performance.now() - firstStarted;
    making = false;
    await asking;
    if (items.length !== CARDS) throw new Error(`bench: the shelf shows ${items.length} of ${CARDS} cards`);
    const art = items.find((i) => i.picture === "art") as Item;
    const drawn = items.find((i) => i.picture === "drawing");
    if (!drawn) throw new Error("bench: no card on the shelf is drawn");

    // Shelf reads and health, in turn, so that both see the same moments of the process.
    const reads: number[] = [];
    const health: number[] = [];
    for (let i = 0; i < WARMUP + READS; i++) {
      const r = await timedGet(`${base}api/children/Mia/shelf`);
      const h = await timedGet(`${base}api/health`);
      if (i >= WARMUP) {
        reads.push(r);
        health.push(h);
      }
    }

    const served: number[] = [];
    const drawing: number[] = [];
    for (let i = 0; i < WARMUP + SERVED; i++) {
      const p = await timedGet(`${base}${art.cover}`);
      const d = await timedGet(`${base}${drawn.cover}`);
      if (i >= WARMUP) {
        served.push(p);
        drawing.push(d);
      }
    }

    // Uploads last, on a drawn card: the art cards keep theirs for the reads above.
    const uploads: number[] = [];
    const scaled: number[] = [];
    const out = path.join(root, "scaled.jpg");
    for (let i = 0; i < 1 + UPLOADS; i++) {
      let started = performance.now();
      const res = await fetch(`${base}api/pictures/${encodeURIComponent(drawn.id)}`, {
        method: "PUT",
        headers: {"content-type": "image/jpeg"},
        body: upload,
      });
      if (res.status !== 200) throw new Error(`bench: the upload answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      const u = performance.now() - started;
      started = performance.now();
      await runFfmpeg(ffmpeg, ["-i", photo, "-vf", SCALE, "-frames:v", "1", "-q:v", "3", "-y", out]);
      const s = performance.now() - started;
      if (i >= 1) {
        uploads.push(u);
        scaled.push(s);
      }
    }

    const ratio = (ours: number[], base: number[]) => (quantile(ours, 0.5) / quantile(base, 0.5)).toFixed(2);
    const rows = [
      latencyRow("ffmpeg scaling the photo to 480 px by hand (baseline)", scaled),
      latencyRow(`upload: PUT /api/pictures/<item>, 4000×3000 JPEG (${(photoBytes / 1e6).toFixed(1)} MB)`, uploads),
      latencyRow(`first reads until all ${WITH_ART} pictures made`, [firstMake]),
      latencyRow("GET /api/health (baseline)", health),
      latencyRow(`GET /api/health while the ${WITH_ART} pictures are made (p99 < 100 ms)`, healthWhileMaking),
      latencyRow(`shelf read: ${CARDS} cards, ${WITH_ART} with pictures made`, reads),
      latencyRow("a drawing served (baseline)", drawing),
      latencyRow("a made picture served", served),
    ];
    console.log(
      `\nPictures: ${UPLOADS} uploads, ${READS} shelf reads of ${CARDS} cards (${WITH_ART} with art), ${SERVED} pictures served\n${table(rows)}\nat p50: upload ${ratio(uploads, scaled)}× ffmpeg by hand; shelf read ${ratio(reads, health)}× health; picture ${ratio(served, drawing)}× a drawing`,
    );
    return [
      ...rows,
      {path: "ratio p50: upload / ffmpeg by hand", events: "", p50_ms: ratio(uploads, scaled), p99_ms: ""},
      {path: "ratio p50: shelf read / health", events: "", p50_ms: ratio(reads, health), p99_ms: ""},
      {
        path: "ratio p99: health while pictures are made / health",
        events: "",
        p50_ms: "",
        p99_ms: (quantile(healthWhileMaking, 0.99) / quantile(health, 0.99)).toFixed(2),
      },
      {path: "ratio p50: picture served / drawing served", events: "", p50_ms: ratio(served, drawing), p99_ms: ""},
    ];
  } finally {
    await stop();
  }
}
