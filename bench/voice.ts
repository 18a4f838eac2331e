import path from "node:path";
import mqtt, {type MqttClient} from "mqtt";
import {linkThroughBrowser} from "../src/sim/browser.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {latencyRow, quantile, simulatedApp, sleep, untilPrimed} from "./cloud.js";
import {sized, table} from "./lib.js";

const RUNS = sized(300, 10);
const PLAYS = sized(100, 5);
/** A big family library: every request reads and compares all of it. */
const CARDS = sized(2000, 40);
const WARMUP = sized(20, 2);
/** Plays one every 150 ms: the voice service acts on 10 requests a second (a burst of 20), as a family speaks. */
const PLAY_EVERY_MS = 150;
const MINI = DEMO_PLAYERS[1]?.deviceId as string;

/**
 * A voice request over MQTT, as the voice blueprint sends it, against a bare bridge request of the
 * same kind in the same run, on the demo's players (the simulator's, acking as Yoto's do). Two
 * kinds: a question (request → its answer: "what's playing on Mia's Yoto" against `health_check`,
 * which answers without any work), and a play (request → the answer, sent once the player has
 * acknowledged the command: "play Songs on Mia's Yoto" against `player/command` play_card by id).
 * The voice side reads the family plan, the catalogue of everything playable (cards, groups,
 * stories, streams, library items: 2,000 cards here) and the parents' rules on every request. Goals: the answer p99
 * under 100 ms, the play p99 under 300 ms.
 */
export async function voiceBench(workDir: string): Promise<Array<Record<string, string | number>>> {
  const root = path.join(workDir, "voice");
  const {app, sim, stop} = await simulatedApp({root, mediaDirs: [path.join(root, "media")], upnp: false});
  let client: MqttClient | undefined;
  try {
    // The family's cards, there before the account is linked (the catalogue is read once linked).
    for (let i = 0; i < CARDS; i++)
      sim.addCard({
        cardId: `c${String(i).padStart(4, "0")}`,
        title: i === 0 ? "Songs" : `Story number ${i}`,
        content: {
          chapters: [
            {
              key: "01",
              title: "One",
              tracks: [{key: "01", title: "One", trackUrl: "yoto:#x", type: "audio", duration: 600}],
            },
          ],
        },
      });
    await linkThroughBrowser(app.account);
    await untilPrimed(app.players, sim.players.size);
    await app.family.put("Mia", {players: [MINI]});
    await app.family.put("Ben", {players: [DEMO_PLAYERS[0]?.deviceId as string]});
    const {url, ...login} = app.broker.connection();
    client = await mqtt.connectAsync(url, {...login, protocolVersion: 4});
    const timed = requester(client);
    // The answers only: not the copies voice keeps retained per transaction (`…/voice/<transaction>`).
    await client.subscribeAsync(
      ["health_check", "voice", "player/command"].map((path) => `yoto/bridge/response/${path}`),
      {qos: 0},
    );

    const health = await timed("health_check", () => ({}));
    const question = await timed("voice", () => ({
      trigger: "whats_playing",
      slots: {who: "Mia's"},
      sentence: "what's playing on Mia's Yoto",
      language: "en",
    }));
    const paced = {runs: PLAYS, everyMs: PLAY_EVERY_MS};
    const bareCommand = await timed(
      "player/command",
      () => ({player: MINI, command: "play_card", cardId: "c0000"}),
      paced,
    );
    const voicePlay = await timed(
      "voice",
      () => ({
        trigger: "play",
        slots: {what: "songs", who: "Mia's"},
        sentence: "play songs on Mia's Yoto",
        language: "en",
      }),
      {
        ...paced,
        check: (data) => {
          if ((data as {outcome?: string}).outcome !== "played")
            throw new Error(`the voice play was not played: ${JSON.stringify(data)}`);
        },
      },
    );
    const rows = [
      latencyRow("bare bridge request: health_check → answer (baseline)", health),
      latencyRow("voice: what's playing on Mia's Yoto → answer", question),
      latencyRow("bare bridge request: player/command play_card → acked (baseline)", bareCommand),
      latencyRow("voice: play Songs on Mia's Yoto → played, acked", voicePlay),
    ];
    const ratio = (ours: number[], base: number[]) => (quantile(ours, 0.99) / quantile(base, 0.99)).toFixed(2);
    console.log(
      `\nVoice request over MQTT → answer, one at a time: ${RUNS} questions, ${PLAYS} plays (one per ${PLAY_EVERY_MS} ms) among ${CARDS} cards\n${table(rows)}\nat p99: answer ${ratio(question, health)}× a bare request (goal < 100 ms: ${quantile(question, 0.99).toFixed(1)} ms); play ${ratio(voicePlay, bareCommand)}× a bare play command (goal < 300 ms: ${quantile(voicePlay, 0.99).toFixed(1)} ms)`,
    );
    return [
      ...rows,
      {path: "ratio at p99: voice answer / bare request", events: "", p50_ms: "", p99_ms: ratio(question, health)},
      {
        path: "ratio at p99: voice play / bare play command",
        events: "",
        p50_ms: "",
        p99_ms: ratio(voicePlay, bareCommand),
      },
    ];
  } finally {
    await client?.endAsync(true);
    await stop();
  }
}

/** Send one request at a time on `path` and time each until its answer (by transaction) arrives. */
function requester(client: MqttClient) {
  let next = 0;
  const waiting = new Map<string, (body: {status: string; data: unknown; error?: string}) => void>();
  client.on("message", (_topic, payload) => {
    if (payload.length === 0) return;
    const body = JSON.parse(payload.toString()) as {transaction?: string; status: string; data: unknown};
    const done = body.transaction === undefined ? undefined : waiting.get(body.transaction);
    if (done) done(body);
  });
  return async (
    path: string,
    body: () => Record<string, unknown>,
    opts: {runs?: number; everyMs?: number; check?: (data: unknown) => void} = {},
  ): Promise<number[]> => {
    const samples: number[] = [];
    for (let i = 0; i < WARMUP + (opts.runs ?? RUNS); i++) {
      const transaction = `bench-${++next}`;
      const started = performance.now();
      const answered = new Promise<{status: string; data: unknown; error?: string}>((resolve) =>
        waiting.set(transaction, resolve),
      );
      await client.publishAsync(`yoto/bridge/request/${path}`, JSON.stringify({...body(), transaction}));
      const answer = await answered;
      waiting.delete(transaction);
      if (answer.status !== "ok") throw new Error(`${path} failed: ${answer.error}`);
      opts.check?.(answer.data);
      if (i >= WARMUP) samples.push(performance.now() - started);
      const rest = (opts.everyMs ?? 0) - (performance.now() - started);
      if (rest > 0) await sleep(rest);
    }
    return samples;
  };
}
