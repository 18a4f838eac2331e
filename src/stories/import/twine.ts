import {parseTwee, parseTwine1HTML, parseTwine2HTML} from "extwee";
import {AppError} from "../../core/errors.js";
import {MAX_SCENES} from "../model/story.js";
import {fromChapbook} from "./chapbook.js";
import {exportedStory} from "./exportMarks.js";
import {checkPassageCount, checkPassageNames, checkTweeNames, SPECIAL_PASSAGES} from "./passageNames.js";
import {storyIdFrom} from "./sceneIds.js";
import {everyBranchWarning, type Passage, unreadMacros, variablesOf} from "./twinePassages.js";
import {type TwineScenes, twineScenes} from "./twineScenes.js";
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
  checkLinks(passages, links, byName);
  const kept = reachedFrom(start, passages, links, warnings);
  const variables = variablesOf(all, kept, warnings);
  const made = twineScenes(kept, links, variables, warnings);
  warnings.push(...unreadMacros(all));
  const story = storyOf(filename, source, parsed, {...made, start: made.idOf.get(start.name)}, warnings);
  if (Object.keys(variables).length > 0) story.variables = variables;
  return {id: story.id as string, document: {story}, texts: made.texts, warnings};
}

/** Every link leads to a passage of the story, or the import stops naming each that does not. */
function checkLinks(passages: Passage[], links: Map<string, TwineLink[]>, byName: Map<string, Passage>): void {
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
}

/** The start and the passages its links reach; those they do not are left out, and said so. */
function reachedFrom(
  start: Passage,
  passages: Passage[],
  links: Map<string, TwineLink[]>,
  warnings: string[],
): Passage[] {
  const reached = reachable(start.name, links);
  const unreached = passages.filter((p) => !reached.has(p.name)).map((p) => `'${p.name}'`);
  if (unreached.length > 0)
    warnings.push(`passages ${unreached.join(", ")} cannot be reached from '${start.name}' and were left out`);
  return [start, ...passages.filter((p) => p !== start && reached.has(p.name))];
}

/**
 * The story document: its id (the export's own, else from its title or the file's name), title,
 * start, scenes, IFID, and mode (streamed past a card's chapters, with why, else the export's).
 */
function storyOf(
  filename: string,
  source: string,
  parsed: ReturnType<typeof parseSource>,
  made: Pick<TwineScenes, "scenes" | "conditional"> & {start: string | undefined},
  warnings: string[],
): Record<string, unknown> {
  const {scenes} = made;
  // extwee names a story with no StoryTitle "Untitled Story": the file's name says more.
  const named = parsed.name && !(parsed.name === "Untitled Story" && !source.includes("Untitled Story"));
  const fileName = filename.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
  // A story written back as Twee by this service names its id and mode: imported again, it is the same story.
  const exported = exportedStory(source);
  const storyId = exported.id ?? storyIdFrom(...(named ? [parsed.name] : []), fileName);
  const story: Record<string, unknown> = {
    id: storyId,
    title: (named ? parsed.name : storyId).slice(0, 100),
    start: made.start,
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
    for (const {passage, conditions} of made.conditional) warnings.push(everyBranchWarning(passage, conditions));
  return story;
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
