import {AppError} from "../../core/errors.js";
import type {Exit, Scene, Story} from "../../shared/api/stories.js";
import {EXITS, STOP} from "../model/story.js";
import {harloweCondition, harloweParts, harloweText, harloweValue, isVariableName} from "./harlowe.js";
import {type Menu, menuSteps} from "./menus.js";
import {pauseBefore, type Steps} from "./steps.js";
import {headerName, ifidOf, passageNameSteps} from "./tweeNames.js";

/**
 * A story written back as Twee 3 for Twine (Harlowe): a passage per scene named by its title, its
 * text, its `(set:)`s and its exits as links in the order the Twine import reads them (left,
 * right, the track's end; `[[|]]` holds an empty button's place), conditional exits inside
 * `(if:)`, and the start and starting values in StoryData and StoryInit. Importing the result
 * gives the same scenes, ids, exits, conditions, sets and variables. One pass over the scenes.
 */

/** The story format an export names, and the version its Harlowe is written for. */
export const TWEE_FORMAT = {format: "Harlowe", version: "3.3.9"} as const;

/** The import's prompt endings (twine-to-yoto's defaults): a prompt is a link's words, then its button's. */
const ENDINGS: Record<Exit, string> = {
  left: ", press the left button.",
  right: ", press the right button.",
  end: ", wait.",
};
/** StoryInit's variables that change those endings, as twine-to-yoto names them. */
const ENDING_VARIABLES: Record<Exit, string> = {left: "lhbTemplate", right: "rhbTemplate", end: "endTemplate"};
/** Passages laid out in rows of this many, so Twine does not stack them all in one place. */
const ROW = 10;

/** The story as a Twee 3 file, at once. An ink story is refused: ink's knots and choices have no Twine form. */
export function storyToTwee(story: Story): string {
  let out = "";
  for (const piece of tweePieces(story)) if (piece) out += piece;
  return out;
}

/** Refuse an ink story, before a byte of it is written. */
export function refuseInk(story: Story): void {
  if (story.ink !== undefined)
    throw new AppError(
      "ink_story",
      `Story '${story.id}' is an ink story: it cannot be written as Twee (ink's knots and choices have no Twine form). Its .ink file is the story: edit that in Inky and import it again`,
      {status: 409},
    );
}

/**
 * The Twee 3 file in pieces, in order: the head, then a passage per piece; `undefined` where the
 * work may pause (steps.ts), so a story of thousands of scenes is written a slice at a time.
 */
export function* tweePieces(story: Story): Generator<string | undefined, void, unknown> {
  refuseInk(story);
  // A spoken menu the import made is written as the passage it came from: its text and its links.
  const menus = yield* menuSteps(story);
  const folded = new Set([...menus.values()].flatMap((m) => m.members));
  const scenes = story.scenes.filter((s) => !folded.has(s.id));
  const names = yield* passageNameSteps(scenes);
  const nameOf = (id: string) => names.get(id)?.name ?? id;
  const endings = yield* promptEndings(story.scenes);
  const data = {
    // The IFID it was imported with, else one made from its id: the same at every export.
    ifid: story.ifid ?? ifidOf(story.id),
    format: TWEE_FORMAT.format,
    "format-version": TWEE_FORMAT.version,
    start: nameOf(story.start),
    // Not Twine's own: they make an import of this file the same story (Twine drops them when it saves).
    "story-id": story.id,
    "story-mode": story.mode,
  };
  yield `:: StoryTitle\n${oneLine(story.title)}\n\n:: StoryData\n${JSON.stringify(data, null, 2)}`;
  const init = storyInit(story.variables, endings);
  if (init) yield `\n\n:: StoryInit\n${init}`;
  for (const [i, scene] of scenes.entries()) {
    const {name, tag} = names.get(scene.id) ?? {name: scene.id};
    const position = `{"position":"${100 + (i % ROW) * 150},${100 + Math.floor(i / ROW) * 150}","size":"100,100"}`;
    const header = `:: ${headerName(name)}${tag ? ` [${tag}]` : ""} ${position}`;
    const menu = menus.get(scene.id);
    yield `\n\n${header}\n${menu ? menuText(scene, menu, nameOf) : passageText(scene, nameOf, endings)}`;
  }
  yield "\n";
}

/** A scene's passage: its text, then its sets, then its links, each on a line of its own. */
function passageText(scene: Scene, nameOf: (id: string) => string, endings: Record<Exit, string>): string {
  const lines: string[] = [];
  const audio = scene.audio;
  if ("say" in audio) lines.push(audio.parts ? harloweParts(audio.parts) : harloweText(audio.say));
  // Twine has no audio: a note Harlowe does not show, and the import does not read aloud.
  else {
    lines.push(note(`plays ${"items" in audio ? audio.items.join(", ") : `the stream ${audio.stream}`}`));
    // The import narrates the passage's name where it has no words: an untitled scene needs some.
    if (!scene.title.trim()) lines.push(harloweText(scene.id));
  }
  lines.push(...setLines(scene));
  // Up to the last exit that leads somewhere: an earlier button with none holds its place.
  const leads = (exit: Exit) => scene.exits[exit] !== undefined && scene.exits[exit] !== STOP;
  const last = EXITS.findLastIndex(leads);
  // Two links with words to one passage under one condition are one choice to the import (and to a
  // reader): a second button to the same scene is written without words, so it stays a button.
  const worded = new Set<string>();
  EXITS.slice(0, last + 1).forEach((exit) => {
    if (!leads(exit)) {
      lines.push("[[|]]");
      return;
    }
    const condition = scene.conditions?.[exit];
    const to = scene.exits[exit] as string;
    const key = JSON.stringify([to, condition === undefined ? null : harloweCondition(condition)]);
    const words = worded.has(key) ? "" : linkWords(scene.prompts?.[exit], endings[exit]);
    if (words) worded.add(key);
    const link = linkTo(nameOf(to), words);
    lines.push(condition === undefined ? link : `(if: ${harloweCondition(condition)})[${link}]`);
  });
  return lines.filter(Boolean).join("\n");
}

/** A menu's passage: its text, its sets, and a link for each choice. */
function menuText(scene: Scene, menu: Menu, nameOf: (id: string) => string): string {
  return [harloweText(menu.text), ...setLines(scene), ...menu.links.map((l) => linkTo(nameOf(l.to), l.words))]
    .filter(Boolean)
    .join("\n");
}

function setLines(scene: Scene): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(scene.set ?? {})) {
    const written = harloweValue(value);
    if (isVariableName(name) && written !== undefined) lines.push(`(set: $${name} to ${written})`);
  }
  return lines;
}

function linkTo(name: string, words: string): string {
  return words ? `[[${words}->${name}]]` : `[[|${name}]]`;
}

/** A prompt's link words: the prompt less its button's ending. */
function linkWords(prompt: string | undefined, ending: string): string {
  if (prompt === undefined) return "";
  return safeWords(ending && prompt.endsWith(ending) ? prompt.slice(0, -ending.length) : prompt);
}

/** Square brackets and `|` would end or split the link: written round, and as `/`. */
function safeWords(words: string): string {
  return words.replace(/\[/g, "(").replace(/\]/g, ")").replace(/\|/g, "/").trim();
}

/**
 * Per button, the import's own ending where every prompt is words and then that ending
 * ("Open the door" + ", press the left button."); otherwise none (StoryInit sets it to ""), and
 * each link's words are its whole prompt.
 */
function* promptEndings(scenes: readonly Scene[]): Steps<Record<Exit, string>> {
  const endings = {...ENDINGS};
  for (const exit of EXITS) {
    const ending = ENDINGS[exit];
    const fits = (prompt: string) => {
      const words = prompt.slice(0, -ending.length);
      return prompt.endsWith(ending) && words.length > 0 && words === safeWords(words);
    };
    for (const [i, s] of scenes.entries()) {
      if (pauseBefore(i)) yield;
      if (s.prompts?.[exit] !== undefined && !fits(s.prompts[exit] as string)) {
        endings[exit] = "";
        break;
      }
    }
  }
  return endings;
}

function storyInit(variables: Record<string, unknown>, endings: Record<Exit, string>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    const written = harloweValue(value);
    if (isVariableName(name) && written !== undefined) lines.push(`(set: $${name} to ${written})`);
  }
  for (const exit of EXITS) if (endings[exit] === "") lines.push(`(set: $${ENDING_VARIABLES[exit]} to "")`);
  return lines.join("\n");
}

/** An HTML comment: Harlowe does not show it, and the import does not read it aloud (it ends at the first `>`). */
function note(text: string): string {
  return `<!-- ${oneLine(text)
    .replace(/>/g, "›")
    .replace(/-(?=-)/g, "- ")} -->`;
}

function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();
}
