import {MAX_STREAMED_SCENES} from "../model/story.js";
import {importError} from "./types.js";

/** The largest ink story taken (source or compiled): the same as a Twine file's bound. */
export const MAX_INK_BYTES = 5 * 1024 * 1024;
/** Knots and stitches (functions among them): as many as the scenes a story may have, and Twine's passages. */
export const MAX_INK_KNOTS = MAX_STREAMED_SCENES;
/** Choices (`*` and `+` lines): two for each of those scenes, a left and a right button. */
export const MAX_INK_CHOICES = 2 * MAX_STREAMED_SCENES;

/** Choices and knots (stitches among them) of an ink source, as its lines begin. */
export interface InkCounts {
  choices: number;
  knots: number;
}

/**
 * Refuse an ink source that could never load, before inkle's compiler sees it: a 5 MB source of
 * choices took the service from 142 MB to about 1 GB and over a minute and a half of a core, to be
 * refused in the end. The scan is one pass over the text, milliseconds for 5 MB.
 */
export function refuseUnloadableInk(filename: string, bytes: Buffer): void {
  refuseLargeInk(filename, bytes);
  const {choices, knots} = countInk(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  if (choices > MAX_INK_CHOICES)
    throw importError(
      `'${filename}' has ${choices} choices, and an ink story may have at most ${MAX_INK_CHOICES} (two for each of the ${MAX_STREAMED_SCENES} scenes a story may have): split the story in two (each part its own story). Nothing was imported`,
      "too_many_choices",
      413,
    );
  if (knots > MAX_INK_KNOTS)
    throw importError(
      `'${filename}' has ${knots} knots and stitches, and an ink story may have at most ${MAX_INK_KNOTS} (as many as the scenes a story may have): split the story in two (each part its own story). Nothing was imported`,
      "too_many_knots",
      413,
    );
}

/** An ink file (source or compiled) over the bound: the first thing checked, before it is even read as text. */
export function refuseLargeInk(filename: string, bytes: Buffer): void {
  if (bytes.length > MAX_INK_BYTES)
    throw importError(
      `'${filename}' is ${bytes.length} bytes: an ink story may be at most ${MAX_INK_BYTES} bytes (5 MB): split the story in two (each part its own story). Nothing was imported`,
      "story_too_large",
      413,
    );
}

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const STAR = 42;
const PLUS = 43;
const SLASH = 47;
const EQUALS = 61;

/**
 * Counts what starts a line, as ink reads it: `*` or `+` a choice (one a line, however deep), `=`
 * a knot (`==`) or stitch. Comments are skipped as ink skips them (`//` to the line's end, and
 * `/* … *\/`), so a block comment's ` * ` lines are not choices. Each character is looked at once.
 */
export function countInk(text: string): InkCounts {
  let choices = 0;
  let knots = 0;
  // Only spaces and tabs (or comments) so far on this line.
  let lineStart = true;
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      lineStart = true;
      continue;
    }
    if (inComment) {
      if (c === STAR && text.charCodeAt(i + 1) === SLASH) {
        inComment = false;
        i++;
      }
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      inComment = true;
      i++;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      // To the line's end: the loop then sees its newline.
      const end = text.indexOf("\n", i);
      if (end < 0) break;
      i = end - 1;
      continue;
    }
    if (!lineStart || c === SPACE || c === TAB) continue;
    lineStart = false;
    if (c === STAR || c === PLUS) choices++;
    else if (c === EQUALS) knots++;
  }
  return {choices, knots};
}
