// Writes README.md's test figures ("`npm test` runs every test, 1,465 in 352 files.") from a run:
// `npm run docs:test-figures` collects the suite (`vitest list --json`: every test file loaded, no
// test run; about a minute), or `npm run docs:test-figures -- --report test-artifacts/vitest.json`
// reads the JSON report a whole `npm test` left. test/unit/readmeFigures.test.ts fails when the
// figures drift more than 10 % from the tests there are.
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {PACKAGE_ROOT} from "../src/paths.js";
import {figure, type TestFigures, testFiles, withFigures} from "../test/helpers/testFigures.js";

const README = path.join(PACKAGE_ROOT, "README.md");
const expected = testFiles(path.join(PACKAGE_ROOT, "test")).length;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The figures of a whole run's JSON report (Vitest's `json` reporter). */
function fromReport(file: string): TestFigures {
  let report: {numTotalTests: number; testResults: unknown[]};
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    fail(`No test report to read at ${file} (${(err as NodeJS.ErrnoException).code ?? err}): run \`npm test\` first.`);
  }
  if (report.testResults.length !== expected)
    fail(
      `${file} is a run of ${report.testResults.length} of the ${expected} test files: run the whole suite (\`npm test\`) first, or leave out --report to collect it.`,
    );
  return {tests: report.numTotalTests, files: report.testResults.length};
}

/** The figures of the suite as Vitest collects it: every test file loaded, no test run. */
function fromList(): TestFigures {
  const dir = mkdtempSync(path.join(tmpdir(), "test-figures-"));
  const out = path.join(dir, "list.json");
  try {
    const run = spawnSync("npx", ["vitest", "list", `--json=${out}`], {
      cwd: PACKAGE_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (run.status !== 0)
      fail(`vitest list failed (exit ${run.status ?? run.signal}): the figures were left as they are.`);
    const tests = JSON.parse(readFileSync(out, "utf8")) as {name: string; file: string}[];
    return {tests: tests.length, files: new Set(tests.map((t) => t.file)).size};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

const at = process.argv.indexOf("--report");
const figures = at >= 0 ? fromReport(path.resolve(process.argv[at + 1] ?? "")) : fromList();
if (figures.files !== expected)
  console.warn(`${expected - figures.files} of the ${expected} test files declare no test.`);
writeFileSync(README, withFigures(readFileSync(README, "utf8"), figures));
console.log(`README.md: ${figure(figures.tests)} tests in ${figure(figures.files)} files`);
