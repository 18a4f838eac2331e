import type {ConfigPath} from "../../core/configPath.js";
import type {Exit, SayPart, Scene, SceneAudio, Story, StoryMode, StoryVoice} from "../../shared/api/stories.js";
import {iconRef} from "../../yoto/cardKeys.js";
import {EXITS, isMap, MAX_SAY_CHARS, readExit, readPrompts, readSay, readVoice} from "./sceneFields.js";

export type {Exit, SayPart, Scene, SceneAudio, Story, StoryMode, StoryVoice};

export {EXITS, MAX_SAY_CHARS};

export interface StoryProblem {
  path: ConfigPath;
  message: string;
}

export const STOP = "stop";
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const STORY_KEYS = [
  "id",
  "title",
  "description",
  "mode",
  "start",
  "scenes",
  "variables",
  "icon",
  "narration",
  "ink",
  "ifid",
];
/** A Twine IFID: a UUID, kept as Twine writes it (upper case). */
const IFID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
const SCENE_KEYS = ["title", "audio", "say", "prompts", "set", "icon", ...EXITS];
const MODES: readonly StoryMode[] = ["interactive", "linear", "streamed"];
/** A card's chapter limit: a story the player branches through by itself fits on one card. */
export const MAX_SCENES = 99;
/** A streamed story is served a scene at a time, so only the import's own limit bounds it. */
export const MAX_STREAMED_SCENES = 10_000;
/** An ink story's one scene until it plays: the runtime makes the rest. */
export const INK_SCENE = "ink";

export interface StoryChecks {
  /** An ink story's compiled JSON, named relative to its story file: its absolute path, or why not. */
  inkFile?(ref: string, storyFile: string): {path: string} | {error: string};
  /** Library references (ids, paths, globs) that resolve to nothing, with the reason. */
  badItems?(refs: string[]): string | undefined;
  /** Whether a stream exists or a rule creates it, and which ones do. */
  streamKnown?(name: string): boolean;
  knownStreams?(): string[];
}

/**
 * Check a `story:` document and build the story, or list every problem with where it is. Graph
 * problems (dangling exits, scenes nothing leads to, loops with no way out) are all reported at once,
 * since fixing one at a time in a big story is tedious.
 */
export function checkStory(
  raw: unknown,
  file: string,
  checks: StoryChecks = {},
): {story?: Story; problems: StoryProblem[]} {
  const problems: StoryProblem[] = [];
  const fail = (path: ConfigPath, message: string) => problems.push({path: ["story", ...path], message});
  if (!isMap(raw)) {
    fail([], "a story is a mapping with id, title, start and scenes");
    return {problems};
  }
  for (const key of Object.keys(raw))
    if (!STORY_KEYS.includes(key)) fail([key], `unknown key '${key}' (a story has ${STORY_KEYS.join(", ")})`);
  const id = raw.id;
  if (typeof id !== "string" || !ID.test(id))
    fail(["id"], "id must be lower-case letters, digits, '-' or '_' (it is part of the scene URLs)");
  const title = raw.title ?? id;
  if (typeof title !== "string" || title.length < 1 || title.length > 100)
    fail(["title"], "title must be 1–100 characters");
  const mode = (raw.mode ?? (raw.ink === undefined ? "interactive" : "streamed")) as StoryMode;
  if (!MODES.includes(mode)) fail(["mode"], "mode must be interactive, linear or streamed");
  if (raw.variables !== undefined && !isMap(raw.variables))
    fail(["variables"], "variables must be a mapping of names to values");
  if (raw.icon !== undefined && !isIconRef(raw.icon)) fail(["icon"], ICON_HINT);
  const narration = readVoice(raw.narration, (p, m) => fail(["narration", ...p], m));
  if (raw.ifid !== undefined && !(typeof raw.ifid === "string" && IFID.test(raw.ifid)))
    fail(["ifid"], "ifid must be a UUID as Twine writes it (8-4-4-4-12 hex digits): the story's IFID in Twine");
  if (raw.ink !== undefined) return inkStory(raw, file, {id, title, mode, narration}, checks, fail, problems);
  if (!isMap(raw.scenes) || Object.keys(raw.scenes).length === 0) {
    fail(["scenes"], "scenes must be a mapping of scene ids to scenes");
    return {problems};
  }
  const ids = Object.keys(raw.scenes);
  if (mode !== "streamed" && ids.length > MAX_SCENES)
    fail(
      ["scenes"],
      `a story has at most ${MAX_SCENES} scenes on a card (its chapter limit): split it, or set mode: streamed (this service serves each scene)`,
    );
  if (ids.length > MAX_STREAMED_SCENES) fail(["scenes"], `a story has at most ${MAX_STREAMED_SCENES} scenes`);
  const scenes = new Map<string, Scene>();
  for (const sceneId of ids) {
    const scene = readScene(sceneId, raw.scenes[sceneId], (p, m) => fail(["scenes", sceneId, ...p], m), checks);
    if (scene) scenes.set(sceneId, scene);
  }
  const start = raw.start;
  if (typeof start !== "string" || !ids.includes(start)) {
    fail(["start"], `start must name a scene (${ids.join(", ")})`);
    return {problems};
  }
  let dangling = false;
  // A set, not the list: a 2,000-scene story asked the list once per exit, 16 million comparisons.
  const known = new Set(ids);
  for (const scene of scenes.values())
    for (const exit of EXITS) {
      const to = scene.exits[exit];
      if (to === undefined || to === STOP || known.has(to)) continue;
      fail(["scenes", scene.id, exit], `'${to}' is not a scene of this story: use one of ${ids.join(", ")} or 'stop'`);
      dangling = true;
    }
  // The graph is judged once every exit lands somewhere and every scene could be read.
  if (!dangling && scenes.size === ids.length) graphProblems(start, [...scenes.values()], fail);
  if (problems.length > 0) return {problems};
  const ordered = [scenes.get(start) as Scene, ...[...scenes.values()].filter((s) => s.id !== start)];
  return {
    problems,
    story: {
      id: id as string,
      title: title as string,
      description: typeof raw.description === "string" ? raw.description : undefined,
      mode: mode as StoryMode,
      start,
      scenes: ordered,
      variables: (raw.variables as Record<string, unknown> | undefined) ?? {},
      icon: raw.icon === undefined ? undefined : iconRef(raw.icon as string),
      file,
      ...(narration ? {narration} : {}),
      ...(typeof raw.ifid === "string" ? {ifid: raw.ifid.toUpperCase()} : {}),
    },
  };
}

/** An ink story: its compiled JSON in place of scenes, played by the runtime (streamed). */
function inkStory(
  raw: Record<string, unknown>,
  file: string,
  read: {id: unknown; title: unknown; mode: StoryMode; narration?: StoryVoice},
  checks: StoryChecks,
  fail: (path: ConfigPath, message: string) => void,
  problems: StoryProblem[],
): {story?: Story; problems: StoryProblem[]} {
  for (const key of ["scenes", "start"])
    if (raw[key] !== undefined) fail([key], `an ink story has no ${key}: the ink file makes them; remove '${key}'`);
  if (read.mode !== "streamed") fail(["mode"], "an ink story is streamed (this service runs it): remove mode");
  const ref = raw.ink;
  let inkPath: string | undefined;
  if (typeof ref !== "string" || !/^[^/\\].*\.json$/i.test(ref) || ref.split(/[/\\]/).includes(".."))
    fail(["ink"], "ink must name the story's compiled .json file beside the story file (stories import writes it)");
  else if (checks.inkFile) {
    const found = checks.inkFile(ref, file);
    if ("error" in found) fail(["ink"], found.error);
    else inkPath = found.path;
  } else inkPath = ref;
  if (problems.length > 0 || !inkPath) return {problems};
  const title = read.title as string;
  // One scene stands for the story until it plays: the panel, the library and the card name it.
  const scene: Scene = {id: INK_SCENE, title, audio: {say: ""}, exits: {}};
  return {
    problems,
    story: {
      id: read.id as string,
      title,
      description: typeof raw.description === "string" ? raw.description : undefined,
      mode: "streamed",
      start: INK_SCENE,
      scenes: [scene],
      variables: (raw.variables as Record<string, unknown> | undefined) ?? {},
      icon: raw.icon === undefined ? undefined : iconRef(raw.icon as string),
      file,
      ink: inkPath,
      ...(read.narration ? {narration: read.narration} : {}),
    },
  };
}

const ICON_HINT = "icon must be yoto:#<mediaId> (from the icon list) or a bare mediaId";

function readScene(
  id: string,
  raw: unknown,
  fail: (path: ConfigPath, message: string) => void,
  checks: StoryChecks,
): Scene | undefined {
  if (!ID.test(id)) fail([], `scene id '${id}' must be lower-case letters, digits, '-' or '_'`);
  if (!isMap(raw)) {
    fail([], "a scene is a mapping with audio (or say, text to narrate) and exits (left, right, end)");
    return undefined;
  }
  for (const key of Object.keys(raw))
    if (!SCENE_KEYS.includes(key)) fail([key], `unknown key '${key}' (a scene has ${SCENE_KEYS.join(", ")})`);
  const audio =
    raw.say !== undefined ? readSay(raw, fail) : readAudio(raw.audio, (p, m) => fail(["audio", ...p], m), checks);
  const exits: Scene["exits"] = {};
  const conditions: NonNullable<Scene["conditions"]> = {};
  for (const exit of EXITS) {
    const read = readExit(raw[exit], (m) => fail([exit], m));
    if (!read) continue;
    exits[exit] = read.to;
    if (read.if !== undefined) conditions[exit] = read.if;
  }
  const prompts = readPrompts(raw, exits, fail);
  if (raw.set !== undefined && !isMap(raw.set)) fail(["set"], "set must be a mapping of story variables to values");
  if (raw.icon !== undefined && !isIconRef(raw.icon)) fail(["icon"], ICON_HINT);
  const title = raw.title ?? id;
  if (typeof title !== "string" || title.length > 100) fail(["title"], "title must be text of at most 100 characters");
  if (!audio) return undefined;
  return {
    id,
    title: String(title),
    audio,
    exits,
    icon: typeof raw.icon === "string" ? iconRef(raw.icon) : undefined,
    ...(Object.keys(conditions).length > 0 ? {conditions} : {}),
    ...(prompts ? {prompts} : {}),
    ...(isMap(raw.set) ? {set: raw.set} : {}),
  };
}

function readAudio(
  raw: unknown,
  fail: (path: ConfigPath, message: string) => void,
  checks: StoryChecks,
): SceneAudio | undefined {
  if (isMap(raw) && typeof raw.stream === "string" && Object.keys(raw).length === 1) {
    if (checks.streamKnown && !checks.streamKnown(raw.stream)) {
      const known = checks.knownStreams?.() ?? [];
      fail(
        ["stream"],
        `stream '${raw.stream}' does not exist${known.length ? ` (streams: ${known.join(", ")})` : ""}; create it first or with a stream.replace rule`,
      );
    }
    return {stream: raw.stream};
  }
  const refs = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(refs) || refs.length === 0 || !refs.every((r) => typeof r === "string" && r.length > 0)) {
    fail(
      [],
      "audio must be a library item (id or path), a list of them, or {stream: <name>} (or give the scene say: <text to narrate>)",
    );
    return undefined;
  }
  const bad = checks.badItems?.(refs as string[]);
  if (bad) fail([], bad);
  return {items: refs as string[]};
}

/**
 * Every scene must be reachable from the start, and from every reachable scene some path must
 * reach `stop`: otherwise the story loops for ever and only pulling the card ends it.
 */
function graphProblems(start: string, scenes: Scene[], fail: (path: ConfigPath, message: string) => void): void {
  const byId = new Map(scenes.map((s) => [s.id, s]));
  const targets = (s: Scene) => EXITS.map((e) => s.exits[e] ?? (e === "end" ? STOP : undefined));
  const reached = new Set([start]);
  // Walked with an index, not `shift()`, and backwards from `stop` below, so both passes stay linear:
  // a long chain of scenes made the old fixpoint loop quadratic (seconds for a 2,000-scene import).
  const queue = [start];
  for (let next = 0; next < queue.length; next++) {
    for (const to of targets(byId.get(queue[next] as string) as Scene))
      if (to && to !== STOP && !reached.has(to)) {
        reached.add(to);
        queue.push(to);
      }
  }
  for (const scene of scenes)
    if (!reached.has(scene.id))
      fail(
        ["scenes", scene.id],
        `scene '${scene.id}' cannot be reached from the start scene '${start}': lead to it with left, right or end, or remove it`,
      );
  // Scenes that can reach stop: those with an exit to it, then whatever leads to one of them.
  const leadingTo = new Map<string, string[]>();
  const ends = new Set<string>();
  for (const scene of scenes)
    for (const to of targets(scene)) {
      if (to === STOP) ends.add(scene.id);
      else if (to !== undefined) {
        const from = leadingTo.get(to);
        if (from) from.push(scene.id);
        else leadingTo.set(to, [scene.id]);
      }
    }
  const back = [...ends];
  for (let next = 0; next < back.length; next++)
    for (const from of leadingTo.get(back[next] as string) ?? [])
      if (!ends.has(from)) {
        ends.add(from);
        back.push(from);
      }
  const trapped = scenes.filter((s) => reached.has(s.id) && !ends.has(s.id)).map((s) => s.id);
  if (trapped.length > 0)
    fail(
      ["scenes", trapped[0] as string],
      `scenes ${trapped.map((s) => `'${s}'`).join(", ")} loop with no way out: give one of them an exit to 'stop' or to a scene that can end`,
    );
}

export function isIconRef(value: unknown): value is string {
  return typeof value === "string" && /^(yoto:#)?[A-Za-z0-9_-]{8,128}$/.test(value);
}
