import {beforeAll, describe, expect, it} from "vitest";
import {IMPORT_MAX_BYTES} from "../../../src/stories/index.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {jsonOf} from "../../helpers/http.js";

// A large import used to hold the service: a 10,000-passage Twine story kept the event loop for
// 2.3 s, an ink source for as long as inkle's compiler ran (5–13 s here with the import forced onto
// the main thread). Health is asked over and over while each import runs, and no answer may wait
// for the import. The 100 ms goal itself is the benchmark's (`npm run bench`, section storyImport:
// the longest stall beside the import time); here, among other test files on both cores, an answer
// is due within half a second, which a held loop (seconds) never meets.
const ANSWER_WITHIN_MS = 500;
/** How long health is asked with nothing imported, to know how late this machine answers anyway. */
const IDLE_ASKING_MS = 3000;

/** A Twee 3 story of 10,000 passages (the most an import takes), each linked to the next, of `bytes` in all. */
function bigTwee(bytes: number): string {
  const count = 10_000;
  const head = `:: StoryTitle\nLong Walk\n\n:: StoryData\n{"ifid": "0B7C9D1E-2F3A-4B5C-8D6E-7F8091A2B3C4", "start": "Step 1"}\n\n`;
  const filler = "the path winds on past the old mill and the river ".repeat(20);
  const each = Math.floor((bytes - head.length) / count);
  const passages: string[] = [];
  for (let i = 1; i <= count; i++) {
    const link = i < count ? `[[Walk on->Step ${i + 1}]]` : "The end.";
    const top = `:: Step ${i}\n${link}\n`;
    passages.push(`${top}${filler.slice(0, Math.max(0, each - top.length - 2))}\n\n`);
  }
  return head + passages.join("");
}

/** An ink story of `knots` chambers, each a choice: inkle's compiler takes seconds over it. */
function bigInk(knots: number): string {
  const lines = ["The cave is dark and the water drips.", "-> k1"];
  for (let i = 1; i <= knots; i++)
    lines.push(
      `== k${i} ==`,
      `You stand in chamber ${i}, where an old lantern flickers beside a quiet pool.`,
      ...(i < knots ? [`* [Go deeper] -> k${i + 1}`, `* [Go back] -> k${Math.max(1, i - 1)}`] : ["-> END"]),
    );
  return `${lines.join("\n")}\n`;
}

let t: TestApp;
/**
 * Every answer is due within half a second; on a machine so busy that health answers later than half
 * that with nothing imported, twice that lateness. A held loop (seconds) fails either bound.
 */
let bound: number;
beforeAll(async () => {
  t = await startApp();
  const idle = await askHealthUntil(new Promise((resolve) => setTimeout(resolve, IDLE_ASKING_MS)));
  bound = Math.max(ANSWER_WITHIN_MS, 2 * Math.max(...idle));
}, 60_000);

/** Ask for health, one request after another, until `done` settles: how long each took (its own round trip). */
async function askHealthUntil(done: Promise<unknown>): Promise<number[]> {
  let settled = false;
  void done.finally(() => {
    settled = true;
  });
  const times: number[] = [];
  while (!settled) {
    const started = performance.now();
    const res = await fetch(`${t.adminUrl}/api/health`);
    await res.arrayBuffer();
    times.push(performance.now() - started);
    expect(res.status).toBe(200);
  }
  return times;
}

/** Post the import and ask for health until it answers: the import's answer, and each health request's time. */
async function importWhileAsking(filename: string, body: string) {
  const importing = fetch(`${t.adminUrl}/api/stories/import?filename=${filename}&replace=true`, {
    method: "POST",
    body,
  }).then(async (res) => ({status: res.status, body: await jsonOf(res)}));
  const times = await askHealthUntil(importing);
  return {answer: await importing, times};
}

describe("an import never holds the service", () => {
  it("answers health all through a 5 MB Twine import, never waiting for it", async () => {
    const twee = bigTwee(IMPORT_MAX_BYTES - 1024);
    expect(Buffer.byteLength(twee)).toBeGreaterThan(IMPORT_MAX_BYTES - 64 * 1024);
    expect(Buffer.byteLength(twee)).toBeLessThanOrEqual(IMPORT_MAX_BYTES);
    const {answer, times} = await importWhileAsking("walk.twee", twee);
    // Read, checked and written out in full, then refused: its story file would not load.
    expect(answer).toEqual({
      status: 413,
      body: {
        error:
          "'walk.twee' makes a story file of 6.4 MB, and a story file loads up to 1.0 MB: split the story in two (each part its own story), or shorten its passages. Nothing was imported",
        code: "story_too_large",
      },
    });
    // The import took seconds: health was asked many times meanwhile.
    expect(times.length).toBeGreaterThan(20);
    expect(Math.max(...times)).toBeLessThan(bound);
  }, 120_000);

  it("answers health all through an ink import that compiles for seconds, never waiting for it", async () => {
    const ink = bigInk(1500);
    const {answer, times} = await importWhileAsking("cave.ink", ink);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({id: "cave", file: "stories/cave.yaml", start: "ink"});
    // The reload that loads it has read its compiled JSON: the story is there to play.
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/stories/cave`))).id).toBe("cave");
    expect(times.length).toBeGreaterThan(20);
    expect(Math.max(...times)).toBeLessThan(bound);
  }, 120_000);
});
