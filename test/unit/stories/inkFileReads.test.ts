import {mkdir, utimes, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {loadRules} from "../../../src/rules/loader.js";
import {StoryFiles} from "../../../src/stories/index.js";
import {tempDir} from "../../helpers/tmp.js";

const QUIET = new Logger({level: "error", sink: () => undefined});
const STORY = "story:\n  id: moth\n  title: The Moth\n  ink: moth.ink.json\n";
/** What inkle's compiler writes for "A moth circles the lamp." (the check reads its inkVersion). */
const COMPILED = JSON.stringify({
  inkVersion: 21,
  root: [["^A moth circles the lamp.", "\n", ["done", {"#n": "g-0"}], null], "done", null],
  listDefs: {},
});

describe("an ink story's compiled JSON at each reload", () => {
  it("is read once per change: a reload with the file unchanged (time and size) does not read it again", async () => {
    const dir = await tempDir("yss-inkreads-");
    await mkdir(path.join(dir, "stories"), {recursive: true});
    const json = path.join(dir, "stories", "moth.ink.json");
    await writeFile(path.join(dir, "stories", "moth.yaml"), STORY);
    await writeFile(json, COMPILED);
    // A whole second: the time set again below is then exactly the same.
    const written = new Date("2026-01-01T08:00:00Z");
    await utimes(json, written, written);
    const files = new StoryFiles();
    const reload = async () => {
      const {errors} = await loadRules(dir, {timeZone: "UTC", services: {log: QUIET}, documents: [files]});
      return {errors: errors.map((e) => e.text), stories: files.stories.map((s) => s.id)};
    };
    expect(await reload()).toEqual({errors: [], stories: ["moth"]});

    // Other bytes of the same length, written under the same time: a reload that read the file
    // again would refuse it; one that trusts its last read keeps the story.
    await writeFile(json, "x".repeat(COMPILED.length));
    await utimes(json, written, written);
    expect(await reload()).toEqual({errors: [], stories: ["moth"]});

    // A change (a later time) is read: what the file now holds is refused.
    const later = new Date(written.getTime() + 2000);
    await utimes(json, later, later);
    const broken = await reload();
    expect(broken.errors).toEqual([
      "stories/moth.yaml:4:8 story.ink 'moth.ink.json' is not a compiled ink story (inkle's JSON with inkVersion): import the .ink file again",
    ]);

    // And a fixed file is read again too, of another size this time.
    await writeFile(json, `${COMPILED}\n`);
    expect(await reload()).toEqual({errors: [], stories: ["moth"]});
  });

  it("says when the file is not there, and finds it once it is", async () => {
    const dir = await tempDir("yss-inkreads-");
    await mkdir(path.join(dir, "stories"), {recursive: true});
    await writeFile(path.join(dir, "stories", "moth.yaml"), STORY);
    const files = new StoryFiles();
    const reload = async () =>
      (await loadRules(dir, {timeZone: "UTC", services: {log: QUIET}, documents: [files]})).errors.map((e) => e.text);
    const [missing] = await reload();
    expect(missing).toMatch(
      /^stories\/moth\.yaml:4:8 story\.ink cannot read 'moth\.ink\.json' beside the story file \(ENOENT: no such file or directory, stat '.*moth\.ink\.json'\): import the ink story again$/,
    );
    await writeFile(path.join(dir, "stories", "moth.ink.json"), COMPILED);
    expect(await reload()).toEqual([]);
    expect(files.stories.map((s) => s.id)).toEqual(["moth"]);
  });
});
