import {mkdir, readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import mqtt from "mqtt";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {findOnPath} from "../src/core/findProgram.js";
import {DEMO_PLAYERS, YotoSimulator} from "../src/sim/simulator.js";
import {latencyRow, quantile} from "./cloud.js";
import {forkService, sized, table} from "./lib.js";

const RUNS = sized(30, 3);
const WARMUP = sized(3, 1);

/**
 * Announce request → the relay audio's first byte reaching the (virtual) player: the time a family
 * waits before the player starts speaking. The service runs in a process of its own, as beside
 * real players; the simulator (Yoto's cloud and the player) runs here and plays 20× real time.
 * Each announcement runs to its end and the player goes back to its card before the next. The
 * service is built as the command line builds it: speech made by the local engine, encoded by lame
 * when it is installed; a library item needs no conversion. Baselines: a plain signed file
 * request, and the same speech encoded by ffmpeg (a service without lame).
 */
export async function announceBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const root = path.join(workDir, "announce");
  const media = path.join(root, "media");
  await mkdir(media, {recursive: true});
  const ffmpeg = requireFfmpeg().path;
  const lame = findOnPath("lame");
  await runFfmpeg(ffmpeg, ["-y", "-f", "lavfi", "-i", "sine=frequency=880:duration=2", path.join(media, "ding.mp3")]);

  const viaFfmpeg = await withService({root: path.join(root, "ffmpeg"), media, ffmpeg}, async ({announced}) =>
    announced({message: "Dinner is ready"}),
  );
  return withService({root, media, ffmpeg, lame}, async ({ready, player, id, announced}) => {
    const speech = await announced({message: "Dinner is ready"});
    const library = await announced({item: ready.itemId});
    const playMedia = await playMediaFirstByte(ready, player, id, path.join(media, "ding.mp3"));

    const plain: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      const res = await fetch(ready.itemUrl);
      // Its first body byte, as the announcements are timed.
      const reader = res.body?.getReader();
      await reader?.read();
      if (i >= WARMUP) plain.push(performance.now() - started);
      await reader?.cancel();
    }
    const rows = [
      latencyRow("plain signed file request (baseline)", plain),
      latencyRow("announce a library item → first relay byte", library),
      latencyRow(`announce speech → first relay byte (encoded by ${lame ? "lame" : "ffmpeg"})`, speech),
      latencyRow("announce speech encoded by ffmpeg (no lame; baseline) → first relay byte", viaFfmpeg),
      latencyRow("play_media (a TTS-like URL, over MQTT) → first relay byte", playMedia),
    ];
    const ratio = (s: number[]) => (quantile(s, 0.5) / quantile(plain, 0.5)).toFixed(0);
    console.log(
      `\nAnnounce → first byte of the relay audio at the player, ${RUNS} announcements each\n${table(rows)}\nat p50: item ${ratio(library)}×, speech ${ratio(speech)}×, play_media ${ratio(playMedia)}× a plain request`,
    );
    return rows;
  });
}

/** What the service's process says once it is linked and its players are known. */
interface Ready {
  itemId: string;
  itemUrl: string;
  broker: {url: string; username?: string; password?: string};
  mediaPlayers: string[];
}

type SimPlayer = YotoSimulator extends {player(id: string): infer P} ? P : never;

interface Service {
  ready: Ready;
  player: SimPlayer;
  id: string;
  /** Announce `body` WARMUP + RUNS times; the RUNS timings to the relay's first byte, in ms. */
  announced(body: object): Promise<number[]>;
}

/** A fresh simulator here and the service linked to it in its own process, for `use`; both stopped after. */
async function withService<T>(
  o: {root: string; media: string; ffmpeg: string; lame?: string},
  use: (service: Service) => Promise<T>,
): Promise<T> {
  const sim = new YotoSimulator({speed: 20});
  await sim.start();
  const args = [o.root, o.media, JSON.stringify(sim.endpoints), String(sim.players.size), o.ffmpeg, o.lame ?? ""];
  const service = forkService("announceService", args);
  try {
    const ready = await service.ask<Ready>({}, "ready");
    const id = DEMO_PLAYERS[0]?.deviceId as string;
    const player = sim.player(id);
    const announced = async (body: object): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const before = player.fetches.length;
        const started = performance.now();
        const outcome = await service.ask<object>({announce: {player: id, body}}, "announced");
        const relay = player.fetches.slice(before).find((f) => f.url.includes("/relay/"));
        if (relay?.firstByteAt === undefined)
          throw new Error(`bench: the player never fetched the relay (${JSON.stringify(outcome)})`);
        if (i >= WARMUP) samples.push(relay.firstByteAt - started);
      }
      return samples;
    };
    return await use({ready, player, id, announced});
  } finally {
    await service.stop();
    await sim.stop();
  }
}

/**
 * What Home Assistant does for `tts.speak` on the media player: the MQTT Media Player integration
 * publishes `{"media_type", "media_id"}` with the TTS proxy's URL; the clip is fetched from a
 * local web server (as from Home Assistant's), converted, and the player fetches the relay.
 * Timed from the publish to the relay's first byte at the player; each runs to its end.
 */
async function playMediaFirstByte(ready: Ready, player: SimPlayer, id: string, file: string): Promise<number[]> {
  const bytes = await readFile(file);
  const server = http.createServer((_req, res) => res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(bytes));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const {broker} = ready;
  const client = await mqtt.connectAsync(broker.url, {username: broker.username, password: broker.password});
  const answers: string[] = [];
  client.on("message", (_topic, payload) => answers.push(payload.toString()));
  await client.subscribeAsync("yoto/bridge/response/player/media");
  const topic = `yoto/${id}/media/set/playmedia`;
  if (!ready.mediaPlayers.includes(id)) throw new Error("bench: no media player for the player");
  const samples: number[] = [];
  try {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const before = player.fetches.length;
      const answered = answers.length;
      const started = performance.now();
      await client.publishAsync(
        topic,
        JSON.stringify({media_type: "audio/mpeg", media_id: `${base}/api/tts_proxy/${i}.mp3`}),
      );
      while (answers.length === answered) await new Promise((r) => setTimeout(r, 2));
      if (!answers.at(-1)?.includes('"ok"')) throw new Error(`bench: play_media failed: ${answers.at(-1)}`);
      const relay = player.fetches.slice(before).find((f) => f.url.includes("/relay/"));
      if (relay?.firstByteAt === undefined) throw new Error("bench: the player never fetched the relay");
      if (i >= WARMUP) samples.push(relay.firstByteAt - started);
    }
    return samples;
  } finally {
    await client.endAsync();
    await new Promise((r) => server.close(r));
  }
}
