import {mkdir} from "node:fs/promises";
import path from "node:path";
import {parseAnnounceRequest} from "../src/announce/request.js";
import {requireFfmpeg, runFfmpeg} from "../src/library/ffmpeg.js";
import {linkThroughBrowser} from "../src/sim/browser.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {latencyRow, quantile, simulatedApp, untilPrimed} from "./cloud.js";
import {table} from "./lib.js";

const RUNS = 30;
const WARMUP = 3;

/**
 * Announce request → the relay audio's first byte reaching the (virtual) player: the time a family
 * waits before the player starts speaking. Each announcement runs to its end (the simulator plays
 * 20× real time) and the player goes back to its card before the next. Speech is made by the local
 * engine; a library item needs only the conversion. Baseline: a plain signed file request.
 */
export async function announceBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const root = path.join(workDir, "announce");
  const media = path.join(root, "media");
  await mkdir(media, {recursive: true});
  const ffmpeg = requireFfmpeg().path;
  await runFfmpeg(ffmpeg, ["-y", "-f", "lavfi", "-i", "sine=frequency=880:duration=2", path.join(media, "ding.mp3")]);

  const {app, sim, stop} = await simulatedApp({root, mediaDirs: [media], speed: 20, ffmpegPath: ffmpeg});
  try {
    await linkThroughBrowser(app.account);
    await untilPrimed(app.players, sim.players.size);
    const id = DEMO_PLAYERS[0]?.deviceId as string;
    const player = sim.player(id);
    const item = app.library.items().find((it) => it.relPath === "ding.mp3");
    if (!item) throw new Error("bench: the chime was not indexed");

    const firstByte = async (body: object): Promise<number[]> => {
      const request = parseAnnounceRequest(body);
      const samples: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const before = player.fetches.length;
        const started = performance.now();
        await app.announcer.announce(id, request);
        const relay = player.fetches.slice(before).find((f) => f.url.includes("/relay/"));
        if (relay?.answeredAt === undefined) throw new Error("bench: the player never fetched the relay");
        if (i >= WARMUP) samples.push(relay.answeredAt - started);
      }
      return samples;
    };
    const speech = await firstByte({message: "Dinner is ready"});
    const library = await firstByte({item: item.id});

    const url = app.links.absolute(app.links.itemPath(item)) as string;
    const plain: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      const res = await fetch(url);
      if (i >= WARMUP) plain.push(performance.now() - started);
      await res.body?.cancel();
    }
    const rows = [
      latencyRow("plain signed file request (baseline)", plain),
      latencyRow("announce a library item → first relay byte", library),
      latencyRow("announce speech → first relay byte", speech),
    ];
    const ratio = (s: number[]) => (quantile(s, 0.5) / quantile(plain, 0.5)).toFixed(0);
    console.log(
      `\nAnnounce → first byte of the relay audio at the player, ${RUNS} announcements each\n${table(rows)}\nat p50: item ${ratio(library)}×, speech ${ratio(speech)}× a plain request`,
    );
    return rows;
  } finally {
    await stop();
  }
}
