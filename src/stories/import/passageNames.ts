import type {Passage} from "./twinePassages.js";
import {parseLink} from "./twineText.js";
import {importError} from "./types.js";

/**
 * Passage names the Twine import refuses: the ones Twine itself would refuse (none, two alike,
 * control characters) and the ones no link can reach, each with what to change.
 */

const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** Marks that split a link: a passage named with one cannot be its target. */
const LINK_MARKS = ["|", "->", "<-"];

/** Twine's own passages beside a story's (StoryInit, scripts, styles): a few in any real story. */
const MAX_OWN_PASSAGES = 1_000;

/**
 * Story passages are bounded as a streamed story's scenes are (`most`); Twine's own (StoryInit,
 * scripts: `own`) come beside them, so a story of as many scenes as a story may have imports.
 */
export function checkPassageCount(read: Passage[], own: (p: Passage) => boolean, most: number): void {
  const settings = read.filter(own).length;
  if (read.length - settings <= most && settings <= MAX_OWN_PASSAGES) return;
  throw importError(
    settings > MAX_OWN_PASSAGES
      ? `The story has ${settings} passages of Twine's own (StoryInit, scripts, styles); at most ${MAX_OWN_PASSAGES} can be imported`
      : `The story has ${read.length - settings} passages; at most ${most} can be imported`,
    "too_many_passages",
  );
}

/**
 * A Twee file's passage names as its headers write them, read the way the Twee reader does (the
 * last `{…}` is metadata, the last `[…]` tags, `\` escapes): a header with no name, and two
 * passages of one name (the reader keeps the first and drops the other unsaid), are refused.
 */
export function checkTweeNames(filename: string, source: string): void {
  const seen = new Map<string, number>();
  let line = 1;
  let from = 0;
  for (let at = source.startsWith("::") ? 0 : source.indexOf("\n::"); at >= 0; at = source.indexOf("\n::", at + 1)) {
    for (; from < at; from++) if (source[from] === "\n") line++;
    const start = source[at] === "\n" ? at + 3 : at + 2;
    const lineNo = source[at] === "\n" ? line + 1 : line;
    const end = source.indexOf("\n", start);
    const name = headerName(source.slice(start, end < 0 ? source.length : end));
    if (!name)
      throw importError(
        `'${filename}' line ${lineNo}: a passage header (::) names no passage: give the passage a name (Twine refuses a passage without one)`,
        "invalid_passage_name",
      );
    const first = seen.get(name);
    if (first !== undefined) throw duplicate(filename, name, `lines ${first} and ${lineNo}`);
    seen.set(name, lineNo);
  }
}

/**
 * The names of a story's passages (scripts and settings left out), as read: none but spaces, a
 * control character, or a mark that splits a link (`|`, `->`, `<-`) is refused, naming the passage.
 * In a Twine 2 HTML file, two passages of one name are refused as in Twee.
 */
export function checkPassageNames(filename: string, source: string, read: Passage[], passages: Passage[]): void {
  if (source.includes("<tw-storydata")) {
    // The first story's passages (an archive holds several stories; its first is the one read).
    const end = source.indexOf("</tw-storydata>");
    const first = end < 0 ? source : source.slice(0, end);
    const written = [...first.matchAll(/<tw-passagedata\b[^>]*?\bname="([^"]*)"/g)].map((m) =>
      unescapeHtml(m[1] ?? ""),
    );
    if (written.length > read.length) {
      const seen = new Set<string>();
      const twice = written.find((name) => seen.has(name) || !seen.add(name));
      if (twice !== undefined) throw duplicate(filename, twice, "in the HTML");
    }
  }
  for (const {name} of passages) {
    const shown = JSON.stringify(name).slice(1, -1);
    if (!name.trim())
      throw importError(
        `'${filename}': a passage is named '${shown}', only spaces: give it a name (Twine refuses a passage without one)`,
        "invalid_passage_name",
      );
    const control = CONTROL.exec(name)?.[0];
    if (control !== undefined)
      throw importError(
        `passage '${shown}' has a control character (${JSON.stringify(control)}) in its name: rename it without one`,
        "invalid_passage_name",
      );
    const mark = LINK_MARKS.find((m) => name.includes(m));
    if (mark !== undefined)
      throw importError(
        `passage '${name}': a name with '${mark}' cannot be linked to ([[${name}]] is read as a link to '${parseLink(name).target}'): rename it without '${mark}'`,
        "invalid_passage_name",
      );
  }
}

function duplicate(filename: string, name: string, where: string) {
  return importError(
    `'${filename}': two passages are named '${name}' (${where}): Twine refuses a story with two passages of one name; rename one of them`,
    "duplicate_passage",
  );
}

/** A Twee header's passage name: less its metadata and tags, trimmed, escapes undone. */
function headerName(header: string): string {
  let rest = header;
  for (const [open, close] of [
    ["{", "}"],
    ["[", "]"],
  ] as const) {
    const from = lastUnescaped(rest, open);
    const to = lastUnescaped(rest, close);
    if (from >= 0 && to > from) rest = rest.slice(0, from) + rest.slice(to + 1);
  }
  return rest.trim().replace(/\\(.)/g, "$1");
}

function lastUnescaped(text: string, char: string): number {
  for (let at = text.lastIndexOf(char); at >= 0; at = at > 0 ? text.lastIndexOf(char, at - 1) : -1) {
    let slashes = 0;
    while (text[at - 1 - slashes] === "\\") slashes++;
    if (slashes % 2 === 0) return at;
  }
  return -1;
}

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) =>
    e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : "'",
  );
}

/** Passages Twine and its story formats read as settings, scripts or page parts: never scenes. */
export const SPECIAL_PASSAGES = new Set(
  [
    "StoryTitle",
    "StoryData",
    "StoryInit",
    "StoryAuthor",
    "StorySubtitle",
    "StoryMenu",
    "StoryCaption",
    "StoryBanner",
    "StoryInterface",
    "StoryShare",
    "StorySettings",
    "StoryIncludes",
    "PassageReady",
    "PassageDone",
    "PassageHeader",
    "PassageFooter",
  ].map((n) => n.toLowerCase()),
);
