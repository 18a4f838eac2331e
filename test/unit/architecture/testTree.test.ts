import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {room, testTreeProblems} from "../../helpers/architecture.js";
import {MAX_LINES, srcFiles} from "./sitePlan.js";

const files = srcFiles();
const TEST = path.join(PACKAGE_ROOT, "test");

/** A test file's length, counted as src/'s files are (the lines of its text). */
interface TestFile {
  /** From the package, with forward slashes: `test/unit/core/errors.test.ts`. */
  file: string;
  lines: number;
}

/**
 * Test files allowed over MAX_LINES, each as long as it was when the cap came. A file that grows
 * past the cap is one that tests more than one thing: split it by what it tests. The list only
 * shrinks (a file back under the cap, or gone, fails until it is taken off).
 */
const LONG_TEST_FILES = [
  "test/browser/panel.test.ts",
  "test/integration/feeds/feeds.test.ts",
  "test/integration/sim/simulator.test.ts",
  "test/integration/upnpRenderers/badControlRequests.test.ts",
];

function testFiles(root: string): TestFile[] {
  return readdirSync(root, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => {
      const absolute = path.join(entry.parentPath, entry.name);
      const file = path.relative(PACKAGE_ROOT, absolute).split(path.sep).join("/");
      return {file, lines: readFileSync(absolute, "utf8").split("\n").length};
    });
}

/** Test files over `cap` lines, as `file (lines)`, but for those `allowed`. */
const longTestFiles = (all: TestFile[], cap: number, allowed: readonly string[]) =>
  all.filter((f) => f.lines > cap && !allowed.includes(f.file)).map((f) => `${f.file} (${f.lines})`);

/** Allowances that no longer hold (the file is gone or back under the cap), so the list only shrinks. */
const staleLongTestFiles = (all: TestFile[], cap: number, allowed: readonly string[]) =>
  allowed.filter((name) => !all.some((f) => f.file === name && f.lines > cap));

describe("the test tree", () => {
  it("mirrors src/: each folder of test/unit and test/integration is named after the src/ folder it tests", () => {
    const rooms = [...new Set(files.map((f) => room(f.file)))];
    expect(
      testTreeProblems(TEST, rooms, {
        // The panel's own code is ui/, not src/; the site plan's tests are about all of src/.
        also: ["ui", "architecture"],
        // The docs' links, and README.md's test figures.
        looseAllowed: ["test/unit/docLinks.test.ts", "test/unit/readmeFigures.test.ts"],
      }),
    ).toEqual([]);
  });

  const tests = testFiles(TEST);

  it(`has no test file over ${MAX_LINES} lines, but for the named`, () => {
    expect(tests.length).toBeGreaterThan(300);
    expect(tests.find((f) => f.file === "test/unit/architecture/testTree.test.ts")?.lines).toBeGreaterThan(50);
    expect(longTestFiles(tests, MAX_LINES, LONG_TEST_FILES)).toEqual([]);
  });

  it("has no test file on its list that is gone or back under the cap", () => {
    expect(staleLongTestFiles(tests, MAX_LINES, LONG_TEST_FILES)).toEqual([]);
  });

  it("names a planted long test file, and an allowance that shrank", () => {
    const planted = [
      {file: "test/unit/radio/radio.test.ts", lines: MAX_LINES + 1},
      {file: "test/unit/radio/tune.test.ts", lines: MAX_LINES},
      {file: "test/unit/feeds/feeds.test.ts", lines: 900},
    ];
    expect(longTestFiles(planted, MAX_LINES, ["test/unit/feeds/feeds.test.ts"])).toEqual([
      `test/unit/radio/radio.test.ts (${MAX_LINES + 1})`,
    ]);
    expect(
      staleLongTestFiles(planted, MAX_LINES, ["test/unit/feeds/feeds.test.ts", "test/unit/radio/tune.test.ts", "gone"]),
    ).toEqual(["test/unit/radio/tune.test.ts", "gone"]);
  });
});
