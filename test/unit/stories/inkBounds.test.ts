import {readdir} from "node:fs/promises";
import {describe, expect, it} from "vitest";
import {StoryImporter} from "../../../src/stories/import/importer.js";
import {importInk} from "../../../src/stories/import/inkImport.js";
import {InkRun} from "../../../src/stories/play/inkRun.js";
import {tempDir} from "../../helpers/tmp.js";

// Hostile ink: inkle's runtime is synchronous, so a story that never reaches a choice held the
// whole service (and grew its text without end) before each scene was bounded.
const LOOP_SAYING = "-> loop\n== loop\nAgain and again.\n-> loop\n";
const LOOP_SILENT = "-> loop\n== loop\n-> loop\n";
const LATER_LOOP = "The gate.\n* [Open it] -> loop\n== loop\nround\n-> loop\n";

const refusal = async (name: string, source: string) =>
  importInk(name, Buffer.from(source)).then(
    () => "imported",
    (err: Error & {code?: string}) => `${err.code}: ${err.message}`,
  );

describe("hostile ink", () => {
  it("refuses a story that talks forever before its first choice, writing nothing", async () => {
    const dir = await tempDir("yss-inkattack-");
    const importer = new StoryImporter({rulesDir: dir});
    await expect(importer.import("loop.ink", Buffer.from(LOOP_SAYING))).rejects.toThrow(
      "'loop.ink' stops at its start: the ink story says more than 20000 characters before its next choice (does it loop forever?): end the scene sooner with a choice",
    );
    expect(await readdir(dir)).toEqual([]);
  }, 30_000);

  it("refuses a story that loops silently at its start, within a bounded time", async () => {
    // Bounded by the run's own limit (the answer says so); a loop it did not stop would hang the test.
    expect(await refusal("quiet.ink", LOOP_SILENT)).toBe(
      "ink_runtime_error: 'quiet.ink' stops at its start: the ink story runs over 1 s without reaching a choice or its end (does it loop forever?)",
    );
  }, 30_000);

  it("a loop after a choice throws a clear error on that press, not a hang", async () => {
    const run = new InkRun((await importInk("gate.ink", Buffer.from(LATER_LOOP))).story.json);
    expect(run.scene).toEqual({text: "The gate.", choices: ["Open it"]});
    expect(() => run.press("left")).toThrow(
      "the ink story says more than 20000 characters before its next choice (does it loop forever?): end the scene sooner with a choice",
    );
  }, 30_000);

  it("never runs an EXTERNAL function: its ink fallback stands in, and without one the import says so", async () => {
    const withFallback = 'EXTERNAL beep(x)\nHello {beep(1)}\n-> END\n== function beep(x)\n~ return "there"\n';
    const {story} = await importInk("beep.ink", Buffer.from(withFallback));
    expect(story.start).toEqual({text: "Hello there", choices: []});
    expect(await refusal("bare.ink", "EXTERNAL beep(x)\nHello\n* [Go] -> k\n== k\nGone {beep(2)}\n-> END\n")).toBe(
      "ink_external_function: 'bare.ink' calls the EXTERNAL function 'beep', which this service never runs: write an ink function named beep in the story as its fallback",
    );
  });
});

describe("JSON that is not ink", () => {
  it("says what is wrong in words, not the runtime's own code", async () => {
    expect(await refusal("shape.json", JSON.stringify({inkVersion: 21, root: 5}))).toBe(
      "bad_ink_json: 'shape.json' is not a compiled ink story (its root is not a list of ink content): import the .ink source, or export JSON from Inky",
    );
    expect(await refusal("empty.json", JSON.stringify({inkVersion: 21, root: []}))).toBe(
      "ink_runtime_error: 'empty.json' stops at its start: the ink story stopped with an error: ran out of content. Do you need a '-> DONE' or '-> END'?",
    );
  });
});
