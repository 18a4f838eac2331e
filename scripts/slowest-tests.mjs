#!/usr/bin/env node
// The slowest test files and tests of the last `npm test` (its JSON report), to see where the
// suite's minutes go: `npm run test:slowest` (10 of each) or `node scripts/slowest-tests.mjs 25`. Where
// the run left each file's CPU (test/helpers/fileCpu.ts), the files that spent most of it too.
import {readdirSync, readFileSync, statSync} from "node:fs";
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

// Each worker of the last run appended its files' CPU to test-artifacts/file-cpu/<run>.<worker>.jsonl,
// <run> being the process that ran the workers: read the newest run's.
const cpuFolder = path.join(root, "test-artifacts", "file-cpu");
let cpuFiles = [];
try {
  cpuFiles = readdirSync(cpuFolder).map((name) => ({name, mtime: statSync(path.join(cpuFolder, name)).mtimeMs}));
} catch {
  // No CPU figures kept: a run from before they were, or a read-only checkout.
}
if (cpuFiles.length > 0) {
  const newest = cpuFiles.reduce((a, b) => (b.mtime > a.mtime ? b : a));
  const run = newest.name.split(".")[0];
  const records = cpuFiles
    .filter((f) => f.name.split(".")[0] === run)
    .flatMap((f) => readFileSync(path.join(cpuFolder, f.name), "utf8").split("\n").filter(Boolean))
    .map((line) => JSON.parse(line))
    .filter((r) => r.at >= started);
  if (records.length > 0) {
    const cpu = (r) => r.ownSeconds + r.childSeconds;
    const total = records.reduce((sum, r) => sum + cpu(r), 0);
    const byFolder = new Map();
    for (const r of records) {
      const folder = r.file.split("/").slice(0, 3).join("/");
      byFolder.set(folder, (byFolder.get(folder) ?? 0) + cpu(r));
    }
    console.log(`\nCPU in files: ${total.toFixed(0)} CPU-s in ${records.length} files (own + children's)`);
    console.log(`The ${count} folders that spent most:`);
    for (const [folder, s] of [...byFolder].sort((a, b) => b[1] - a[1]).slice(0, count))
      console.log(`${seconds(s)}  ${folder}`);
    console.log(`The ${count} files that spent most (own + children's):`);
    for (const r of [...records].sort((a, b) => cpu(b) - cpu(a)).slice(0, count))
      console.log(`${seconds(cpu(r))}  ${r.file}  (${r.ownSeconds.toFixed(1)} + ${r.childSeconds.toFixed(1)})`);
  }
}
