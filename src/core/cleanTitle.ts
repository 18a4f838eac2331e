/**
 * A title is someone else's text: a podcast's, an episode's, a station's ICY title, a card's. It is
 * shown on a Yoto, said to a family and read by an AI agent that may hold the house's other tools,
 * so it goes everywhere clean and short: voice's answers and the cards this service writes (Yoto
 * takes a card title of 1-100 characters) alike take it from here.
 */

/** As long as a title may be said: enough for any real one, too short for a page of instructions. */
export const MAX_TITLE = 100;
/** Read at most this much of a title (a feed may send megabytes): the rest can never be said. */
const MAX_READ = 4 * MAX_TITLE;

// Control characters and line or paragraph separators are a space; format characters (the
// right-to-left override, zero-width spaces, the byte-order mark, soft hyphens, tags) and lone
// surrogates are nothing: they hide or reorder text a listener cannot see.
const BREAKS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;
const INVISIBLE = /[\p{Cf}\p{Cs}]+/gu;
// Double quotation marks inside a title would close ours early: they read as an apostrophe.
const QUOTES = /["“”„‟«»〝〞＂]/g;
const SPACES = /\s+/g;
const graphemes = new Intl.Segmenter("en", {granularity: "grapheme"});

/**
 * A title as it may be shown or said: one line, no control or format characters, whitespace made
 * one space, at most `MAX_TITLE` characters, cut between whole characters (never half an emoji)
 * and then ending in "…". Each step is one pass of a pattern that cannot backtrack.
 */
export function cleanTitle(raw: string): string {
  const line = cutText(raw, MAX_READ)
    .replace(BREAKS, " ")
    .replace(INVISIBLE, "")
    .replace(QUOTES, "'")
    .replace(SPACES, " ")
    .trim();
  if (line.length <= MAX_TITLE) return line;
  let kept = "";
  for (const {segment} of graphemes.segment(line)) {
    if (kept.length + segment.length > MAX_TITLE - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** The first `max` UTF-16 units of `text`, never half a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.charCodeAt(max - 1);
  return text.slice(0, end >= 0xd800 && end <= 0xdbff ? max - 1 : max);
}
