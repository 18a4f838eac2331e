import type {ShelfKind} from "../shared/api/shelf.js";
import {DRAWINGS} from "./drawings.js";

/**
 * Which drawing a shelf item with no picture of its own is shown as, and on which colour: a drawing
 * of a word of its title where it names one ("Der kleine Drache" is a dinosaur), else one its title
 * picks (the same title, the same drawing, on every load). A child tells things apart by what they
 * show, so no two items of one shelf look the same. Served as a small SVG
 * (`GET /api/shelf/covers/<drawing>-<hue>.svg`) that never changes.
 */

/** One item's drawing: its name in DRAWINGS and the hue (0–359) it is drawn on. */
export interface DrawingChoice {
  drawing: string;
  hue: number;
}

/** Story radio's own drawing: no title picks it, so it means story radio wherever a child sees it. */
const RADIO = "radio-tower";
/** The same drawing twice on one shelf (only past every drawing once) on hues at least this far apart. */
const REUSED_APART = 60;
/** Neighbours on a shelf at least this far apart in hue, where the drawings allow. */
const NEIGHBOURS_APART = 40;

/** Letters a title's words and the drawings' words are both folded by, so "Bären" reads as "baren". */
const FOLDS = new Map([
  ["ä", "a"],
  ["ö", "o"],
  ["ü", "u"],
  ["ß", "ss"],
]);
/** One character, tested alone: nothing to backtrack over, however long the title. */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/**
 * Plural endings (English, then German) tried, in order, on a word no drawing is named by; what is
 * left must be three letters at least, or the article "ein" would be an egg ("ei").
 */
const PLURALS: ReadonlyArray<readonly [string, string]> = [
  ["ies", "y"],
  ["es", ""],
  ["s", ""],
  ["en", ""],
  ["n", ""],
  ["e", ""],
];
const SHORTEST_STEM = 3;
/** A cover file: a drawing's name (kebab-case, 24 letters at most) and a hue, nothing else. */
const COVER_FILE = /^([a-z-]{1,24})-(0|[1-9]\d{0,2})\.svg$/;
const LONGEST_FILE = 24 + 1 + 3 + 4;

const PATHS = new Map(DRAWINGS.map((d) => [d.name, d.path]));
/** Every drawing a title may come to: all but story radio's. */
const POOL = DRAWINGS.map((d) => d.name).filter((name) => name !== RADIO);
/** Built once: a title's words are looked up here, never matched against the list one by one. */
const BY_WORD = new Map<string, string>();
for (const d of DRAWINGS) for (const word of d.words) BY_WORD.set(fold(word), d.name);

function fold(word: string): string {
  let folded = "";
  for (const ch of word) folded += FOLDS.get(ch) ?? ch;
  return folded;
}

/** The title's words, lower case and folded, in title order; anything not a letter or digit parts them. */
function* wordsOf(title: string): Generator<string> {
  let word = "";
  for (const ch of title.normalize("NFC").toLowerCase()) {
    if (LETTER_OR_DIGIT.test(ch)) word += FOLDS.get(ch) ?? ch;
    else if (word) {
      yield word;
      word = "";
    }
  }
  if (word) yield word;
}

/** The drawing a word names, as it stands or, when it names none, with a plural ending taken off. */
function named(word: string): string | undefined {
  const plain = BY_WORD.get(word);
  if (plain !== undefined) return plain;
  for (const [ending, singular] of PLURALS) {
    if (word.length < ending.length + SHORTEST_STEM || !word.endsWith(ending)) continue;
    const drawing = BY_WORD.get(word.slice(0, word.length - ending.length) + singular);
    if (drawing !== undefined) return drawing;
  }
  return undefined;
}

/** A hue from the title, the same on every load (and the same as the kinds' covers before the drawings had). */
function hueOf(title: string): number {
  let h = 0;
  for (let i = 0; i < title.length; i++) h = (h * 31 + title.charCodeAt(i)) % 360;
  return h;
}

/** A number from the title (FNV-1a), the same on every load and every machine. */
function hashOf(title: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) h = Math.imul(h ^ title.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function apart(a: number, b: number): number {
  const d = Math.abs(a - b);
  return Math.min(d, 360 - d);
}

/**
 * The hue nearest the title's own (0, +1, −1, +2… from it) that is far enough from the hues this
 * drawing already has on the shelf and from the item before it; far from the drawing's own first.
 */
function hueFor(own: number, taken: readonly number[], before: number | undefined): number {
  let farFromOwn: number | undefined;
  for (let step = 0; step < 360; step++) {
    const hue = (own + (step % 2 === 1 ? (step + 1) / 2 : 360 - step / 2)) % 360;
    if (taken.some((h) => apart(h, hue) < REUSED_APART)) continue;
    if (before === undefined || apart(before, hue) >= NEIGHBOURS_APART) return hue;
    farFromOwn ??= hue;
  }
  return farFromOwn ?? own;
}

/**
 * A drawing and a hue for each item, in order. Each gets the drawing the first word of its title
 * names that no item before it has, else one its title picks among those left; story radio gets
 * its radio tower. Only when every drawing is given once does one come again, on a hue far from
 * its others. Linear in the titles' length: each word is looked up, each title hashed once.
 */
export function chooseDrawings(items: ReadonlyArray<{title: string; kind: ShelfKind}>): DrawingChoice[] {
  const hues = new Map<string, number[]>();
  // Drawings are given in rounds: each once, then each a second time, and so on.
  let round = 0;
  let leftInRound = POOL.length;
  const free = (name: string) => (hues.get(name)?.length ?? 0) === round;
  const chosen: DrawingChoice[] = [];
  let before: number | undefined;
  for (const {title, kind} of items) {
    let drawing = RADIO;
    if (kind !== "story_radio") {
      if (leftInRound === 0) {
        round++;
        leftInRound = POOL.length;
      }
      drawing = byWord(title, free) ?? byHash(title, free);
      leftInRound--;
    }
    const taken = hues.get(drawing) ?? [];
    const hue = hueFor(hueOf(title), taken, before);
    hues.set(drawing, [...taken, hue]);
    chosen.push({drawing, hue});
    before = hue;
  }
  return chosen;
}

function byWord(title: string, free: (name: string) => boolean): string | undefined {
  for (const word of wordsOf(title)) {
    const drawing = named(word);
    if (drawing !== undefined && free(drawing)) return drawing;
  }
  return undefined;
}

function byHash(title: string, free: (name: string) => boolean): string {
  const start = hashOf(title) % POOL.length;
  for (let i = 0; i < POOL.length; i++) {
    const name = POOL[(start + i) % POOL.length];
    if (free(name)) return name;
  }
  return POOL[start];
}

/** The cover URL for a choice, relative to the panel's address. */
export function drawingUrl(choice: DrawingChoice): string {
  return `api/shelf/covers/${choice.drawing}-${choice.hue}.svg`;
}

/** The SVG for a drawing's cover file name (as drawingUrl ends), or undefined for a name that is none. */
export function drawingSvg(file: string): string | undefined {
  if (file.length > LONGEST_FILE) return undefined;
  const m = COVER_FILE.exec(file);
  const path = m ? PATHS.get(m[1]) : undefined;
  const hue = Number(m?.[2]);
  if (path === undefined || !(hue < 360)) return undefined;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="480" height="480"><rect width="48" height="48" rx="6" fill="hsl(${hue} 70% 78%)"/><path transform="translate(8 8) scale(1.333)" fill="hsl(${hue} 60% 28%)" d="${path}"/></svg>`;
}
