import {parseTwee, parseTwine1HTML, parseTwine2HTML} from "extwee";
import {AppError} from "../../core/errors.js";
import type {SayPart} from "../../shared/api/stories.js";
import {MAX_SCENES} from "../model/story.js";
import {fromChapbook} from "./chapbook.js";
import {exportedStory, sceneIdsOf, sceneTitle} from "./exportMarks.js";
import {checkPassageCount, checkPassageNames, checkTweeNames, SPECIAL_PASSAGES} from "./passageNames.js";
import {SceneIds, storyIdFrom} from "./sceneIds.js";
import {partsForFile} from "./twineBranches.js";
import {
  BUTTONS,
  conditionWarnings,
  everyBranchWarning,
  oneExitEach,
  type Passage,
  passageSay,
  plainSets,
  promptsFrom,
  readable,
  unreadMacros,
  variablesOf,
} from "./twinePassages.js";
import {lineAt, linksOf, type TwineLink} from "./twineText.js";
import {type ImportedStory, importError, listedAtMost} from "./types.js";
import {hideVerbatim, shown} from "./verbatim.js";

export const MAX_PASSAGES = 10_000;
const SPECIAL_TAGS = [
  "script",
  "stylesheet",
  "widget",
  "header",
  "footer",
  "startup",
  "debug-header",
  "debug-footer",
  "debug-startup",
  "Twine.private",
];

/** Read Twee 3, Twine 2 HTML (or Twine 1 HTML, where extwee reads it) into a story. */
export function readTwine(filename: string, bytes: Buffer): ImportedStory {
  const source = bytes.toString("utf8");
  const parsed = parseSource(filename, source);
  const read = parsed.passages as Passage[];
  checkPassageCount(read, isSpecial, MAX_PASSAGES);
  const warnings: string[] = [];
  const all = formatPassages(String(parsed.format ?? ""), read, warnings);
  const passages = all.filter((p) => !isSpecial(p));
  checkPassageNames(filename, source, read, passages);
  if (passages.length === 0) throw importError(noPassages(filename, source, all));
  const byName = new Map(passages.map((p) => [p.name, p]));
  const start = startPassage(parsed.start, passages, byName, warnings);
  const links = new Map(passages.map((p) => [p.name, linksOf(p.text).map(shownLink)]));
  const missing = passages.flatMap((p) =>
    (links.get(p.name) ?? [])
      .filter((l) => !l.placeholder && !byName.has(l.target))
      .map(
        (l) =>
          `passage '${p.name}' (line ${lineAt(p.text, p.text.indexOf(l.target))} of the passage) links to '${l.target}', which is not a passage of this story`,
      ),
  );
  if (missing.length > 0)
    throw importError(`${listedAtMost(missing, 10)}: fix the link or add the passage`, "missing_passage");

  const reached = reachable(start.name, links);
  const unreached = passages.filter((p) => !reached.has(p.name)).map((p) => `'${p.name}'`);
  if (unreached.length > 0)
    warnings.push(`passages ${unreached.join(", ")} cannot be reached from '${start.name}' and were left out`);
  const kept = [start, ...passages.filter((p) => p !== start && reached.has(p.name))];

  const variables = variablesOf(all, kept, warnings);
  const prompts = promptsFrom(variables, warnings);
  const ids = new SceneIds();
  const idOf = sceneIdsOf(kept, ids, warnings);
  const scenes: Record<string, Record<string, unknown>> = {};
  const texts: Record<string, string> = {};
  /** What each scene says before its prompts; its parts where some of it is read under a condition. */
  const bodies: Record<string, string> = {};
  const parts: Record<string, SayPart[]> = {};
  const conditional: Array<{passage: Passage; conditions: string[]}> = [];
  for (const passage of kept) {
    const id = idOf.get(passage.name) as string;
    const own = oneExitEach(passage, links.get(passage.name) ?? [], warnings);
    const real = own.filter((l) => !l.placeholder);
    // Links are read as the choices they are, after the text (menus read them one at a time).
    // A value the passage sets itself is the one it prints (Chapbook's vars section comes first).
    const set = plainSets(passage, warnings);
    const known = {...variables, ...set};
    const {text: narration, parts: read, conditions} = passageSay(passage, known, warnings);
    if (read) conditional.push({passage, conditions});
    if (real.length > 3) {
      const choice = addMenu(passage, id, real, narration, {ids, idOf, scenes, texts});
      if (read) parts[id] = [...read, choice];
      bodies[id] = texts[id] as string;
      if (set) (scenes[id] as Record<string, unknown>).set = set;
      if (real.some((l) => l.conditional))
        warnings.push(
          `passage '${passage.name}' has links inside a condition in its menu: each is taken whatever the condition`,
        );
    } else {
      const scene: Record<string, unknown> = {title: sceneTitle(passage)};
      const said: Record<string, string> = {};
      own.slice(0, 3).forEach((link, i) => {
        const button = BUTTONS[i] as (typeof BUTTONS)[number];
        if (link.placeholder) return;
        const to = idOf.get(link.target);
        scene[button] = link.condition && readable(link.condition) ? {to, if: link.condition} : to;
        const prompt = prompts(link, button);
        if (prompt) said[button] = prompt;
      });
      if (Object.keys(said).length > 0) scene.prompts = said;
      if (set) scene.set = set;
      scenes[id] = scene;
      bodies[id] = narration;
      if (read) parts[id] = read;
      texts[id] = [narration, ...Object.values(said)].filter(Boolean).join("\n");
      warnings.push(...conditionWarnings(passage, own.slice(0, 3)));
    }
  }
  warnings.push(...unreadMacros(all));
  // extwee names a story with no StoryTitle "Untitled Story": the file's name says more.
  const named = parsed.name && !(parsed.name === "Untitled Story" && !source.includes("Untitled Story"));
  const fileName = filename.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  // A story written back as Twee by this service names its id and mode: imported again, it is the same story.
  const exported = exportedStory(source);
  const storyId = exported.id ?? storyIdFrom(...(named ? [parsed.name] : []), fileName);
  // Each scene says its text (this service narrates it); a passage of links alone says its name.
  for (const [id, {title, prompts: said, set, ...exits}] of Object.entries(scenes))
    scenes[id] = {
      title,
      say:
        parts[id] && bodies[id]?.trim() ? partsForFile(parts[id]) : (bodies[id] ?? texts[id])?.trim() || String(title),
      ...(said ? {prompts: said} : {}),
      ...(set ? {set} : {}),
      ...exits,
    };
  const story: Record<string, unknown> = {
    id: storyId,
    title: (named ? parsed.name : storyId).slice(0, 100),
    start: idOf.get(start.name),
    scenes,
  };
  // The file's own IFID is the story's: Twine knows an export of it again as the same story.
  const ifid = typeof parsed.IFID === "string" ? parsed.IFID.trim().toUpperCase() : "";
  if (IFID.test(ifid)) story.ifid = ifid;
  const count = Object.keys(scenes).length;
  if (count > MAX_SCENES) {
    story.mode = "streamed";
    warnings.push(
      `the story has ${count} scenes, more than a card's ${MAX_SCENES} chapters: it is streamed (this service serves each next scene)`,
    );
  } else if (exported.mode && exported.mode !== "interactive") story.mode = exported.mode;
  // Streamed, each player's variables choose the branch; a card has none and reads them all.
  if (story.mode !== "streamed")
    for (const {passage, conditions} of conditional) warnings.push(everyBranchWarning(passage, conditions));
  if (Object.keys(variables).length > 0) story.variables = variables;
  return {id: storyId, document: {story}, texts, warnings};
}

/**
 * The passages as the rest of the import reads them. Chapbook writes variables and conditions its
 * own way: read as Harlowe's from here on. Harlowe's verbatim spans (how an export writes prose that
 * looks like markup) are hidden from every scan, and shown again in what a scene says.
 */
function formatPassages(format: string, read: Passage[], warnings: string[]): Passage[] {
  if (/chapbook/i.test(format)) return read.map((p) => chapbookPassage(p, warnings));
  if (/harlowe/i.test(format)) return read.map((p) => ({name: p.name, tags: p.tags, text: hideVerbatim(p.text)}));
  return read;
}

/** A link's words and target with its verbatim spans shown again. */
function shownLink(link: TwineLink): TwineLink {
  return {...link, text: shown(link.text), target: shown(link.target)};
}

function chapbookPassage(passage: Passage, warnings: string[]): Passage {
  const {text, unread, conditionalSets} = fromChapbook(passage.text);
  for (const {name, condition} of conditionalSets)
    warnings.push(
      `passage '${passage.name}' sets $${name} only when ${condition.length > 100 ? `${condition.slice(0, 99)}…` : condition}: a conditional vars line is not read, $${name} is not set while playing`,
    );
  if (unread.length > 0)
    warnings.push(`passage '${passage.name}' has modifiers ${unread.join(", ")}: not read, its text always read`);
  return {name: passage.name, tags: passage.tags, text};
}

/**
 * Why a file with no story passages cannot be a story, and how to fix it: an empty story (or one of
 * settings alone) has no start passage; it needs a passage with the story's text, named as the start.
 */
function noPassages(filename: string, source: string, all: readonly Passage[]): string {
  const fix = source.includes("<tw-storydata")
    ? "open it in Twine, write the story's first passage, set it as the start (Start Story Here), publish to file again and import that"
    : 'add the first passage (a line ":: Start" with the story\'s text under it) and name it in StoryData ({"start": "Start"}), then import again';
  const has =
    all.length === 0
      ? "it has no passages at all"
      : `it has only ${all.map((p) => `'${p.name}'`).join(", ")}, ${all.length === 1 ? "a setting, not a story passage" : "settings, not story passages"}`;
  return `'${filename}' is an empty story: ${has}, so there is no start passage. To fix it, ${fix}`;
}

/** An IFID as Twine writes it: a UUID (kept upper case). */
const IFID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function parseSource(filename: string, source: string) {
  try {
    if (source.includes("<tw-storydata")) return parseTwine2HTML(source);
    if (source.includes('id="storeArea"') || source.includes("id='storeArea'")) return parseTwine1HTML(source);
    if (/^::/m.test(source)) {
      checkStoryData(filename, source);
      checkTweeNames(filename, source);
      return parseTwee(source);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw importError(`'${filename}' could not be read as Twine (${(err as Error).message})`, "invalid_twine");
  }
  throw importError(
    `'${filename}' is not a Twine story: expected Twee 3 text (passages start with '::') or a published Twine 2 HTML file`,
    "invalid_twine",
  );
}

/** extwee passes over a StoryData it cannot read; the author should hear of it instead. */
function checkStoryData(filename: string, source: string): void {
  const head = /^::[ \t]*StoryData\b[^\n]*\n/m.exec(source);
  if (!head) return;
  const from = head.index + head[0].length;
  const next = source.indexOf("\n::", from);
  const json = source.slice(from, next < 0 ? source.length : next).trim();
  try {
    const data: unknown = JSON.parse(json);
    if (typeof data !== "object" || data === null || Array.isArray(data)) throw new Error("it is not an object");
  } catch (err) {
    throw importError(
      `'${filename}': StoryData is not valid JSON (${(err as Error).message}); write it as {"ifid": "…", "start": "<passage name>"}`,
      "invalid_story_data",
    );
  }
}

function isSpecial(p: Passage): boolean {
  return SPECIAL_PASSAGES.has(p.name.toLowerCase()) || p.tags.some((t) => SPECIAL_TAGS.includes(t));
}

function startPassage(start: string, passages: Passage[], byName: Map<string, Passage>, warnings: string[]): Passage {
  const named = start ? byName.get(start) : undefined;
  if (named) return named;
  const fallback = byName.get("Start") ?? (passages[0] as Passage);
  warnings.push(
    start
      ? `StoryData's start '${start}' is not a passage; the story starts at '${fallback.name}'`
      : `StoryData names no start passage; the story starts at '${fallback.name}'`,
  );
  return fallback;
}

function reachable(start: string, links: Map<string, TwineLink[]>): Set<string> {
  const seen = new Set([start]);
  for (const queue = [start]; queue.length > 0; )
    for (const link of links.get(queue.shift() as string) ?? [])
      if (!link.placeholder && !seen.has(link.target)) {
        seen.add(link.target);
        queue.push(link.target);
      }
  return seen;
}

interface Built {
  ids: SceneIds;
  idOf: Map<string, string>;
  scenes: Record<string, Record<string, unknown>>;
  texts: Record<string, string>;
}

/**
 * More than three links: a spoken menu, one scene per choice. The passage's scene reads its text
 * and the first choice; each choice scene reads one choice: left takes it, right reads the next
 * (after the last, the first again), and the track's end reads the menu again from the first,
 * once: left alone a second time, the story stops (a sleeping child is not read a menu all night).
 * The words are ink's menus' own, so both kinds of story sound alike.
 */
function addMenu(passage: Passage, id: string, links: TwineLink[], narration: string, built: Built): string {
  const choiceIds = links.map((_, i) => (i === 0 ? id : built.ids.take(`${id}-choice-${i + 1}`)));
  const again = built.ids.take(`${id}-choice-1`);
  const say = (link: TwineLink, i: number) =>
    `Choice ${i + 1} of ${links.length}: ${link.text || link.target}. Press the left button to choose it, the right button for the next choice.`;
  links.forEach((link, i) => {
    const sceneId = choiceIds[i] as string;
    built.scenes[sceneId] = {
      title: i === 0 ? passage.name : `${passage.name}: choice ${i + 1}`.slice(0, 100),
      left: built.idOf.get(link.target),
      right: i + 1 < links.length ? choiceIds[i + 1] : again,
      end: again,
    };
    built.texts[sceneId] = i === 0 ? `${narration}\n${say(link, i)}` : say(link, i);
  });
  built.scenes[again] = {
    title: `${passage.name}: choice 1`.slice(0, 100),
    left: built.idOf.get((links[0] as TwineLink).target),
    right: choiceIds[1],
  };
  built.texts[again] = say(links[0] as TwineLink, 0);
  // What the first scene says after the passage's text.
  return say(links[0] as TwineLink, 0);
}
