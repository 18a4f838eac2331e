import {cutText as cut} from "../core/cleanTitle.js";

/**
 * What a speech-to-text engine heard is anyone's text: any script, any length, quotes and template
 * syntax. Everything here reads only so much of it, in one pass, without backtracking patterns.
 */
export const MAX_HEARD = 200;

/** Lower case, composed, apostrophes made one, everything but letters, digits, apostrophes and spaces dropped. */
export function spokenKey(text: string): string {
  return (
    text
      .slice(0, MAX_HEARD)
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[’‘`´]/g, "'")
      .replace(/[^\p{L}\p{M}\p{N}' ]+/gu, " ")
      // A quote opening a word is not an apostrophe: "'purple elephant'" reads as purple elephant'.
      .replace(/(^| )'+/g, "$1")
      .replace(/'{2,}/g, "'")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** A title as compared: its key without apostrophes ("Mia's Song" and "Mias song" are the same). */
export function titleKey(text: string): string {
  return spokenKey(text).replace(/'/g, "");
}

/** `key` without any of `phrases` at its start, as often as they come ("the my …" reads as "…"). */
export function withoutLeading(key: string, phrases: readonly string[]): string {
  let rest = key;
  for (let changed = true; changed && rest; ) {
    changed = false;
    for (const phrase of phrases)
      if (rest === phrase || rest.startsWith(`${phrase} `)) {
        rest = rest.slice(phrase.length).trimStart();
        changed = true;
      }
  }
  return rest;
}

/** `key` without any of `phrases` at its end ("mia's yoto" reads as "mia's"). */
export function withoutTrailing(key: string, phrases: readonly string[]): string {
  let rest = key;
  for (let changed = true; changed && rest; ) {
    changed = false;
    for (const phrase of phrases)
      if (rest === phrase || rest.endsWith(` ${phrase}`)) {
        rest = rest.slice(0, rest.length - phrase.length).trimEnd();
        changed = true;
      }
  }
  return rest;
}

/**
 * What was heard without the polite words a speaker puts anywhere ("Ben please", "bitte den Drachen"),
 * as said otherwise (capitals kept): word by word, one pass.
 */
export function withoutPolite(text: string, polite: readonly string[]): string {
  const words = text.split(/\s+/).filter(Boolean);
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const one = spokenKey(words[i] as string);
    const two = i + 1 < words.length ? `${one} ${spokenKey(words[i + 1] as string)}` : "";
    if (two && polite.includes(two)) i++;
    else if (!polite.includes(one)) kept.push(words[i] as string);
  }
  return kept.join(" ");
}

/**
 * A name as it may have been meant: as heard, then without a possessive ending ("mia's", "mias",
 * "max'"), so "Mia's Yoto" and the German "Mias Yoto" both find Mia.
 */
export function nameForms(key: string): string[] {
  const forms = [key];
  const add = (form: string) => form && !forms.includes(form) && forms.push(form);
  if (key.endsWith("'s")) add(key.slice(0, -2));
  if (key.endsWith("'")) add(key.slice(0, -1));
  if (key.endsWith("s") && key.length > 2) add(key.slice(0, -1));
  return forms;
}

/** What was heard, for an answer: trimmed, one line, and not a novel. */
export function quoted(text: string, max = 60): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${cut(line, max - 1)}…` : line;
}
