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
 * a word's end: "drachengeschichte" is "drachen" and a hint). One pass over the words.
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
    const stem = joined ? word.slice(0, word.length - joined.length) : word;
    if (!words.includes(stem)) words.push(stem);
    if (words.length >= MAX_WORDS) break;
  }
  return {words, hinted};
}

/**
 * Whether two words are the same as a family says them: the same; one the other with an ending
 * ("dragons", "Drachen" for "Drache", "schläfrigen" for "schläfrige"); or, in a word of five letters
 * or more, one letter off ("grufallo"). Linear in the words' length.
 */
export function sameWord(said: string, title: string): boolean {
  if (said === title) return true;
  const [short, long] = said.length <= title.length ? [said, title] : [title, said];
  if (short.length >= 4 && long.length - short.length <= 3 && long.startsWith(short)) return true;
  return short.length >= 5 && withinOneEdit(short, long);
}

/** One letter changed, added or dropped at most; `a` no longer than `b`. */
function withinOneEdit(a: string, b: string): boolean {
  if (b.length - a.length > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  // Past the first difference the rest must be equal: after a change of one letter, or one added.
  return a.length === b.length ? a.slice(i + 1) === b.slice(i + 1) : a.slice(i) === b.slice(i + 1);
}

/** How many of the words said a title holds, and how much of the title that is. */
export function wordMatch(said: readonly string[], title: readonly string[]): {matched: number; coverage: number} {
  let matched = 0;
  const used = new Set<number>();
  for (const word of said) {
    const at = title.findIndex((t, i) => !used.has(i) && sameWord(word, t));
    if (at >= 0) {
      used.add(at);
      matched++;
    }
  }
  return {matched, coverage: title.length ? used.size / title.length : 0};
}
