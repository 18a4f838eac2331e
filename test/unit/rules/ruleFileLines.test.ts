import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readRuleFile} from "../../../src/rules/ruleFile.js";

describe("readRuleFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rule-file-"));
  });
  afterAll(() => rm(dir, {recursive: true, force: true}));

  const read = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return readRuleFile(file);
  };
  const readGood = async (name: string, text: string) => {
    const file = await read(name, text);
    if (file.problem) throw new Error(`unexpected problem: ${file.problem.message}`);
    return file;
  };

  it("gives the line each rule of a list starts on, an empty item included", async () => {
    const file = await readGood("list.yaml", "# rules\n- id: a\n  actions: []\n\n-\n- id: c\n");
    expect(file.entryLines).toEqual([2, 5, 6]);
    // The document was let go; an error is still placed, by parsing the text again.
    expect(file.places.atKey([0, "actions"])).toEqual({line: 3, col: 3});
  });

  it("gives the line of the one rule a file holds as a mapping", async () => {
    const file = await readGood("one.yaml", "\n\nid: only\nactions: []\n");
    expect(file.entryLines).toEqual([3]);
    expect(file.places.atKey(["actions"])).toEqual({line: 4, col: 1});
  });

  it("places a problem in the text it refuses, and gives no lines", async () => {
    const file = await read("bad.yaml", "- id: a\n  id: b\n");
    expect(file).toEqual({problem: {line: 2, col: 3, message: "YAML syntax: Map keys must be unique"}});
  });
});
