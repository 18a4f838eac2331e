import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {loadRules} from "../../../src/rules/loader.js";
import {readRuleFile} from "../../../src/rules/ruleFile.js";
import {RuleFileReader} from "../../../src/rules/ruleFileReader.js";
import type {RuleServices} from "../../../src/rules/types.js";

/** A rules file over the size the reader parses in its thread: `count` rules, one list. */
function manyRules(count: number, extra = ""): string {
  const rules = Array.from(
    {length: count},
    (_, i) => `- id: rule_${i}\n  triggers: [{trigger: startup}]\n  actions: [{action: log, message: "rule ${i}"}]\n`,
  );
  return `${rules.join("")}${extra}`;
}

describe("RuleFileReader", () => {
  let dir: string;
  let reader: RuleFileReader;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rule-reader-"));
  });
  afterEach(() => reader?.stop());
  afterAll(() => rm(dir, {recursive: true, force: true}));

  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it("parses a file again only when its text changed, and hands each load its own copy", async () => {
    reader = new RuleFileReader();
    const file = await write("small.yaml", "- id: a\n  actions: []\n");
    const first = await reader.read(file);
    if (first.problem) throw new Error(first.problem.message);
    // A load may change what it is given: the next load still reads the file as written.
    (first.content as Array<{id: string}>)[0] = {id: "changed"};
    const again = await reader.read(file);
    expect(again).toMatchObject({content: [{id: "a", actions: []}], entryLines: [1]});
    expect(reader.parses).toBe(1);

    // The same text written again (an import of the same story) is not parsed again.
    await write("small.yaml", "- id: a\n  actions: []\n");
    await reader.read(file);
    expect(reader.parses).toBe(1);

    await write("small.yaml", "\n- id: b\n  actions: []\n");
    expect(await reader.read(file)).toMatchObject({content: [{id: "b"}], entryLines: [2]});
    expect(reader.parses).toBe(2);

    // A file no load finds any more is forgotten: written back, it is parsed again.
    reader.keepOnly([]);
    await reader.read(file);
    expect(reader.parses).toBe(3);
  });

  it("says whether changed paths hold what the last load read: the watcher's reload after an import's own", async () => {
    reader = new RuleFileReader();
    const file = await write("seen.yaml", "- id: a\n  actions: []\n");
    expect(await reader.unchanged([file])).toBe(false);
    await reader.read(file);
    // Written again with the same text (the import's write, seen by the watcher after its reload).
    await write("seen.yaml", "- id: a\n  actions: []\n");
    expect(await reader.unchanged([file])).toBe(true);
    // Anything else the folder holds is a change: a plugin, an ink story's JSON, a folder.
    expect(await reader.unchanged([file, path.join(dir, "story.json")])).toBe(false);
    expect(await reader.unchanged([])).toBe(false);
    await write("seen.yaml", "- id: b\n  actions: []\n");
    expect(await reader.unchanged([file])).toBe(false);
    await rm(file);
    expect(await reader.unchanged([file])).toBe(false);
    expect(reader.parses).toBe(1);
  });

  it("reads a large file in its thread as it is read here: the same data, lines and problems", async () => {
    reader = new RuleFileReader();
    const big = manyRules(1500);
    expect(big.length).toBeGreaterThan(64 * 1024);
    const good = await write("big.yaml", big);
    const here = await readRuleFile(good);
    const threaded = await reader.read(good);
    if (here.problem || threaded.problem) throw new Error("expected both to read");
    expect(threaded.content).toEqual(here.content);
    expect(threaded.entryLines).toEqual(here.entryLines);
    expect(threaded.entryLines.at(-1)).toBe(1499 * 3 + 1);
    expect(threaded.places.atKey([1499, "actions"])).toEqual({line: 1499 * 3 + 3, col: 3});

    const broken = await write("broken.yaml", manyRules(1500, "- id: last\n  id: again\n"));
    expect(await reader.read(broken)).toEqual({
      problem: {line: 4502, col: 3, message: "YAML syntax: Map keys must be unique"},
    });
    expect(await reader.read(broken)).toEqual(await readRuleFile(broken));
    expect(reader.parses).toBe(2);
    // Starting a thread under the TypeScript loader takes seconds on a busy machine.
  }, 120_000);

  it("places a rule's error in a large file at its file:line:col, as a load without it does", async () => {
    reader = new RuleFileReader();
    const sub = await mkdtemp(path.join(dir, "load-"));
    const bad = "- id: bad\n  triggers: [{trigger: startup}]\n  actions: [{acton: log}]\n";
    await writeFile(path.join(sub, "big.yaml"), manyRules(1500, bad));
    const opts = {timeZone: "UTC", services: {} as RuleServices};
    const withReader = await loadRules(sub, {...opts, reader});
    const without = await loadRules(sub, opts);
    expect(withReader.errors.map((e) => e.text)).toEqual([
      "big.yaml:4503:14 [1500].actions[0].acton unknown key 'acton' (did you mean 'action'?)",
    ]);
    expect(withReader.errors).toEqual(without.errors);
    expect(withReader.rules).toHaveLength(1500);
    // The watcher's reload after an import: nothing changed, nothing parsed.
    await loadRules(sub, {...opts, reader});
    expect(reader.parses).toBe(1);
  }, 120_000);
});
