import {mkdir} from "node:fs/promises";
import path from "node:path";
import type {App} from "../src/app/app.js";
import {requireFfmpeg} from "../src/core/ffmpeg.js";
import type {StoryImported} from "../src/shared/api/stories.js";
import {linkThroughBrowser} from "../src/sim/browser.js";
import type {VirtualPlayer} from "../src/sim/player.js";
import {DEMO_PLAYERS} from "../src/sim/simulator.js";
import {latencyRow, simulatedApp, sleep, untilPrimed} from "./cloud.js";
import {importStallRows} from "./importStall.js";
import {sized, table} from "./lib.js";

const PASSAGES = sized(200, 12);
const REIMPORTS = sized(20, 2);
const INK_RUNS = sized(20, 2);
/** Imports and card inserts before the timed ones: the first of each pays for loading code. */
const WARMUP = 1;
const STEP_LIMIT_MS = 60_000;

type Row = Record<string, string | number>;

/** A small seeded generator: the same story every run, so runs compare. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "the old lantern flickers while wind moves through tall pines near a quiet river where stones glitter and a fox waits patiently beside mossy roots under silver clouds".split(
    " ",
  );
const PLACES = ["bridge", "cave", "orchard", "tower", "meadow", "harbour", "well", "hollow", "ridge", "garden"];

/**
 * A Twee 3 story of `count` passages, each 150-300 characters of text and 1-3 links (the next
 * passage, so all are reachable, and sometimes one back or further on); the last passage ends it.
 * `prefix` names the passages: two prefixes give the same spoken texts under other scene ids.
 */
export function tweeStory(title: string, count: number, prefix: string): string {
  const random = seeded(count * 7919 + title.length);
  const name = (i: number) => `${prefix}${i}`;
  const passages: string[] = [];
  for (let i = 1; i <= count; i++) {
    let text = `Scene ${i}.`;
    const length = 150 + Math.floor(random() * 150);
    while (text.length < length) text += ` ${WORDS[Math.floor(random() * WORDS.length)]}`;
    const targets = i < count ? [i + 1] : [];
    if (i < count && random() < 0.5) targets.push(Math.max(1, i - 1 - Math.floor(random() * 5)));
    if (i + 2 <= count && random() < 0.4) targets.push(Math.min(count, i + 2 + Math.floor(random() * 5)));
    const links = [...new Set(targets)].map(
      (t, k) => `[[Go to the ${PLACES[(t + k) % PLACES.length]} ${t}->${name(t)}]]`,
    );
    passages.push(`:: ${name(i)}\n${text}.\n${links.join("\n")}`);
  }
  const data = {ifid: "6F1B5C2E-3A4D-4E5F-8A9B-0C1D2E3F4A5B", format: "Harlowe", start: name(1)};
  return `:: StoryTitle\n${title}\n\n:: StoryData\n${JSON.stringify(data)}\n\n${passages.join("\n\n")}\n`;
}

async function importStory(app: App, filename: string, text: string): Promise<StoryImported> {
  const res = await fetch(`${app.admin.url}/api/stories/import?filename=${encodeURIComponent(filename)}&replace=true`, {
    method: "POST",
    body: text,
  });
  const body = (await res.json()) as StoryImported;
  if (res.status !== 201) throw new Error(`Import of ${filename} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Wait on `ready()` (polled each millisecond); `what` names it when it takes too long. */
async function until(ready: () => boolean, what: string, limitMs = STEP_LIMIT_MS): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`Waited ${limitMs / 1000} s for ${what}`);
    await sleep(1);
  }
}

/**
 * POST the story (replace) and wait until its narration is ready: milliseconds from the POST. With
 * `answered`, the import must be what its row names: "same" leaves the narration as it was (ready in
 * the answer); "renamed" makes new scenes (their ids in the answer), narrated again from the cache —
 * which a one-scene story may have finished before the answer, so either state is that row's.
 */
async function importUntilReady(
  app: App,
  filename: string,
  text: string,
  answered?: {as: "same"} | {as: "renamed"; prefix: string},
  limitMs = STEP_LIMIT_MS,
): Promise<number> {
  const started = performance.now();
  const {id, narration, scenes} = await importStory(app, filename, text);
  if (answered?.as === "same" && narration?.state !== "ready")
    throw new Error(
      `Import of '${id}' (the same file) answered narration ${JSON.stringify(narration)}, expected ready`,
    );
  if (answered?.as === "renamed") {
    const renamed = scenes.every((s) => s.id.startsWith(answered.prefix.toLowerCase()));
    if (!renamed || (narration?.state !== "narrating" && narration?.state !== "ready"))
      throw new Error(
        `Import of '${id}' (passages renamed to ${answered.prefix}…) answered scenes ${scenes.map((s) => s.id).join(", ")} and narration ${JSON.stringify(narration)}`,
      );
  }
  await until(() => app.narration.progress(id)?.state !== "narrating", `story '${id}' narrated`, limitMs);
  const progress = app.narration.progress(id);
  if (progress?.state !== "ready") throw new Error(`Story '${id}' was not narrated: ${JSON.stringify(progress)}`);
  return performance.now() - started;
}

/** Re-imports alternating between `variants` (one each round), timed until narration is ready. */
async function reimports(app: App, variants: Array<{file: string; text: string; prefix: string}>): Promise<number[]> {
  const times: number[] = [];
  // The same file again leaves its narration as it was; renamed passages make new scenes, each
  // looked up in the narration cache.
  for (let i = 0; i < WARMUP + REIMPORTS; i++) {
    const variant = variants[i % variants.length] as {file: string; text: string; prefix: string};
    const answered = variants.length > 1 ? {as: "renamed" as const, prefix: variant.prefix} : {as: "same" as const};
    const ms = await importUntilReady(app, variant.file, variant.text, answered);
    if (i >= WARMUP) times.push(ms);
  }
  return times;
}

/** Section 1: re-importing a big Twine story whose narration is cached, against a one-passage story. */
async function importSection(app: App): Promise<Row[]> {
  const big = (prefix: string) => ({file: "forest.twee", text: tweeStory("Bench Forest", PASSAGES, prefix), prefix});
  const one = (prefix: string) => ({file: "pond.twee", text: tweeStory("Bench Pond", 1, prefix), prefix});
  // The first narration speaks every scene (espeak-ng and ffmpeg per scene): made once, untimed.
  const first = await importUntilReady(app, big("P").file, big("P").text, undefined, 600_000);
  console.log(`\nFirst narration of the ${PASSAGES}-passage story: ${(first / 1000).toFixed(1)} s (untimed)`);
  await importUntilReady(app, one("P").file, one("P").text);
  const rows = [
    latencyRow("1 passage, same file again (baseline)", await reimports(app, [one("P")])),
    latencyRow(`${PASSAGES} passages, same file again`, await reimports(app, [big("P")])),
    latencyRow("1 passage, passages renamed", await reimports(app, [one("Q"), one("P")])),
    latencyRow(`${PASSAGES} passages, passages renamed`, await reimports(app, [big("Q"), big("P")])),
  ];
  return rows;
}

// A two-choice ink story whose first line is new each time: its first scene is not narrated yet.
const inkStory = (nonce: string) => `The bench cave, visit ${nonce}, echoes with dripping water.
* [Go left]
  You go left.
  -> END
* [Go right]
  You go right.
  -> END
`;

async function cardFor(app: App, story: string): Promise<string> {
  const res = await fetch(`${app.admin.url}/api/cards`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({from: "story", story}),
  });
  const body = (await res.json()) as {card?: {cardId: string}};
  if (res.status !== 201 || !body.card)
    throw new Error(`Card for '${story}' answered ${res.status}: ${JSON.stringify(body)}`);
  return body.card.cardId;
}

/** Insert the card and wait for the first byte of the player's first fetch: milliseconds. */
async function firstByte(player: VirtualPlayer, cardId: string): Promise<number> {
  const before = player.fetches.length;
  const started = performance.now();
  player.insertCard(cardId);
  await until(() => player.fetches[before]?.firstByteAt !== undefined, `the first byte on ${player.spec.name}`);
  const fetch = player.fetches[before] as NonNullable<(typeof player.fetches)[number]>;
  if (fetch.status !== 200) throw new Error(`${player.spec.name} fetched ${fetch.url}: ${fetch.status}`);
  return (fetch.firstByteAt as number) - started;
}

/** Take the card out and wait until the service sees the player stopped (so it is not on the card). */
async function takeOut(app: App, player: VirtualPlayer): Promise<void> {
  player.removeCard();
  await until(() => app.players.get(player.spec.deviceId).playback.status === "stopped", `${player.spec.name} stopped`);
}

/** Section 2: an ink story's first scene, narrated on demand, against the same scene cached. */
async function inkSection(app: App, players: [VirtualPlayer, VirtualPlayer]): Promise<Row[]> {
  const [first, second] = players;
  const cold: number[] = [];
  const warm: number[] = [];
  const run = Date.now().toString(36);
  for (let i = 0; i < WARMUP + INK_RUNS; i++) {
    const {id} = await importStory(app, `bench-cave-${i}.ink`, inkStory(`${run}-${i}`));
    const cardId = await cardFor(app, id);
    const coldMs = await firstByte(first, cardId);
    await takeOut(app, first);
    // The same card on the other player: the same first scene, now cached.
    const warmMs = await firstByte(second, cardId);
    await takeOut(app, second);
    if (i >= WARMUP) {
      cold.push(coldMs);
      warm.push(warmMs);
    }
  }
  return [latencyRow("first scene cached (baseline)", warm), latencyRow("first scene narrated on demand", cold)];
}

const ratioRow = (name: string, rows: Row[], over: number, under: number): Row => {
  const at = (i: number, col: string) => Number(rows[i]?.[col]);
  return {
    path: name,
    events: "",
    p50_ms: `${(at(over, "p50_ms") / at(under, "p50_ms")).toFixed(2)}×`,
    p99_ms: `${(at(over, "p99_ms") / at(under, "p99_ms")).toFixed(2)}×`,
  };
};

/** The read thread's figures over the main thread's, for the same story. */
const stallRatio = (rows: Row[], over: number, under: number): Row => {
  const at = (i: number, col: string) => Number(rows[i]?.[col]);
  return {
    import: "ratio (read thread / main thread)",
    kb: "",
    ms: `${(at(over, "ms") / at(under, "ms")).toFixed(2)}×`,
    longest_stall_ms: `${(at(over, "longest_stall_ms") / Math.max(at(under, "longest_stall_ms"), 0.1)).toFixed(3)}×`,
    answer: "",
  };
};

/**
 * Stories from Twine and ink (the README's "Development": `npm run bench`): re-importing a big
 * Twine story whose narration is all cached, until it is ready again, against a one-passage story;
 * and an ink card's first scene, from the card going in to the first byte the player receives,
 * narrated on demand against the same scene cached; and the event loop's longest stall during an
 * import of 10,000 passages and of an ink source (importStall.ts).
 */
export async function storyImportBench(workDir: string): Promise<Record<string, Row[]>> {
  const root = path.join(workDir, "story-import");
  const media = path.join(root, "media");
  await mkdir(media, {recursive: true});
  await mkdir(path.join(root, "rules"), {recursive: true});
  const {app, sim, stop} = await simulatedApp({root, mediaDirs: [media], ffmpegPath: requireFfmpeg().path});
  try {
    await linkThroughBrowser(app.account);
    await untilPrimed(app.players, sim.players.size);
    const imports = await importSection(app);
    const importRows = [
      ...imports,
      ratioRow(`ratio (${PASSAGES} / 1, same file)`, imports, 1, 0),
      ratioRow(`ratio (${PASSAGES} / 1, renamed)`, imports, 3, 2),
    ];
    console.log(
      `\nRe-import of a Twine story (replace) until its narration is ready, ${REIMPORTS} each\n${table(importRows)}`,
    );
    const players = DEMO_PLAYERS.slice(0, 2).map((p) => sim.player(p.deviceId)) as [VirtualPlayer, VirtualPlayer];
    const ink = await inkSection(app, players);
    const inkRows = [...ink, ratioRow("ratio (on demand / cached)", ink, 1, 0)];
    console.log(`\nInk card in → first byte of its first scene, ${INK_RUNS} stories\n${table(inkRows)}`);
    const stalls = await importStallRows(app, path.join(root, "rules"), tweeStory);
    const stallRows = [...stalls, stallRatio(stalls, 1, 2)];
    console.log(`\nImport time and the event loop's longest stall (goal < 100 ms)\n${table(stallRows)}`);
    return {reimport: importRows, inkFirstScene: inkRows, importStall: stallRows};
  } finally {
    await stop();
  }
}
