import {execFile} from "node:child_process";
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {inject} from "vitest";
import {systemNeed} from "./testPrograms.js";
import {tempDir} from "./tmp.js";

const HERE = import.meta.dirname;

/**
 * hassil's python (built once for the run by test/globalSetup.ts), or why the voice tests that need
 * it are skipped. Missing Python packages fail under CI=true, as every system package does; hassil's
 * own sources live beside the project, not in it, so a checkout without them skips, saying so.
 */
export function hassilPython(): {python?: string; reason?: string} {
  const python = systemNeed("jinja");
  if (python.reason) return python;
  const built = inject("hassil");
  if ("python" in built) return {python: built.python};
  if (process.env.CI === "true" && !built.missing.startsWith("hassil's sources are not at"))
    throw new Error(built.missing);
  console.warn(`Skipping the tests that need hassil: ${built.missing}`);
  return {reason: built.missing};
}

function run(python: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, args, {timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (err, stdout, stderr) =>
      err ? reject(new Error(`${path.basename(args[0] ?? "")} failed: ${stderr || err.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * The workspace's own matcher (hassil's `match.py`): each sentence against `groups` of templates as a
 * `conversation` trigger matches it (every slot a wildcard). One line each: the group that matched and its slots.
 */
export async function matchSentences(
  python: string,
  groups: Record<string, string[]>,
  sentences: string[],
): Promise<Array<{text: string; name: string | null; slots: Record<string, string>}>> {
  const dir = await tempDir("yss-hassil-");
  const file = path.join(dir, "templates.yaml");
  // JSON is YAML: the templates go over as they are.
  await writeFile(file, JSON.stringify(groups));
  const matcher = path.join(
    process.env.HASSIL_SOURCES ?? path.join(HERE, "..", "..", "..", "shared", "tools", "hassil"),
    "match.py",
  );
  const out = await run(python, [matcher, file, ...sentences]);
  return out
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

export interface HeardByBlueprint {
  text: string;
  /** Every trigger that fired (Home Assistant fires each trigger that matches). */
  fired: string[];
  slots: Record<string, string> | null;
  topic: string | null;
  /** The voice request the blueprint publishes, as Home Assistant's Jinja2 renders it. */
  payload: string | null;
  variables?: Record<string, unknown>;
}

/** A satellite's device registry: its devices by id (name, area) and the areas' names. */
export interface HaRegistry {
  devices?: Record<string, {name: string; area_id?: string; name_by_user?: string}>;
  areas?: Record<string, string>;
}

/** Sentences said to Home Assistant with the blueprint imported unchanged: what fires and what it publishes. */
export async function hearWithBlueprint(
  python: string,
  blueprint: string,
  said: Array<{text: string; device_id?: string; context_id?: string}>,
  registry: HaRegistry = {},
): Promise<HeardByBlueprint[]> {
  const out = await run(
    python,
    [path.join(HERE, "haVoiceBlueprint.py"), blueprint],
    JSON.stringify({hear: said, registry}),
  );
  return (JSON.parse(out) as {heard: HeardByBlueprint[]}).heard;
}

/**
 * Every sentence the blueprint's templates make with these slot values (hassil's sampler), heard as
 * Home Assistant hears it: those that fire another trigger than their own, or more than one.
 */
export async function sampleBlueprint(
  python: string,
  blueprint: string,
  values: Record<string, string[]>,
): Promise<{sampled: number; problems: Array<[string, string, string[]]>}> {
  const out = await run(python, [path.join(HERE, "haVoiceBlueprint.py"), blueprint], JSON.stringify({sample: values}));
  return JSON.parse(out);
}

/** What the blueprint says for each case: the answer messages it waited on, and its variables. */
export async function speakWithBlueprint(
  python: string,
  blueprint: string,
  cases: Array<{variables: Record<string, unknown>; messages: Array<{topic: string; payload: string}>}>,
): Promise<string[]> {
  const out = await run(python, [path.join(HERE, "haVoiceBlueprint.py"), blueprint], JSON.stringify({answer: cases}));
  return (JSON.parse(out) as {spoken: string[]}).spoken;
}
