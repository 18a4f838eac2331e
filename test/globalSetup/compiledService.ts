import {mkdir, mkdtemp, readdir, rm, symlink} from "node:fs/promises";
import path from "node:path";
import {build} from "esbuild";
import type {TestProject} from "vitest/node";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {once} from "./once.js";
import "./provided.js";

/** What is compiled: the service, and the test helpers that run it in a process of its own. */
const COMPILED = ["src", path.join("test", "helpers")];

async function typeScriptIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {recursive: true, withFileTypes: true});
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every entry of `from` as a link in `to`, but those named in `except`. */
async function linkEntries(from: string, to: string, except: (name: string) => boolean): Promise<void> {
  for (const name of await readdir(from)) if (!except(name)) await symlink(path.join(from, name), path.join(to, name));
}

/**
 * The service compiled to JavaScript once a run, for the tests that start it in a process of its
 * own (the demo, a service killed at the worst moment, one watched for memory, the CLI): through
 * tsx each such start compiles and loads the sources again, some three CPU-seconds more than the
 * compiled code, and a run makes dozens. The sources are transpiled file by file as the build
 * emits them (the type check is `npm run typecheck`'s), into a folder beside src/ whose other
 * entries link to the package's, so the compiled code finds the package root (package.json, rules/,
 * blueprints/, dist/ui, node_modules, test fixtures) where the sources find it. Tests of the way a
 * user starts it (bin/, `npm run demo`'s command from a fresh folder) still run the sources.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const {value, giveBack} = await once("compiledService", async () => {
    const folder = await mkdtemp(path.join(PACKAGE_ROOT, ".test-build-"));
    const remove = () => rm(folder, {recursive: true, force: true});
    try {
      const own = new Set(["src", "test", ".git"]);
      await linkEntries(PACKAGE_ROOT, folder, (name) => own.has(name) || name.startsWith(".test-build-"));
      await mkdir(path.join(folder, "test"));
      await linkEntries(path.join(PACKAGE_ROOT, "test"), path.join(folder, "test"), (name) => name === "helpers");
      const entryPoints = (await Promise.all(COMPILED.map((f) => typeScriptIn(path.join(PACKAGE_ROOT, f))))).flat();
      await build({
        entryPoints,
        outdir: folder,
        outbase: PACKAGE_ROOT,
        format: "esm",
        platform: "node",
        target: "node20",
        logLevel: "warning",
      });
    } catch (err) {
      await remove();
      throw err;
    }
    return {value: folder, cleanUp: remove};
  });
  project.provide("compiledService", value);
  return giveBack;
}
