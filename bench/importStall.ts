import {rm} from "node:fs/promises";
import path from "node:path";
import type {App} from "../src/app/app.js";
import {sized} from "./lib.js";

/** The most passages an import takes; a smoke run takes a few hundred. */
const PASSAGES = sized(10_000, 300);
/** The most short scenes a story file holds (1 MB): the largest import that loads. */
const LOADED_PASSAGES = sized(8_000, 200);
/** Chambers of the ink story: about 300 KB of source, seconds of inkle's compiler. */
const INK_KNOTS = sized(3_000, 30);

type Row = Record<string, string | number>;

/**
 * Run `work` while a 5 ms timer ticks: milliseconds it took, and the longest any tick came late
 * (how long the event loop was held: a health request waited as long).
 */
export async function withStallProbe<T>(work: () => Promise<T>): Promise<{ms: number; stallMs: number; result: T}> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 5);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    // Let a last stall register before reading it.
    await new Promise((r) => setTimeout(r, 20));
    return {ms, stallMs: Math.max(0, longest), result};
  } finally {
    clearInterval(ticker);
  }
}

/** Short passages in a chain, so `count` of them fit the smallest story file they make. */
function shortChain(title: string, count: number): string {
  const passages = Array.from({length: count}, (_, i) => `:: ${i + 1}\nGo.${i + 1 < count ? `[[${i + 2}]]` : ""}`);
  const data = {ifid: "1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F", format: "Harlowe", start: "1"};
  return `:: StoryTitle\n${title}\n\n:: StoryData\n${JSON.stringify(data)}\n\n${passages.join("\n")}\n`;
}

/** An ink story of `knots` chambers, each two choices. */
export function inkCave(knots: number): string {
  const lines = ["The bench cave is dark and the water drips.", "-> k1"];
  for (let i = 1; i <= knots; i++)
    lines.push(
      `== k${i} ==`,
      `You stand in chamber ${i}, where an old lantern flickers beside a quiet pool.`,
      ...(i < knots ? [`* [Go deeper] -> k${i + 1}`, `* [Go back] -> k${Math.max(1, i - 1)}`] : ["-> END"]),
    );
  return `${lines.join("\n")}\n`;
}

async function post(app: App, filename: string, text: string): Promise<number> {
  const res = await fetch(`${app.admin.url}/api/stories/import?filename=${encodeURIComponent(filename)}&replace=true`, {
    method: "POST",
    body: text,
  });
  await res.arrayBuffer();
  return res.status;
}

function row(name: string, text: string, measured: {ms: number; stallMs: number}, answer: string): Row {
  return {
    import: name,
    kb: Math.round(Buffer.byteLength(text) / 1024),
    ms: measured.ms.toFixed(0),
    longest_stall_ms: measured.stallMs.toFixed(1),
    answer,
  };
}

/**
 * Issue #69: a 10,000-passage Twine import held the event loop for 2.3 s, an ink source as long as
 * it compiled. Each import is timed while a 5 ms timer measures the longest stall (goal < 100 ms),
 * against a one-passage import and against the same read on the main thread (what it was before),
 * in the same run. A 10,000-passage story makes a story file over the 1 MB a story file loads, so it
 * is read, checked and written out, then refused; the largest story that loads is measured too,
 * its reload (the rules loader's YAML and the story check, on the main thread) included.
 */
export async function importStallRows(
  app: App,
  rulesDir: string,
  tweeStory: (t: string, n: number, p: string) => string,
) {
  const rows: Row[] = [];
  const one = tweeStory("Stall Pond", 1, "S");
  rows.push(row("1 passage (baseline)", one, await withStallProbe(() => post(app, "stall-pond.twee", one)), "201"));
  const big = tweeStory("Stall Forest", PASSAGES, "S");
  const threaded = await withStallProbe(() => post(app, "stall-forest.twee", big));
  rows.push(row(`${PASSAGES} passages, the service (read thread)`, big, threaded, String(threaded.result)));
  // Before: the same read, check and YAML on the main thread.
  const {storyToWrite, BUILT_IN_READERS} = await import("../src/stories/import/storyRead.js");
  const reader = BUILT_IN_READERS.get(".twee");
  if (!reader) throw new Error("bench: no Twee reader");
  const inPlace = await withStallProbe(() =>
    storyToWrite("stall-forest.twee", Buffer.from(big), reader).then(
      () => "written",
      (err: {status?: number}) => String(err.status),
    ),
  );
  rows.push(row(`${PASSAGES} passages, main thread (before)`, big, inPlace, inPlace.result));
  const loads = shortChain("Stall Road", LOADED_PASSAGES);
  const loaded = await withStallProbe(() => post(app, "stall-road.twee", loads));
  rows.push(row(`${LOADED_PASSAGES} short passages that load, reload included`, loads, loaded, String(loaded.result)));
  // Taken away at once, so its narration (a voice per scene) does not run under the next sections.
  await rm(path.join(rulesDir, "stories", "stall-road.yaml"), {force: true});
  await app.rules.reload();
  const ink = inkCave(INK_KNOTS);
  const compiled = await withStallProbe(() => post(app, "stall-cave.ink", ink));
  rows.push(
    row(`ink source, ${INK_KNOTS} knots (compiled in the read thread)`, ink, compiled, String(compiled.result)),
  );
  for (const r of rows.slice(1))
    if (!["201", "413", "written"].includes(String(r.answer)))
      throw new Error(`bench: ${r.import} answered ${r.answer}`);
  return rows;
}
