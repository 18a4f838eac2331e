import {letterPairs, pairLikeness} from "../core/closest.js";
import {MAX_CHOICES, type PlayChoice} from "../playing/types.js";
import type {VoiceLanguage} from "./languages/language.js";
import {quoted, spokenKey, titleKey, withoutLeading, withoutPolite, withoutTrailing} from "./spokenText.js";
import {meaningfulWords, type SaidWords, wordMatch} from "./titleWords.js";

export type Meant =
  | {kind: "play"; choice: PlayChoice}
  | {kind: "one_more_story"}
  | {kind: "nothing_said"}
  /** "something", "a story": a pick from the child's shelf. */
  | {kind: "something"}
  /** "the second one": a place in the list offered last; -1 the last. */
  | {kind: "ordinal"; index: number}
  /** Two or three titles equally close: named, to choose from. */
  | {kind: "choose"; what: string; options: PlayChoice[]}
  | {kind: "not_found"; what: string; closest?: PlayChoice};

/** When two things share a title, the one a family means most: their cards first. */
const KIND_ORDER: PlayChoice["kind"][] = ["card", "group", "story", "stream", "station", "podcast", "item"];
/** A kind word said ("the dragon story") prefers these. */
const HINTED: ReadonlySet<PlayChoice["kind"]> = new Set(["card", "story", "group"]);
const PLAY_AT = 0.85;
/** Letters alone play a title only when this much was said: "beard" is near The Bear, never it. */
const PLAY_BY_LETTERS_FROM = 8;
const SUGGEST_AT = 0.4;
/** A title this much more of which was said than of the next is the one meant ("raupe nimmersatt"). */
const CLEAR_LEAD = 0.3;
/** At most this many titles are named to choose from. */
const OFFERED = 3;

/**
 * What a request to play means: a place in a list just offered ("the second one"), a whole title
 * ("The Story of Ferdinand", "One More Sleep"), "one more story", "something" (the child's shelf),
 * a card group asked for with "a" ("a bedtime story" is the group Bedtime), a kind said first ("the
 * station Tone FM"); then the titles holding every meaningful word said, in any order, with a kind
 * word as a hint ("the dragon story"): what the family plays before the parts inside it, a clear
 * best played, two or three alike named to choose from; last, a title close in its letters
 * ("sleepy dragons"), or one only near offered back ("Did you mean …?"), never played. Linear in
 * the titles compared.
 */
export function whatIsMeant(
  heard: string | undefined,
  lang: VoiceLanguage,
  all: readonly PlayChoice[],
  titles = new TitleIndex(),
): Meant {
  const said = withoutPolite(heard ?? "", lang.words.polite);
  const raw = spokenKey(said);
  if (!raw) return {kind: "nothing_said"};
  const choices = all.slice(0, MAX_CHOICES);
  const bare = withoutLeading(raw, lang.words.leading);
  const ordinal = lang.words.ordinals.findIndex((words) => words.includes(bare));
  if (ordinal >= 0) return {kind: "ordinal", index: ordinal === 3 ? -1 : ordinal};
  const whole = titleKey(bare);
  const same = whole ? sameTitle(whole, choices, lang, titles) : undefined;
  if (same) return {kind: "play", choice: same};
  if (lang.words.oneMoreStory.some((p) => raw === p || raw.startsWith(`${p} `))) return {kind: "one_more_story"};
  if (lang.words.something.includes(raw) || lang.words.something.includes(bare)) return {kind: "something"};
  const group = groupAsked(raw, lang, choices);
  if (group) return {kind: "play", choice: group};
  const hinted = kindSaid(raw, lang);
  const rest = hinted?.rest ?? raw;
  const key = titleKey(withoutLeading(rest, lang.words.leading));
  if (!key) return hinted ? {kind: "something"} : {kind: "nothing_said"};
  const pool = hinted ? choices.filter((c) => hinted.kinds.includes(c.kind)) : [];
  const what = quoted(said, 60);
  const wordsSaid = meaningfulWords(rest, lang);
  // "the story" alone asks for one (the shelf's); "it" alone says nothing.
  if (wordsSaid.words.length === 0) return wordsSaid.hinted || hinted ? {kind: "something"} : {kind: "nothing_said"};
  // A kind said first narrows the search; nothing of that kind holds the words, and every title is looked at.
  const byWords =
    (pool.length ? byTheirWords(wordsSaid, pool, lang, titles, true) : undefined) ??
    byTheirWords(wordsSaid, choices, lang, titles, Boolean(hinted));
  if (byWords?.length === 1) return {kind: "play", choice: byWords[0] as PlayChoice};
  if (byWords) return {kind: "choose", what, options: byWords};
  // Letters compared are the title's words as said, kind words out: "Drachengeschichte" is near no "Geschichtenradio".
  const letters = wordsSaid.words.join(" ") || key;
  const narrowed = pool.length ? bestTitle(letters, pool, lang, titles) : undefined;
  const best = narrowed && narrowed.score >= PLAY_AT ? narrowed : bestTitle(letters, choices, lang, titles);
  if (best && best.score >= PLAY_AT && (best.score > 1 || letters.length >= PLAY_BY_LETTERS_FROM))
    return {kind: "play", choice: best.choice};
  // Offered back: what the family plays, never a part of it by its own small title ("Did you mean cave?").
  const offer = best?.choice.partOf ? bestTitle(letters, wholes(choices), lang, titles) : best;
  return {kind: "not_found", what, ...(offer && offer.score >= SUGGEST_AT ? {closest: offer.choice} : {})};
}

const wholes = (choices: readonly PlayChoice[]) => choices.filter((c) => !c.partOf);

interface Candidate {
  choice: PlayChoice;
  key: string;
  /** Lower is better: a part of something after what the family plays, a kind not hinted after one that is. */
  tier: number;
  coverage: number;
  order: number;
}

const better = (a: Candidate, b: Candidate) =>
  a.tier !== b.tier ? a.tier < b.tier : a.coverage !== b.coverage ? a.coverage > b.coverage : a.order < b.order;

/**
 * The titles that hold every word said (in any order, with its endings), best first: the one meant
 * when it stands out (the only one, or a clearly larger part of its title said), else the two or
 * three to choose from. Undefined when no title holds them all. One pass over the titles, keeping
 * the best few (a title once, in its best kind).
 */
function byTheirWords(
  said: SaidWords,
  choices: readonly PlayChoice[],
  lang: VoiceLanguage,
  titles: TitleIndex,
  hinted: boolean,
): PlayChoice[] | undefined {
  const top: Candidate[] = [];
  for (const choice of choices) {
    const words = titles.words(choice.title, lang);
    if (words.length === 0) continue;
    const {matched, coverage} = wordMatch(said.words, words, lang.words.endings);
    if (matched < said.words.length) continue;
    const hintMissed = (hinted || said.hinted) && !HINTED.has(choice.kind);
    const candidate: Candidate = {
      choice,
      key: titles.key(choice.title, lang),
      tier: (choice.partOf ? 2 : 0) + (hintMissed ? 1 : 0),
      coverage,
      order: KIND_ORDER.indexOf(choice.kind),
    };
    const twin = top.findIndex((c) => c.key === candidate.key);
    if (twin >= 0) {
      if (better(candidate, top[twin] as Candidate)) top[twin] = candidate;
    } else top.push(candidate);
    top.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    if (top.length > OFFERED + 1) top.pop();
  }
  const [first, second] = top;
  if (!first) return undefined;
  if (!second || second.tier > first.tier || first.coverage - second.coverage >= CLEAR_LEAD) return [first.choice];
  return top
    .filter((c) => c.tier === first.tier)
    .slice(0, OFFERED)
    .map((c) => c.choice);
}

/** "a bedtime story", "eine Gute-Nacht-Geschichte": an article, then a group's name and maybe its kind of thing. */
function groupAsked(raw: string, lang: VoiceLanguage, choices: readonly PlayChoice[]): PlayChoice | undefined {
  const first = raw.split(" ")[0] ?? "";
  if (!lang.words.indefinite.includes(first)) return undefined;
  const rest = raw.slice(first.length).trim();
  const name = titleKey(withoutTrailing(rest, lang.words.groupNouns));
  const groups = choices.filter((c) => c.kind === "group");
  for (const wanted of [name, titleKey(rest)]) {
    const found = wanted ? groups.find((g) => titleKey(g.title) === wanted) : undefined;
    if (found) return found;
  }
  // German joins the words ("Gutenachtgeschichte"): a group whose name starts the heard word.
  return groups.find((g) => {
    const key = titleKey(g.title).replace(/ /g, "");
    return key.length >= 4 && name.replace(/ /g, "").startsWith(key);
  });
}

const KIND_WORDS: Array<[keyof VoiceLanguage["words"]["kinds"], PlayChoice["kind"][]]> = [
  ["story", ["story", "card"]],
  ["station", ["station"]],
  ["podcast", ["podcast"]],
  ["stream", ["stream", "station", "podcast"]],
];

/** "the story Moonfox": the kind said before the title, longest phrase first. */
function kindSaid(raw: string, lang: VoiceLanguage): {rest: string; kinds: PlayChoice["kind"][]} | undefined {
  let found: {rest: string; kinds: PlayChoice["kind"][]; length: number} | undefined;
  for (const [word, kinds] of KIND_WORDS)
    for (const phrase of lang.words.kinds[word])
      if (raw.startsWith(`${phrase} `) && phrase.length > (found?.length ?? 0))
        found = {rest: raw.slice(phrase.length + 1), kinds, length: phrase.length};
  return found;
}

/**
 * Titles as compared, kept between requests: a big library's thousands of titles are normalised and
 * split into letter pairs once, not on every request. Bounded: past its size it starts again.
 */
export class TitleIndex {
  readonly #titles = new Map<string, {key: string; pairs?: Map<string, number>; words?: string[]}>();

  constructor(readonly max = 50_000) {}

  key(title: string, lang: VoiceLanguage): string {
    return this.#entry(title, lang).key;
  }

  pairs(title: string, lang: VoiceLanguage): Map<string, number> {
    const entry = this.#entry(title, lang);
    entry.pairs ??= letterPairs(entry.key);
    return entry.pairs;
  }

  /** The title's meaningful words (no articles or fillers), kind words kept: "The Dragon Story" is "dragon", "story". */
  words(title: string, lang: VoiceLanguage): string[] {
    const entry = this.#entry(title, lang);
    let said = title.slice(0, 200);
    for (const [sign, word] of lang.words.signs) said = said.split(sign).join(` ${word} `);
    entry.words ??= meaningfulWords(said, {...lang, words: {...lang.words, hints: []}}).words;
    return entry.words;
  }

  #entry(title: string, lang: VoiceLanguage) {
    const id = `${lang.code}\u0000${title}`;
    let entry = this.#titles.get(id);
    if (!entry) {
      if (this.#titles.size >= this.max) this.#titles.clear();
      entry = {key: titleKey(withoutLeading(spokenKey(title), lang.words.leading))};
      this.#titles.set(id, entry);
    }
    return entry;
  }
}

/** The title that is these very words (without "the"), the family's card before anything of the same name. */
function sameTitle(key: string, choices: readonly PlayChoice[], lang: VoiceLanguage, titles: TitleIndex) {
  let same: {choice: PlayChoice; order: number} | undefined;
  for (const choice of choices) {
    const order = KIND_ORDER.indexOf(choice.kind);
    if (titles.key(choice.title, lang) === key && (!same || order < same.order)) same = {choice, order};
  }
  return same?.choice;
}

function bestTitle(
  key: string,
  choices: readonly PlayChoice[],
  lang: VoiceLanguage,
  titles: TitleIndex,
): {choice: PlayChoice; score: number} | undefined {
  // The same words first: a string compare per title, no likeness to work out.
  const same = sameTitle(key, choices, lang, titles);
  if (same) return {choice: same, score: 2};
  const wanted = letterPairs(key);
  let best: {choice: PlayChoice; score: number; order: number} | undefined;
  for (const choice of choices) {
    const title = titles.key(choice.title, lang);
    if (!title) continue;
    let score: number;
    if (title === key) score = 2;
    else {
      score = pairLikeness(wanted, titles.pairs(choice.title, lang));
      // "dragon" for The Sleepy Dragon is near, never played: only a whole title or a close one plays.
      if (key.length >= 4 && (` ${title} `.includes(` ${key} `) || ` ${key} `.includes(` ${title} `)))
        score = Math.max(score, SUGGEST_AT);
    }
    const order = KIND_ORDER.indexOf(choice.kind);
    if (!best || score > best.score || (score === best.score && order < best.order)) best = {choice, score, order};
  }
  return best;
}
