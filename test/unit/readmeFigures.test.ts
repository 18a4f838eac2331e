import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {countedFigures, countTests, figureDrift, readmeFigures, withFigures} from "../helpers/testFigures.js";

// README.md's test figures come from a run (`npm run docs:test-figures`); this holds them near the
// tests there are, counted in the test files without running the suite.
const README = path.join(PACKAGE_ROOT, "README.md");

describe("README.md's test figures", () => {
  it("are within 10 % of the test files and the tests written in them", () => {
    const stated = readmeFigures(readFileSync(README, "utf8"));
    expect(stated, "README.md has no sentence '`npm test` runs every test, <tests> in <files> files.'").toBeDefined();
    const counted = countedFigures(path.join(PACKAGE_ROOT, "test"));
    expect(counted.files).toBeGreaterThan(300);
    expect(figureDrift(stated as {tests: number; files: number}, counted, 0.1)).toEqual([]);
  });

  it("count it() and test() with Vitest's modifiers, not a method called test nor prose", () => {
    const text = [
      'it("plays", () => {});',
      'test("plays", async () => {});',
      'it.each([1, 2])("plays %i", (n) => {});',
      "it.each`",
      "  a | b",
      '`("plays $a", () => {});',
      'test.skipIf(process.platform === "win32")("plays", () => {});',
      'it.concurrent.each([[1]])("plays", () => {});',
      'describe("a player", () => { it("pauses", () => {}); });',
      "// and then it (the player) stops; test (x) too",
      'if (/x/.test("x")) submit("x");',
      "const visit = () => commit(1);",
    ].join("\n");
    // it.each([1, 2]) is two tests, as a run reports them.
    expect(countTests(text)).toBe(8);
  });

  it("count a table written in an it.each a test a row, strings and comments with commas and brackets in them read past", () => {
    const table = [
      "it.each([",
      '  ["a, b", {x: [1, 2]}, "c]"],',
      "  // a comment, with [ and ,",
      "  ['d', `e,` + 'x', 'f'],",
      '  ["g\\"h", 3, 4],',
      '])("row %s", () => {});',
      'it.each(ROWS)("named elsewhere", () => {});',
      'test.each([])("none", () => {});',
    ].join("\n");
    expect(countTests(table)).toBe(5);
  });

  it("fail when a figure is more than 10 % off, naming it and the script that writes it", () => {
    expect(figureDrift({tests: 1100, files: 330}, {tests: 1200, files: 363}, 0.1)).toEqual([]);
    expect(figureDrift({tests: 1217, files: 286}, {tests: 1478, files: 363}, 0.1)).toEqual([
      "README.md says 1,217 tests; there are about 1,478, 18 % off (more than 10 %): run `npm run docs:test-figures`",
      "README.md says 286 test files; there are about 363, 21 % off (more than 10 %): run `npm run docs:test-figures`",
    ]);
    expect(figureDrift({tests: 1700, files: 363}, {tests: 1478, files: 363}, 0.1)).toEqual([
      "README.md says 1,700 tests; there are about 1,478, 15 % off (more than 10 %): run `npm run docs:test-figures`",
    ]);
  });

  it("are written into their sentence and nowhere else", () => {
    const readme =
      "## Tests\n\n`npm test` runs every test, 1,217 in 286 files. Measured from a clean clone: 1,217 s.\n";
    expect(readmeFigures(readme)).toEqual({tests: 1217, files: 286});
    expect(withFigures(readme, {tests: 1515, files: 363})).toBe(
      "## Tests\n\n`npm test` runs every test, 1,515 in 363 files. Measured from a clean clone: 1,217 s.\n",
    );
    expect(readmeFigures("## Tests\n\nMany tests.\n")).toBeUndefined();
    expect(() => withFigures("## Tests\n", {tests: 1, files: 1})).toThrow(
      "README.md has no sentence '`npm test` runs every test, <tests> in <files> files.' to write into",
    );
  });
});
