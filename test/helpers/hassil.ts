import path from "node:path";
import {inject} from "vitest";
import {hassilServer} from "./hassilServer.js";
import {systemNeed} from "./testPrograms.js";

const HERE = import.meta.dirname;

/**
 * hassil's python (found once for the run by test/globalSetup/hassil.ts: `HASSIL_PYTHON`, else built from
 * the hassil sources folder), or why the voice tests that need it are skipped. Under CI=true a
 * hassil that cannot be built or run fails, as a missing system package does.
 */
export function hassilPython(): {python?: string; reason?: string} {
  // Built from the sources, its venv takes YAML and Jinja2 from Debian's python; HASSIL_PYTHON has its own.
  if (!process.env.HASSIL_PYTHON) {
    const python = systemNeed("jinja");
    if (python.reason) return python;
  }
  const built = inject("hassil");
  if ("python" in built) return {python: built.python};
  // Under CI=true a hassil that is there and broken fails the run; one that is not there at all is
  // skipped, as on any checkout without its sources (the tests say so in one line).
  if (process.env.CI === "true" && !built.missing.startsWith("no hassil:"))
    throw new Error(`${built.missing}, and CI needs it`);
  const reason = `Skipping the tests that need hassil: ${built.missing}`;
  console.warn(reason);
  return {reason};
}

/** The run's folder where hassil keeps the templates it parsed (hassilShortcut.py), if any. */
function parsedCache(): Record<string, string> {
  const built = inject("hassil");
  return "cache" in built && built.cache ? {HASSIL_CACHE: built.cache} : {};
}

function run(python: string, args: string[], input = ""): Promise<string> {
  const [script = "", ...rest] = args;
  // A ceiling against a hung python, not a speed check: the German family lines are wide, and a busy
  // machine may take minutes over a batch.
  return hassilServer(python, {...process.env, ...parsedCache()})
    .request(path.basename(script), rest, input, 600_000)
    .catch((err: Error) => {
      throw new Error(`${path.basename(script)} failed: ${err.message}`);
    });
}

/**
 * How hassil is run: by default each sentence meets only the templates whose words it holds
 * (hassilShortcut.py: what fires is the same, in a fraction of the time); `exhaustive` meets every
 * template, as the test of that shortcut does.
 */
export interface Matching {
  exhaustive?: boolean;
}

/**
 * Each sentence against `groups` of templates as a `conversation` trigger matches it, every slot a
 * wildcard (hassilMatch.py): the group that matched (null if none) and its slots.
 */
export async function matchSentences(
  python: string,
  groups: Record<string, string[]>,
  sentences: string[],
  how: Matching = {},
): Promise<Array<{text: string; name: string | null; slots: Record<string, string>}>> {
  const out = await run(python, [path.join(HERE, "hassilMatch.py")], JSON.stringify({groups, sentences, ...how}));
  return (JSON.parse(out) as {matched: Array<{text: string; name: string | null; slots: Record<string, string>}>})
    .matched;
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
  /** Entities by id: their device, or an area of their own, and a name when they have no device. */
  entities?: Record<string, {device_id?: string; area_id?: string; friendly_name?: string}>;
}

/** Sentences said to Home Assistant with the blueprint imported unchanged: what fires and what it publishes. */
export async function hearWithBlueprint(
  python: string,
  blueprint: string,
  said: Array<{text: string; device_id?: string; context_id?: string}>,
  registry: HaRegistry = {},
  /** Inputs set in the automation (the family's own sentences), the blueprint's defaults for the rest. */
  inputs: Record<string, unknown> = {},
  how: Matching = {},
): Promise<HeardByBlueprint[]> {
  const out = await run(
    python,
    [path.join(HERE, "haVoiceBlueprint.py"), blueprint],
    JSON.stringify({hear: said, registry, inputs, ...how}),
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
  /** Optional words left out of what is sampled (each doubles it); the sentences are still heard in full. */
  without: string[] = [],
): Promise<{sampled: number; problems: Array<[string, string, string[]]>}> {
  const out = await run(
    python,
    [path.join(HERE, "haVoiceBlueprint.py"), blueprint],
    JSON.stringify({sample: values, without}),
  );
  return JSON.parse(out);
}

/**
 * Random paths through each template of the blueprint with `inputs` set (the family's lines, too
 * wide to sample whole): each sentence heard, and those that fire another trigger or two, listed.
 */
export async function walkBlueprint(
  python: string,
  blueprint: string,
  inputs: Record<string, unknown>,
  walk: {values: Record<string, string[]>; per_template: number; seed: number},
): Promise<{sampled: number; problems: Array<[string, string, string[]]>}> {
  const out = await run(python, [path.join(HERE, "haVoiceBlueprint.py"), blueprint], JSON.stringify({inputs, walk}));
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
