import {letterPairs, pairLikeness} from "../core/closest.js";
import {MAX_CHOICES, type PlayChoice} from "../playing/types.js";
import type {VoiceLanguage} from "./languages/language.js";
import {quoted, spokenKey, titleKey, withoutLeading, withoutTrailing} from "./spokenText.js";

export type Meant =
  | {kind: "play"; choice: PlayChoice}
  | {kind: "one_more_story"}
  | {kind: "nothing_said"}
  | {kind: "not_found"; what: string; closest?: PlayChoice};

/** When two things share a title, the one a family means most: their cards first. */
const KIND_ORDER: PlayChoice["kind"][] = ["card", "group", "story", "stream", "station", "podcast", "item"];
const PLAY_AT = 0.85;
const SUGGEST_AT = 0.4;

/**
 * What a request to play means: a whole title first ("The Story of Ferdinand", "One More Sleep"),
 * then "one more story", a card group asked for with "a" ("a bedtime story" is the group Bedtime), a
 * kind said first ("the station Tone FM"), then the best title of all: words close enough ("sleepy
 * dragons" is The Sleepy Dragon); a title only near is offered back ("Did you mean …?"), never
 * played. Linear in the titles compared.
 */
export function whatIsMeant(
  heard: string | undefined,
  lang: VoiceLanguage,
  all: readonly PlayChoice[],
  titles = new TitleIndex(),
): Meant {
  const raw = spokenKey(heard ?? "");
  if (!raw) return {kind: "nothing_said"};
  const choices = all.slice(0, MAX_CHOICES);
  const whole = titleKey(withoutLeading(raw, lang.words.leading));
  const same = whole ? sameTitle(whole, choices, lang, titles) : undefined;
  if (same) return {kind: "play", choice: same};
  if (lang.words.oneMoreStory.some((p) => raw === p || raw.startsWith(`${p} `))) return {kind: "one_more_story"};
  const group = groupAsked(raw, lang, choices);
  if (group) return {kind: "play", choice: group};
  const hinted = kindSaid(raw, lang);
  const key = titleKey(withoutLeading(hinted?.rest ?? raw, lang.words.leading));
  if (!key) return {kind: "nothing_said"};
  const pool = hinted ? choices.filter((c) => hinted.kinds.includes(c.kind)) : [];
  // A kind said first narrows the search; nothing of that kind close enough, and every title is looked at.
  const narrowed = pool.length ? bestTitle(key, pool, lang, titles) : undefined;
  const best = narrowed && narrowed.score >= PLAY_AT ? narrowed : bestTitle(key, choices, lang, titles);
  if (best && best.score >= PLAY_AT) return {kind: "play", choice: best.choice};
  return {
    kind: "not_found",
    what: quoted(heard ?? "", 60),
    ...(best && best.score >= SUGGEST_AT ? {closest: best.choice} : {}),
  };
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
  readonly #titles = new Map<string, {key: string; pairs?: Map<string, number>}>();

  constructor(readonly max = 50_000) {}

  key(title: string, lang: VoiceLanguage): string {
    return this.#entry(title, lang).key;
  }

  pairs(title: string, lang: VoiceLanguage): Map<string, number> {
    const entry = this.#entry(title, lang);
    entry.pairs ??= letterPairs(entry.key);
    return entry.pairs;
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
