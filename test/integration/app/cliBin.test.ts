import {execFile} from "node:child_process";
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {cp, mkdir, rm, symlink, utimes, writeFile} from "node:fs/promises";
import path from "node:path";
import {promisify} from "node:util";
import {transformWithEsbuild} from "vite";
import {beforeAll, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {shippedRulesFolder} from "../../helpers/shippedRules.js";
import {tempDir} from "../../helpers/tmp.js";

const run = promisify(execFile);

/**
 * What `npm run build` writes for src/, each file transpiled on its own (esbuild, through Vite's
 * own export) without the type check: that is npm run typecheck's, and here took half a minute.
 * The sources are written for it (isolatedModules, verbatimModuleSyntax).
 */
async function emitDist(outDir: string): Promise<void> {
  const src = path.join(PACKAGE_ROOT, "src");
  for (const entry of readdirSync(src, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const {code} = await transformWithEsbuild(readFileSync(file, "utf8"), file, {
      loader: "ts",
      format: "esm",
      target: "es2023",
      sourcemap: false,
    });
    const out = path.join(outDir, path.relative(src, file)).replace(/\.ts$/, ".js");
    await mkdir(path.dirname(out), {recursive: true});
    await writeFile(out, code);
  }
}

/** Whether dist/ was built after every source file changed (by `npm run build`). */
function distIsCurrent(): boolean {
  const cli = path.join(PACKAGE_ROOT, "dist", "cli.js");
  if (!existsSync(cli)) return false;
  const builtAt = statSync(cli).mtimeMs;
  return readdirSync(path.join(PACKAGE_ROOT, "src"), {recursive: true, withFileTypes: true}).every(
    (f) => !f.isFile() || statSync(path.join(f.parentPath, f.name)).mtimeMs <= builtAt,
  );
}

/** A copy of the package as a user has it: sources and rules, node_modules from `npm install`. */
async function checkout(built: boolean): Promise<string> {
  const dir = await tempDir("yss-cli-");
  for (const part of ["bin", "src", "translations", "package.json", "config.yaml"])
    await cp(path.join(PACKAGE_ROOT, part), path.join(dir, part), {recursive: true});
  // The rules the package ships, not what the demo or a parent left in the checkout's rules/.
  await cp(await shippedRulesFolder(), path.join(dir, "rules"), {recursive: true});
  await symlink(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"));
  if (built) {
    // As installed from a package: dist only, no sources to fall back on. The checkout's own dist
    // when it is built from these sources (CI builds first), else emitted here: a clean clone has
    // none, and an older one would test yesterday's code.
    if (distIsCurrent()) await cp(path.join(PACKAGE_ROOT, "dist"), path.join(dir, "dist"), {recursive: true});
    else await emitDist(path.join(dir, "dist"));
    await rm(path.join(dir, "src"), {recursive: true});
    const now = new Date();
    await utimes(path.join(dir, "dist", "cli.js"), now, now);
  }
  return dir;
}

/** The CLI as a user runs it: `npx yoto-smart-stream …` is node on bin/yoto-smart-stream.js. */
async function cli(dir: string, ...args: string[]) {
  try {
    const {stdout, stderr} = await run(process.execPath, [path.join(dir, "bin", "yoto-smart-stream.js"), ...args], {
      cwd: dir,
      env: {...process.env, NODE_OPTIONS: ""},
      timeout: 60_000,
    });
    return {code: 0, out: stdout + stderr};
  } catch (err) {
    const e = err as {code?: number; stdout?: string; stderr?: string};
    return {code: e.code ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}`};
  }
}

const version = (
  JSON.parse(
    await import("node:fs").then((fs) => fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")),
  ) as {version: string}
).version;

describe.each([
  ["a checkout right after npm install (never built)", false],
  ["an installed package (built, no sources)", true],
])("the CLI through bin/ in %s", (_label, built) => {
  let dir = "";
  beforeAll(async () => {
    dir = await checkout(built);
  }, 120_000);

  it("checks the shipped rules, prints help and the version", async () => {
    const checked = await cli(dir, "rules", "check", "rules");
    expect(checked.out).toMatch(/^\d+ rule\(s\) and \d+ stor(y|ies) OK in \d+ file\(s\) under /m);
    expect(checked.code).toBe(0);
    for (const flag of ["--help", "-h", "help"]) {
      const help = await cli(dir, flag);
      expect([flag, help.code, help.out.startsWith("Usage: yoto-smart-stream [command]")]).toEqual([flag, 0, true]);
    }
    expect(await cli(dir, "--version")).toEqual({code: 0, out: `${version}\n`});
    expect((await cli(dir, "rules", "--help")).out).toContain("yoto-smart-stream rules check [DIR]");
  }, 120_000);

  it("says what is wrong with a mistyped option, command or folder", async () => {
    const option = await cli(dir, "start", "--audioport", "9000");
    expect(option.code).toBe(2);
    expect(option.out).toContain(
      "audioport is not a known option (did you mean 'audio_port'?) (from flag --audioport)",
    );
    const command = await cli(dir, "strat");
    expect([command.code, command.out.split("\n")[0]]).toEqual([2, "Unknown command 'strat' (did you mean 'start'?)."]);
    const missing = await cli(dir, "rules", "check", "no-such-folder");
    expect(missing).toEqual({
      code: 2,
      out: `There is no folder '${path.join(dir, "no-such-folder")}': give the folder that holds your rule files (.yaml), e.g. rules check ./rules\n`,
    });
  }, 120_000);
});
