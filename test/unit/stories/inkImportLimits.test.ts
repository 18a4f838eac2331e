import {readdir} from "node:fs/promises";
import os from "node:os";
import {describe, expect, it} from "vitest";
import {StoryImporter} from "../../../src/stories/import/importer.js";
import {importInk} from "../../../src/stories/import/inkImport.js";
import {countInk} from "../../../src/stories/import/inkLimits.js";
import {machineMemory, readHeap} from "../../../src/stories/import/readHeap.js";
import {ReadThread} from "../../../src/stories/import/readThread.js";
import {tempDir} from "../../helpers/tmp.js";

// An ink import refused only once compiled took the service from 142 MB to about 1 GB and over a
// minute and a half of a core, in a thread allowed 2 GB whatever the machine had.

/** The refusal as the API answers it: its code, status and words. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "imported",
    (err: Error & {code?: string; status?: number}) => `${err.code} ${err.status}: ${err.message}`,
  );

/** One scene of `count` choices: small in bytes, but more choices than a story may have. */
const manyChoices = (count: number) => `Pick one.\n${"* [Again]\n".repeat(count)}- -> END\n`;

/** Some ink: each knot a choice, so inkle's compiler has work to do. */
function cave(knots: number): string {
  const lines = ["The cave drips.", "-> k1"];
  for (let i = 1; i <= knots; i++)
    lines.push(`== k${i} ==`, `Chamber ${i}.`, i < knots ? `* [On] -> k${i + 1}` : "-> END");
  return `${lines.join("\n")}\n`;
}

const MB = 1024 * 1024;

describe("an ink source that could never load", () => {
  it("is refused for its choices before a thread is started, saying the limit and how to fix it", async () => {
    const thread = new ReadThread();
    try {
      expect(await refusal(thread.toWrite("many.ink", Buffer.from(manyChoices(20_001))))).toBe(
        "too_many_choices 413: 'many.ink' has 20001 choices, and an ink story may have at most 20000 (two for each of the 10000 scenes a story may have): split the story in two (each part its own story). Nothing was imported",
      );
      expect(thread.threadsStarted).toBe(0);
    } finally {
      await thread.stop();
    }
  }, 120_000);

  it("is refused for its knots and stitches the same way, by the importer, writing nothing", async () => {
    const dir = await tempDir("yss-inklimits-");
    const importer = new StoryImporter({rulesDir: dir});
    try {
      const knots = `-> k1\n${Array.from({length: 10_001}, (_, i) => `== k${i + 1}\n-> END`).join("\n")}\n`;
      expect(await refusal(importer.import("maze.ink", Buffer.from(knots)))).toBe(
        "too_many_knots 413: 'maze.ink' has 10001 knots and stitches, and an ink story may have at most 10000 (as many as the scenes a story may have): split the story in two (each part its own story). Nothing was imported",
      );
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await importer.stop();
    }
  }, 120_000);

  it("counts choices and knots as ink reads them: comments are not choices", () => {
    const text =
      "/* Notes\n * not a choice\n + nor this\n*/\n* [Go] -> k // * nor this\n  + [Stay]\n// * nor this\n== k ==\n= s\n=== function f\n~ x = 1\nA * in prose\n";
    expect(countInk(text)).toEqual({choices: 2, knots: 3});
  });
});

describe("the read thread's memory", () => {
  it("is a quarter of the machine's, at most 2048 MB, and a container's limit counts as the machine", () => {
    expect(readHeap(2 * 1024 * MB)).toEqual({
      mb: 512,
      why: "a quarter of this machine's 2.0 GB of memory, the most a read may use here",
    });
    expect(readHeap(16 * 1024 * MB)).toEqual({mb: 2048, why: "the most a read may use"});
    expect(machineMemory()).toBeGreaterThan(0);
    expect(machineMemory()).toBeLessThanOrEqual(os.totalmem());
  });

  it("a read that needs more than the machine's share is refused, saying the share", async () => {
    const small = new ReadThread({machineBytes: 16 * MB});
    try {
      expect(await refusal(small.toWrite("cave.ink", Buffer.from(cave(400))))).toBe(
        "story_too_large 413: 'cave.ink' needs more than 4 MB to read, a quarter of this machine's 16 MB of memory, the most a read may use here: split it into smaller files. Nothing was imported",
      );
    } finally {
      await small.stop();
    }
  }, 120_000);
});

describe("a compile whose answer is known", () => {
  it("stops at the first error and answers it, not the hundreds that follow", async () => {
    const source = `The cave.\n${"Drip {\n".repeat(300)}-> END\n`;
    expect(await refusal(importInk("drip.ink", Buffer.from(source)))).toBe(
      "ink_compile_error 400: 'drip.ink' does not compile: line 2: Expected some kind of logic, conditional or sequence within braces: { ... } but saw end of line",
    );
  }, 60_000);
});
