import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {requireFfmpeg, runFfmpeg} from "../src/core/ffmpeg.js";
import {linkThroughBrowser} from "../src/sim/browser.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {latencyRow, quantile, simulatedApp, sleep, untilPrimed} from "./cloud.js";
import {sized, table} from "./lib.js";
import {exportStallRows} from "./storyExport.js";

const PRESSES = sized(300, 10);
const WARMUP = sized(50, 2);

// Two scenes a button press toggles between; the second plays a stream a rule refills on each press.
const STORY = `story:
  id: bench
  start: a
  scenes:
    a: {audio: a.mp3, left: b}
    b: {audio: {stream: b_scene}, left: a}
`;
const RULES = `- id: refill_b
  mode: queued
  triggers: [{trigger: button, button: left, story: bench}]
  actions:
    - {action: stream.replace, stream: b_scene, items: [b.mp3]}
`;

/**
 * Button (chapter change) → story and queue updated → next scene request answered (the README's "Development": `npm run bench`): a
 * left press on a virtual player holding an interactive story card, until the response headers for
 * the next scene reach that player. The player's own fetch is timed. Every press runs a rule that
 * rewrites the next scene's queue (saved to SQLite) before the scene is served. The baseline is a
 * plain signed file request to the same listener. Then a 2,000-passage story's Twee export, and the
 * event loop's longest stall while it is written (storyExport.ts).
 */
export async function storyBench(workDir: string): Promise<Record<string, Array<Record<string, string | number>>>> {
  const root = path.join(workDir, "story");
  const media = path.join(root, "media");
  await mkdir(media, {recursive: true});
  await mkdir(path.join(root, "rules"), {recursive: true});
  const ffmpeg = requireFfmpeg().path;
  for (const [file, hz] of [
    ["a.mp3", 440],
    ["b.mp3", 550],
  ] as const)
    await runFfmpeg(ffmpeg, [
      "-y",
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=${hz}:duration=30`,
      "-b:a",
      "128k",
      path.join(media, file),
    ]);
  await writeFile(path.join(root, "rules", "story.yaml"), STORY);
  await writeFile(path.join(root, "rules", "rules.yaml"), RULES);

  const {app, sim, stop} = await simulatedApp({root, mediaDirs: [media], ffmpegPath: ffmpeg});
  try {
    await linkThroughBrowser(app.account);
    await untilPrimed(app.players, sim.players.size);
    const card = await app.cards.fromStory("bench");
    const player = sim.player(DEMO_PLAYERS[0]?.deviceId as string);
    player.insertCard(card.cardId);
    const answered = async (count: number) => {
      while (player.fetches.length < count || player.fetches[count - 1]?.answeredAt === undefined) await sleep(1);
      return player.fetches[count - 1]?.answeredAt as number;
    };
    await answered(1);

    const presses: number[] = [];
    for (let i = 0; i < WARMUP + PRESSES; i++) {
      const next = player.fetches.length + 1;
      const started = performance.now();
      player.pressLeft();
      const at = await answered(next);
      if (i >= WARMUP) presses.push(at - started);
    }

    const item = app.library.items().find((it) => it.relPath === "a.mp3");
    const url = app.links.absolute(app.links.itemPath(item as NonNullable<typeof item>)) as string;
    const plain: number[] = [];
    for (let i = 0; i < WARMUP + PRESSES; i++) {
      const started = performance.now();
      const res = await fetch(url);
      if (i >= WARMUP) plain.push(performance.now() - started);
      await res.body?.cancel();
    }
    const rows = [
      latencyRow("plain signed file request (baseline)", plain),
      latencyRow("button → next scene answered", presses),
    ];
    const ratio = quantile(presses, 0.5) / quantile(plain, 0.5);
    console.log(
      `\nButton → story and queue updated → next scene answered, ${PRESSES} presses\n${table(rows)}\nbutton path / plain request at p50: ${ratio.toFixed(2)}× (target: p99 < 20 ms)`,
    );
    const exportRows = await exportStallRows(app, path.join(root, "rules"));
    console.log(`\nTwee export: time and the event loop's longest stall (goal < 100 ms)\n${table(exportRows)}`);
    return {
      buttonPress: [...rows, {path: "ratio p50 (button / plain)", events: "", p50_ms: ratio.toFixed(2), p99_ms: ""}],
      exportStall: exportRows,
    };
  } finally {
    await stop();
  }
}
