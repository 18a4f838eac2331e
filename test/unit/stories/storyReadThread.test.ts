import {readdir} from "node:fs/promises";
import {describe, expect, it} from "vitest";
import {StoryImporter} from "../../../src/stories/import/importer.js";
import {ReadThread} from "../../../src/stories/import/readThread.js";
import {tempDir} from "../../helpers/tmp.js";

/** A Twee 3 chain of `count` passages, each `words` words long: over 64 KB, it is read in the thread. */
function chain(count: number, words = 4): string {
  const text = Array.from({length: words}, (_, i) => `word${i}`).join(" ");
  const passages = Array.from(
    {length: count},
    (_, i) => `:: P${i + 1}\n${text}.${i + 1 < count ? `\n[[On->P${i + 2}]]` : ""}`,
  );
  return `:: StoryTitle\nChain\n\n:: StoryData\n{"ifid": "6F1B5C2E-3A4D-4E5F-8A9B-0C1D2E3F4A5B", "start": "P1"}\n\n${passages.join("\n\n")}\n`;
}

/** The refusal as the API answers it: its code, status and words. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "imported",
    (err: Error & {code?: string; status?: number}) => `${err.code} ${err.status}: ${err.message}`,
  );

/** Some ink: each knot a choice, so inkle's compiler has work to do. */
function ink(knots: number): string {
  const lines = ["The cave drips.", "-> k1"];
  for (let i = 1; i <= knots; i++)
    lines.push(`== k${i} ==`, `Chamber ${i}.`, i < knots ? `* [On] -> k${i + 1}` : "-> END");
  return `${lines.join("\n")}\n`;
}

describe("a story file read in its own thread", () => {
  it("answers as the service did: a large file's story, and its refusals with their code, status and words", async () => {
    const dir = await tempDir("yss-readthread-");
    const importer = new StoryImporter({rulesDir: dir});
    try {
      const big = chain(2000);
      expect(big.length).toBeGreaterThan(64 * 1024);
      const read = await importer.read("chain.twee", Buffer.from(big));
      expect(read.id).toBe("chain");
      expect(Object.keys(read.document.story.scenes as object)).toHaveLength(2000);
      expect(read.texts.p1).toBe("word0 word1 word2 word3.\nOn, press the left button.");

      expect(await refusal(importer.import("huge.twee", Buffer.from(chain(10_001))))).toBe(
        "too_many_passages 400: The story has 10001 passages; at most 10000 can be imported",
      );
      // Made in the thread, refused there: the story file it would write is too large to load.
      expect(await refusal(importer.import("long.twee", Buffer.from(chain(2000, 120))))).toBe(
        "story_too_large 413: 'long.twee' makes a story file of 2.0 MB, and a story file loads up to 1.0 MB: split the story in two (each part its own story), or shorten its passages. Nothing was imported",
      );
      // An ink source is always compiled in the thread, however small.
      expect(await refusal(importer.import("bad.ink", Buffer.from("Hello\n-> nowhere\n")))).toBe(
        "ink_compile_error 400: 'bad.ink' does not compile: line 2: Divert target not found: '-> nowhere'",
      );
      expect(await readdir(dir)).toEqual([]);
      // …and a good one imports.
      const cave = await importer.import("cave.ink", Buffer.from(ink(3)));
      expect(cave).toMatchObject({id: "cave", file: "stories/cave.yaml", start: "ink"});
    } finally {
      await importer.stop();
    }
  }, 60_000);

  it("a thread that runs out of memory, or takes too long, says so and the next read has a fresh one", async () => {
    const starved = new ReadThread({heapMb: 4});
    expect(await refusal(starved.toWrite("cave.ink", Buffer.from(ink(400))))).toBe(
      "story_too_large 413: 'cave.ink' needs more than 4 MB to read: split it into smaller files. Nothing was imported",
    );
    await starved.stop();

    const slow = new ReadThread({timeoutMs: 100});
    expect(await refusal(slow.toWrite("cave.ink", Buffer.from(ink(2000))))).toBe(
      "import_timeout 413: Reading 'cave.ink' took over 100 ms and was stopped: split the story into smaller files. Nothing was imported",
    );
    await slow.stop();
  }, 60_000);

  it("a stop ends the read under way and the ones waiting, and the thread with them", async () => {
    const thread = new ReadThread();
    const first = refusal(thread.toWrite("one.ink", Buffer.from(ink(2000))));
    const second = refusal(thread.toWrite("two.ink", Buffer.from(ink(3))));
    // Once the first is handed to the thread (its turn comes after the current tick), the second waits.
    await new Promise(setImmediate);
    await thread.stop();
    const stopping = "service_stopping 503: The service is stopping: import the story again once it is back";
    expect(await first).toBe(stopping);
    expect(await second).toBe(stopping);
  }, 60_000);
});
