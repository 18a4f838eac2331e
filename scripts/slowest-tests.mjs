#!/usr/bin/env node
// The slowest test files and tests of the last `npm test` (its JSON report), to see where the
// suite's minutes go: `npm run test:slowest` (10 of each) or `node scripts/slowest-tests.mjs 25`.
import {readFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reportFile = path.join(root, "test-artifacts", "vitest.json");
const count = Number(process.argv[2] ?? 10);
if (!Number.isInteger(count) || count < 1) {
  console.error(`usage: node scripts/slowest-tests.mjs [how many, default 10] (got '${process.argv[2]}')`);
  process.exit(2);
}
let report;
try {
  report = JSON.parse(readFileSync(reportFile, "utf8"));
} catch (err) {
  console.error(
    `No test report to read at ${path.relative(root, reportFile)} (${err.code ?? err.message}): run \`npm test\` first.`,
  );
  process.exit(1);
}
const files = report.testResults.map((file) => ({
  name: path.relative(root, file.name),
  seconds: (file.endTime - file.startTime) / 1000,
  tests: file.assertionResults,
}));
const started = Math.min(...report.testResults.map((f) => f.startTime));
const ended = Math.max(...report.testResults.map((f) => f.endTime));
const busy = files.reduce((sum, f) => sum + f.seconds, 0);
const seconds = (s) => `${s.toFixed(1).padStart(7)} s`;
console.log(
  `${report.numTotalTests} tests in ${files.length} files: ${((ended - started) / 1000).toFixed(0)} s from the first file's start to the last one's end, ${busy.toFixed(0)} s in files\n`,
);
console.log(`The ${count} slowest files:`);
for (const f of [...files].sort((a, b) => b.seconds - a.seconds).slice(0, count))
  console.log(`${seconds(f.seconds)}  ${f.name}`);
const tests = files.flatMap((f) =>
  f.tests.map((t) => ({name: `${f.name} > ${t.fullName}`, seconds: (t.duration ?? 0) / 1000})),
);
console.log(`\nThe ${count} slowest tests:`);
for (const t of tests.sort((a, b) => b.seconds - a.seconds).slice(0, count))
  console.log(`${seconds(t.seconds)}  ${t.name}`);
