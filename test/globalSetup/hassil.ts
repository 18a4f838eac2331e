import {execFile} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {ProvidedContext} from "vitest";
import type {TestProject} from "vitest/node";
import {once} from "./once.js";
import "./provided.js";

/**
 * Home Assistant's sentence parser for the voice tests, once for the run: two test files building
 * the same venv at once would remove each other's.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const {value, giveBack} = await once<ProvidedContext["hassil"]>("hassil", async () => {
    const built = await buildHassil();
    if (!("python" in built)) return {value: built};
    // Where hassil's reading of a set of templates is kept for the run (test/helpers/hassilShortcut.py).
    const cache = await mkdtemp(path.join(os.tmpdir(), "yss-hassil-"));
    return {value: {...built, cache}, cleanUp: () => rm(cache, {recursive: true, force: true})};
  });
  project.provide("hassil", value);
  return giveBack;
}

/** The hassil of the sources the voice tests were written against: `pip install hassil==` this. */
const HASSIL_VERSION = "3.8.0";

/**
 * hassil, the parser of Home Assistant's sentence triggers: `HASSIL_PYTHON`, a python that has it
 * (from PyPI) with YAML and Jinja2, else built from the hassil sources folder beside the project or
 * at `HASSIL_SOURCES` (its install script builds a venv offline and prints its python).
 */
function buildHassil(): Promise<{python: string} | {missing: string}> {
  const given = process.env.HASSIL_PYTHON;
  if (given) return checkHassilPython(given);
  const sources =
    process.env.HASSIL_SOURCES ?? path.join(import.meta.dirname, "..", "..", "..", "shared", "tools", "hassil");
  const script = path.join(sources, "install.sh");
  const pip = `pip install hassil==${HASSIL_VERSION} pyyaml jinja2`;
  if (!existsSync(script))
    return Promise.resolve({
      missing:
        `no hassil: HASSIL_PYTHON is not set (a python with \`${pip}\`), and the hassil sources are not at ` +
        `${sources} (HASSIL_SOURCES: the folder with its install.sh); README.md, Requirements, says how`,
    });
  return new Promise((resolve) =>
    execFile("bash", [script], {timeout: 120_000}, (err, stdout, stderr) => {
      const python = stdout.trim().split("\n").at(-1) ?? "";
      resolve(
        err || !python
          ? {missing: `hassil could not be built from ${sources} (${(stderr || String(err)).trim().slice(0, 300)})`}
          : {python},
      );
    }),
  );
}

/** `HASSIL_PYTHON` when it runs and imports hassil, yaml and jinja2; else what it lacks and how to add it. */
function checkHassilPython(python: string): Promise<{python: string} | {missing: string}> {
  const probe = [
    "import importlib, json",
    "lacks = []",
    "for name in ('hassil', 'yaml', 'jinja2'):",
    "    try: importlib.import_module(name)",
    "    except ImportError: lacks.append(name)",
    "print(json.dumps(lacks))",
  ].join("\n");
  const pip = `${python} -m pip install hassil==${HASSIL_VERSION} pyyaml jinja2`;
  return new Promise((resolve) =>
    execFile(python, ["-c", probe], {timeout: 30_000}, (err, stdout, stderr) => {
      if (err) {
        const why = (stderr || err.message).trim().slice(0, 300);
        resolve({missing: `HASSIL_PYTHON=${python} does not run (${why})`});
        return;
      }
      let lacks: string[];
      try {
        lacks = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as string[];
      } catch {
        resolve({
          missing: `HASSIL_PYTHON=${python} is not a python (it answered ${JSON.stringify(stdout.slice(0, 100))})`,
        });
        return;
      }
      const names: Record<string, string> = {hassil: "hassil", yaml: "PyYAML", jinja2: "Jinja2"};
      resolve(
        lacks.length === 0
          ? {python}
          : {missing: `HASSIL_PYTHON=${python} lacks ${lacks.map((m) => names[m] ?? m).join(", ")} (${pip})`},
      );
    }),
  );
}
