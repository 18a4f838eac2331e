import type {CatalogueEntry} from "../playing/types.js";
import type {VoiceLanguage} from "./languages/language.js";
import {spokenKey, titleKey, withoutLeading} from "./spokenText.js";
import {meaningfulWords} from "./titleWords.js";

/**
 * A title as voice compares it, worked out once: its key, its meaningful words, and (when first
 * compared by its letters, or as a group's name) its letter pairs and its plain key.
 */
export class Title {
  /** Normalised, without the language's leading words: "The Sleepy Dragon" is "sleepy dragon". */
  readonly key: string;
  /** The meaningful words (no articles or fillers), kind words kept: "The Dragon Story" is "dragon", "story". */
  readonly words: readonly string[];
  #pairs?: Uint32Array;
  #plain?: {key: string; joined: string};

  constructor(
    readonly title: string,
    lang: VoiceLanguage,
  ) {
    this.key = titleKey(withoutLeading(spokenKey(title), lang.words.leading));
    let said = title.slice(0, 200);
    for (const [sign, word] of lang.words.signs) said = said.split(sign).join(` ${word} `);
    this.words = meaningfulWords(said, {...lang, words: {...lang.words, hints: []}}).words;
  }

  /** The key's letter pairs, sorted (pairCodes). */
  get pairs(): Uint32Array {
    this.#pairs ??= pairCodes(this.key);
    return this.#pairs;
  }

  /** As a group's name is compared: normalised, leading words kept; and that without spaces (German joins words). */
  get plain(): {key: string; joined: string} {
    if (!this.#plain) {
      const key = titleKey(this.title);
      this.#plain = {key, joined: key.replace(/ /g, "")};
    }
    return this.#plain;
  }
}

/** Languages kept at once: a service speaks a few; tests make more. */
const LANGUAGES = 8;
/** How far on in the titles kept a title is looked for: another child's story radio left out, a title gone. */
const LOOK_AHEAD = 8;
/** Titles worked out ahead (`prepare`) and not yet taken into a list kept: past this many, dropped. */
const SPARE = 10_000;
/** How long `prepare` works out titles before it lets the event loop run. */
const SLICE_MS = 8;

/**
 * The titles of the catalogue as compared, kept between requests (issue #86: every request built
 * and hashed a key per title of thousands, and split each title again). A list handed in before
 * (the catalogue and the lists made from it are the same arrays until something changes, issue
 * #99) is answered with its titles at once, found by the list itself. Otherwise per language the
 * titles of the last catalogue seen, in its order: a request whose catalogue has the same titles
 * in the same order takes them as they are, by comparing each title with the one in its place (no
 * key made, nothing hashed). A catalogue that changed is walked beside the one kept: a title in
 * its place, or a few places on (a child's list leaves other children's story radio out), keeps
 * its entry; only a title not kept is worked out. Linear in the titles. The lists handed in are
 * never changed by their makers, so a list is known by what it is.
 */
export class TitleIndex {
  readonly #kept = new Map<VoiceLanguage, Title[]>();
  /** Per list handed in, its titles per language: gone with the list. */
  readonly #byList = new WeakMap<readonly CatalogueEntry[], Map<VoiceLanguage, readonly Title[]>>();
  /** Titles `prepare` worked out that no list kept holds yet, per language. */
  readonly #spare = new Map<VoiceLanguage, Map<string, Title>>();
  /** Titles worked out since this index was made: once each per catalogue change, never per request. */
  #built = 0;

  get built(): number {
    return this.#built;
  }

  /** Each choice's title as compared, in the choices' order. */
  titles(choices: readonly CatalogueEntry[], lang: VoiceLanguage): readonly Title[] {
    const known = this.#byList.get(choices)?.get(lang);
    if (known && known.length === choices.length) return known;
    const out = this.#walk(choices, lang);
    const perLang = this.#byList.get(choices) ?? new Map<VoiceLanguage, readonly Title[]>();
    perLang.set(lang, out);
    this.#byList.set(choices, perLang);
    return out;
  }

  /**
   * Works out, before a request compares them, the titles of `choices` not kept yet: a slice at a
   * time, the event loop free between slices, so a catalogue of thousands changed (or the first
   * request after a start) holds no other request up. `titles` then finds every one ready.
   */
  async prepare(choices: readonly CatalogueEntry[], lang: VoiceLanguage): Promise<void> {
    if (this.#byList.get(choices)?.get(lang)?.length === choices.length) return;
    const kept = this.#kept.get(lang) ?? [];
    if (sameTitles(choices, kept)) return;
    let spare = this.#spare.get(lang);
    let slice = performance.now();
    let j = 0;
    for (let i = 0; i < choices.length; i++) {
      const title = (choices[i] as CatalogueEntry).title;
      const at = keptAt(kept, title, j);
      if (at >= 0) {
        j = at + 1;
        continue;
      }
      if (!spare || spare.size >= SPARE) {
        spare = new Map();
        this.#spare.set(lang, spare);
      }
      if (spare.has(title)) continue;
      spare.set(title, new Title(title, lang));
      this.#built++;
      if (performance.now() - slice < SLICE_MS) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }

  /** The titles by walking beside those kept: only a title neither kept nor prepared is worked out now. */
  #walk(choices: readonly CatalogueEntry[], lang: VoiceLanguage): Title[] {
    const kept = this.#kept.get(lang) ?? [];
    if (sameTitles(choices, kept)) return kept;
    const spare = this.#spare.get(lang);
    const out = new Array<Title>(choices.length);
    let fresh = false;
    let j = 0;
    for (let i = 0; i < choices.length; i++) {
      const title = (choices[i] as CatalogueEntry).title;
      const at = keptAt(kept, title, j);
      if (at >= 0) {
        out[i] = kept[at] as Title;
        j = at + 1;
        continue;
      }
      const ready = spare?.get(title);
      if (!ready) this.#built++;
      out[i] = ready ?? new Title(title, lang);
      fresh = true;
    }
    // What was prepared for this list is kept with it now (a title twice in it found ready both times).
    if (fresh && spare) for (const t of out) spare.delete(t.title);
    // Only a catalogue with a title not kept replaces the one kept: a child's shorter list (fewer
    // story radios) is read from the whole one, which the next request likely has again.
    if (fresh || kept.length === 0) {
      if (!this.#kept.has(lang) && this.#kept.size >= LANGUAGES) {
        this.#kept.clear();
        this.#spare.clear();
      }
      this.#kept.set(lang, out);
    }
    return out;
  }
}

/** Where `title` is among the kept from `from` on, looking at most LOOK_AHEAD further; -1 if not there. */
function keptAt(kept: readonly Title[], title: string, from: number): number {
  for (let k = from; k < kept.length && k <= from + LOOK_AHEAD; k++) if ((kept[k] as Title).title === title) return k;
  return -1;
}

function sameTitles(choices: readonly CatalogueEntry[], kept: readonly Title[]): boolean {
  if (choices.length !== kept.length) return false;
  for (let i = 0; i < choices.length; i++)
    if ((choices[i] as CatalogueEntry).title !== (kept[i] as Title).title) return false;
  return true;
}

/**
 * A text's letter pairs (two UTF-16 units each) as numbers, sorted: compared by a walk along both
 * (`pairLikeness`), with no pair made as a string or looked up by its hash.
 */
export function pairCodes(text: string): Uint32Array {
  const codes = new Uint32Array(Math.max(0, text.length - 1));
  for (let i = 0; i + 1 < text.length; i++) codes[i] = text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);
  return codes.sort();
}

/**
 * Sørensen–Dice likeness of two texts by their pairs (`pairCodes`): 1 for the same text, 0 for
 * nothing shared; each pair shared as often as both have it. Linear in the pairs.
 */
export function pairLikeness(a: Uint32Array, b: Uint32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return a.length + b.length === 0 ? 0 : (2 * shared) / (a.length + b.length);
}
