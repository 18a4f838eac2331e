import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {OWN_SCRIPT} from "../suite.js";

// README.md's test figures ("`npm test` runs every test, 1,465 in 352 files."): read and written by
// `npm run docs:test-figures` from a run, and held near the tests there are by
// test/unit/readmeFigures.test.ts, which counts them without running any.

export interface TestFigures {
  tests: number;
  files: number;
}

/** The sentence the figures stand in, in README.md's "Tests" section. */
const SENTENCE = /`npm test` runs every test, ([\d,]+) in ([\d,]+) files\./;

/** 1465 → "1,465", as README.md writes its numbers. */
export const figure = (n: number) => n.toLocaleString("en-US");

/** The figures README.md states, or undefined when it has no such sentence. */
export function readmeFigures(readme: string): TestFigures | undefined {
  const m = SENTENCE.exec(readme);
  if (!m) return undefined;
  const number = (text: string) => Number(text.replaceAll(",", ""));
  return {tests: number(m[1] as string), files: number(m[2] as string)};
}

/** README.md with `figures` in its sentence; nothing else changes. Throws when the sentence is gone. */
export function withFigures(readme: string, figures: TestFigures): string {
  if (!SENTENCE.test(readme))
    throw new Error("README.md has no sentence '`npm test` runs every test, <tests> in <files> files.' to write into");
  return readme.replace(
    SENTENCE,
    `\`npm test\` runs every test, ${figure(figures.tests)} in ${figure(figures.files)} files.`,
  );
}

/**
 * Every test file `npm test` runs (each `*.test.ts` under test/, vitest.config.ts's projects, but
 * those with a script of their own: test/suite.ts), relative to `testRoot`, sorted.
 */
export function testFiles(testRoot: string): string[] {
  return readdirSync(testRoot, {recursive: true, encoding: "utf8"})
    .filter((name) => name.endsWith(".test.ts"))
    .filter((name) => !OWN_SCRIPT.includes(`test/${name.split(path.sep).join("/")}`))
    .map((name) => name.split(path.sep).join("/"))
    .sort();
}

/**
 * A test's start: `it(` or `test(`, with any of Vitest's modifiers (`it.each([…])(`, `it.each\``,
 * `test.skipIf(cond)(`, `it.concurrent(`), not a method called `test` (`/re/.test(`) nor a word
 * ending in it (`submit(`). One pass, no backtracking beyond a line.
 */
const TEST_CALL =
  /(?<![\w$.])(?:it|test)(?:\.(?:each|for|only|skip|todo|fails|concurrent|sequential|skipIf|runIf)(?:\([^()\n]*\))?)*[(`]/g;

/** An `it.each([` / `test.each([` over a table written in place: its rows are tests of their own. */
const EACH_TABLE = /(?<![\w$.])(?:it|test)(?:\.(?:only|skip|concurrent|sequential))*\.each\(\s*\[/g;

/**
 * The tests a file's text declares, counted where they are written: a test in a loop, or an
 * `it.each` over a table named elsewhere, counts once; a table written in the call counts a test a
 * row, as a run reports it. So the count runs a little under what a run reports.
 */
export const countTests = (text: string) => {
  let count = text.match(TEST_CALL)?.length ?? 0;
  for (const table of text.matchAll(EACH_TABLE)) count += rowsAfter(text, (table.index ?? 0) + table[0].length) - 1;
  return count;
};

/**
 * The top-level elements of the array literal whose `[` ends just before `from`: commas at depth one,
 * strings and comments skipped, a trailing comma not counted. One pass.
 */
function rowsAfter(text: string, from: number): number {
  let depth = 1;
  let commas = 0;
  let last = "[";
  for (let i = from; i < text.length && depth > 0; i++) {
    const c = text[i] as string;
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
      last = c;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i < 0) break;
      continue;
    }
    if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    else if (c === "," && depth === 1) commas++;
    if (depth > 0 && !/\s/.test(c)) last = c;
  }
  const empty = last === "[";
  return empty ? 1 : commas + (last === "," ? 0 : 1);
}

/** The test files under `testRoot` and the tests written in them, without running any. */
export function countedFigures(testRoot: string): TestFigures {
  const files = testFiles(testRoot);
  const tests = files.reduce((sum, file) => sum + countTests(readFileSync(path.join(testRoot, file), "utf8")), 0);
  return {tests, files: files.length};
}

/** Each of README.md's figures further than `tolerance` (0.1 for 10 %) from what is counted, in words. */
export function figureDrift(stated: TestFigures, counted: TestFigures, tolerance: number): string[] {
  const problems: string[] = [];
  const check = (what: string, said: number, found: number) => {
    const off = Math.abs(said - found) / Math.max(found, 1);
    if (off > tolerance)
      problems.push(
        `README.md says ${figure(said)} ${what}; there are about ${figure(found)}, ${Math.round(off * 100)} % off (more than ${Math.round(tolerance * 100)} %): run \`npm run docs:test-figures\``,
      );
  };
  check("tests", stated.tests, counted.tests);
  check("test files", stated.files, counted.files);
  return problems;
}
