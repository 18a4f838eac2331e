import type {VoiceLanguage} from "./languages/language.js";
import {titleKey, withoutLeading} from "./spokenText.js";

/** The words that say which title: no articles, fillers or politeness, each once; and whether a kind word was said. */
export interface SaidWords {
  words: string[];
  /** A kind word was said ("the dragon story", "Drachengeschichte"): a hint for a story or a card. */
  hinted: boolean;
}

/** At most this many words of what was heard are compared: a title is said in a few. */
const MAX_WORDS = 12;

/**
 * The meaningful words of a title or of what was heard: the language's leading words, fillers and
 * polite words dropped, a kind word taken as a hint (and, in a language that joins words, read off
 * a word's end: "drachengeschichte" is "drachen" and a hint), a number word as its digits, umlauts
 * as their vowels ("Bären" is "baren"). One pass over the words.
 */
export function meaningfulWords(text: string, lang: VoiceLanguage): SaidWords {
  const {fillers, polite, hints, leading, joinsWords} = lang.words;
  const words: string[] = [];
  let hinted = false;
  for (const word of titleKey(withoutLeading(titleKey(text), leading)).split(" ")) {
    if (!word || fillers.includes(word) || polite.includes(word) || leading.includes(word)) continue;
    if (hints.includes(word)) {
      hinted = true;
      continue;
    }
    const joined = joinsWords ? hints.find((h) => word.length >= h.length + 3 && word.endsWith(h)) : undefined;
    if (joined) hinted = true;
    const number = lang.words.numbers.indexOf(word);
    // "Frozen Two" is Frozen 2, "die Eiskönigin zwei" Die Eiskönigin 2.
    const stem = number >= 0 ? String(number) : folded(joined ? word.slice(0, word.length - joined.length) : word);
    if (!words.includes(stem)) words.push(stem);
    if (words.length >= MAX_WORDS) break;
  }
  return {words, hinted};
}

/** Umlauts as their vowels: "Bären" ends like "Bar" does, "Mäuse" like "Maus". */
function folded(word: string): string {
  return word.replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
}

/**
 * Whether two words (each as meaningfulWords gives it) are the same as a family says them: the same; one the other
 * with one of the language's endings ("dragons", "Drachen" for "Drache", "Bären" for "Bär"); or, in
 * words of six letters or more, one letter off ("grufallo"). A different word a letter away ("mouse"
 * and "house", "ball" and "ballet") is not the same. Linear in the words' length.
 */
export function sameWord(said: string, title: string, endings: readonly string[]): boolean {
  if (wordOrEnding(said, title, endings)) return true;
  const [short, long] = said.length <= title.length ? [said, title] : [title, said];
  return short.length >= 6 && withinOneEdit(short, long);
}

/** The same word, or it with one of the language's endings: not a letter off. */
function wordOrEnding(said: string, title: string, endings: readonly string[]): boolean {
  // Both come folded from meaningfulWords: compared as they are, once per pair.
  if (said === title) return true;
  const [short, long] = said.length <= title.length ? [said, title] : [title, said];
  return short.length >= 3 && long.startsWith(short) && endings.includes(long.slice(short.length));
}

/**
 * How many of the words said a title holds as they were said (or with an ending), not a letter
 * off: "Gruffalo" is The Gruffalo's before it is Der Grüffelo's. Run only for the titles that hold
 * every word said.
 */
export function wordsAsSaid(said: readonly string[], title: readonly string[], endings: readonly string[]): number {
  let exact = 0;
  for (const word of said) if (title.some((t) => wordOrEnding(word, t, endings))) exact++;
  return exact;
}

/** One letter changed, added or dropped at most; `a` no longer than `b`. Compared in place, nothing made. */
function withinOneEdit(a: string, b: string): boolean {
  if (b.length - a.length > 1) return false;
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Past the first difference the rest must be equal: after a change of one letter, or one added.
  const skip = a.length === b.length ? 1 : 0;
  for (let j = i + skip; j < a.length; j++) if (a.charCodeAt(j) !== b.charCodeAt(j + 1 - skip)) return false;
  return true;
}

/** How many of the words said a title holds, each of its words taken once. Nothing made: it runs per title. */
export function matchedWords(said: readonly string[], title: readonly string[], endings: readonly string[]): number {
  let matched = 0;
  // The title's words already taken, as bits: a title is said in far fewer than 32 words.
  let used = 0;
  for (const word of said) {
    for (let i = 0; i < title.length && i < 31; i++) {
      if (used & (1 << i) || !sameWord(word, title[i] as string, endings)) continue;
      used |= 1 << i;
      matched++;
      break;
    }
  }
  return matched;
}

/**
 * Whether `text` holds `words` as whole words: `" ${text} "` holds `" ${words} "`, found in place
 * with nothing made (it runs per title). Both are keys: single spaces, none at either end.
 */
export function holdsWords(text: string, words: string): boolean {
  if (!words) return false;
  for (let at = text.indexOf(words); at >= 0; at = text.indexOf(words, at + 1)) {
    const end = at + words.length;
    if ((at === 0 || text.charCodeAt(at - 1) === SPACE) && (end === text.length || text.charCodeAt(end) === SPACE))
      return true;
  }
  return false;
}

const SPACE = 0x20;
