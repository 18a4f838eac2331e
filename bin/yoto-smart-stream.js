#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` makes dist/). In a checkout that was never built, or whose
// sources changed since the build, it runs the TypeScript sources through tsx instead, so the
// documented commands work right after `npm install`.
import {existsSync, readdirSync, statSync} from "node:fs";
import {fileURLToPath} from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const built = `${root}dist/cli.js`;
const source = `${root}src/cli.ts`;

/** The newest modification time under a folder (the sources: a few hundred files). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const file = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }
  return latest;
}

const hasSources = existsSync(source);
const useSources = hasSources && (!existsSync(built) || statSync(built).mtimeMs < newest(`${root}src`));
if (!useSources && existsSync(built)) {
  await import(built);
} else if (useSources) {
  let register;
  try {
    ({register} = await import("tsx/esm/api"));
  } catch {
    console.error("This checkout is not built and tsx is not installed: run `npm install`, or `npm run build`.");
    process.exit(1);
  }
  register();
  await import(source);
} else {
  console.error("dist/cli.js is missing: run `npm run build` in the package folder.");
  process.exit(1);
}
