import {STORY_RADIO_PREFIX} from "../family/shelfField.js";
import {type CatalogueEntry, MAX_CHOICES} from "../playing/types.js";
import type {VoiceLanguage} from "./languages/language.js";
import {quoted, spokenKey, titleKey, withoutLeading, withoutPolite, withoutTrailing} from "./spokenText.js";
import {pairCodes, pairLikeness, type Title, TitleIndex} from "./titleIndex.js";
import {holdsWords, matchedWords, meaningfulWords, type SaidWords, wordsAsSaid} from "./titleWords.js";

export type Meant =
  | {kind: "play"; choice: CatalogueEntry}
  | {kind: "one_more_story"}
  /** "The next chapter", "the last song again": a command said where a title goes. */
  | {kind: "command"; command: "next" | "previous" | "resume"}
  | {kind: "nothing_said"}
  /** "something", "a story": a pick from the child's shelf. */
  | {kind: "something"}
  /** "the second one": a place in the list offered last; -1 the last. */
  | {kind: "ordinal"; index: number}
  /** Two or three titles equally close: named, to choose from. */
  | {kind: "choose"; what: string; options: CatalogueEntry[]}
  | {kind: "not_found"; what: string; closest?: CatalogueEntry};

/** When two things share a title, the one a family means most: their cards first. */
const KIND_ORDER: CatalogueEntry["kind"][] = ["card", "group", "story", "stream", "station", "podcast", "item"];
/** A kind word said ("the dragon story") prefers these. */
const HINTED: ReadonlySet<CatalogueEntry["kind"]> = new Set(["card", "story", "group"]);
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
 * the titles compared; what was heard is normalised once, and each title as compared is kept in
 * `titles` from one request to the next (titleIndex.ts): nothing is made per title per request.
 */
export function whatIsMeant(
  heard: string | undefined,
  lang: VoiceLanguage,
  all: readonly CatalogueEntry[],
  titles: TitleIndex = new TitleIndex(),
): Meant {
  return meaning(heard, lang, all, titles, true);
}

/** `after`: a kind word after the title is read as its kind (else as a word of the title, as it may be). */
function meaning(
  heard: string | undefined,
  lang: VoiceLanguage,
  all: readonly CatalogueEntry[],
  titles: TitleIndex,
  after: boolean,
): Meant {
  const said = withoutPolite(heard ?? "", lang.words.polite);
  const raw = spokenKey(said);
  if (!raw) return {kind: "nothing_said"};
  const choices = all.length > MAX_CHOICES ? all.slice(0, MAX_CHOICES) : all;
  const every: Titled = {choices, titles: titles.titles(choices, lang)};
  const bare = withoutLeading(raw, lang.words.leading);
  const ordinal = lang.words.ordinals.findIndex((words) => words.includes(bare));
  if (ordinal >= 0) return {kind: "ordinal", index: ordinal === 3 ? -1 : ordinal};
  const whole = titleKey(bare);
  const same = whole ? sameTitle(whole, every) : undefined;
  if (same) return {kind: "play", choice: same};
  const command = commandSaid(bare, lang);
  if (command) return {kind: "command", command};
  // "The dragon one" is the one with "dragon" in it (a title that is those words whole came first).
  const theOne = theOneWith(raw, lang);
  if (theOne) return meaning(theOne, lang, all, titles, after);
  if (lang.words.oneMoreStory.some((p) => raw === p || raw.startsWith(`${p} `)) || lang.words.oneMore.includes(raw))
    return {kind: "one_more_story"};
  if (lang.words.something.includes(raw) || lang.words.something.includes(bare)) return {kind: "something"};
  const group = groupAsked(raw, lang, every);
  if (group) return {kind: "play", choice: group};
  const alone = kindAlone(bare, lang, every);
  if (alone) return alone;
  const hinted = kindSaid(raw, lang, after);
  const rest = hinted?.rest ?? raw;
  const key = titleKey(withoutLeading(rest, lang.words.leading));
  if (!key) return hinted ? {kind: "something"} : {kind: "nothing_said"};
  const pool = hinted ? only(every, (c) => hinted.kinds.includes(c.kind)) : undefined;
  const narrow = pool && pool.choices.length > 0 ? pool : undefined;
  const what = quoted(said, 60);
  // A kind word after the words may be the title's own ("Kids Radio Hits", "Kinderradio Bayern"):
  // a title holding every word said, that one too, is meant before one holding the words before it.
  if (hinted?.after) {
    const all = meaningfulWords(raw, lang);
    const held = all.words.length > 0 ? byTheirWords(all, every, lang.words.endings, false) : undefined;
    if (held?.length === 1) return {kind: "play", choice: held[0] as CatalogueEntry};
    if (held) return {kind: "choose", what, options: held};
  }
  const wordsSaid = meaningfulWords(rest, lang);
  // "the story" alone asks for one (the shelf's); "it" alone says nothing.
  if (wordsSaid.words.length === 0) return wordsSaid.hinted || hinted ? {kind: "something"} : {kind: "nothing_said"};
  // A kind said first narrows the search; nothing of that kind holds the words, and every title is looked at.
  const endings = lang.words.endings;
  const byWords =
    (narrow ? byTheirWords(wordsSaid, narrow, endings, true) : undefined) ??
    byTheirWords(wordsSaid, every, endings, Boolean(hinted));
  if (byWords?.length === 1) return {kind: "play", choice: byWords[0] as CatalogueEntry};
  if (byWords) return {kind: "choose", what, options: byWords};
  // Letters compared are the title's words as said, kind words out: "Drachengeschichte" is near no "Geschichtenradio".
  const letters = wordsSaid.words.join(" ") || key;
  const narrowed = narrow ? bestTitle(letters, narrow) : undefined;
  const best = narrowed && narrowed.score >= PLAY_AT ? narrowed : bestTitle(letters, every);
  if (best && best.score >= PLAY_AT && (best.score > 1 || letters.length >= PLAY_BY_LETTERS_FROM))
    return {kind: "play", choice: best.choice};
  // Offered back: what the family plays, never a part of it by its own small title ("Did you mean cave?").
  const offer = best?.choice.partOf
    ? bestTitle(
        letters,
        only(every, (c) => !c.partOf),
      )
    : best;
  // Nothing by the words before a kind word: it may be the title's ("Mias Geschichtenradio"), looked for as said.
  if (hinted?.after) return meaning(heard, lang, all, titles, false);
  return {kind: "not_found", what, ...(offer && offer.score >= SUGGEST_AT ? {closest: offer.choice} : {})};
}

/** The words of "the dragon one" between "the" and "one"; undefined when it is not said so. */
function theOneWith(raw: string, lang: VoiceLanguage): string | undefined {
  const {before, after, not} = lang.words.theOne;
  const words = raw.split(" ");
  if (words.length < 3 || !before.includes(words[0] as string) || words.at(-1) !== after) return undefined;
  const inside = words.slice(1, -1);
  // "The other one", "the new one" say which of some, not a title's word ("The Other Side", "New Moon").
  return inside.length === 1 && not.includes(inside[0] as string) ? undefined : inside.join(" ");
}

/**
 * A command said as the title: its first word next or previous, the rest only what it steps over
 * ("the next chapter", "last song again"). "Last" alone or "the last one" is left to the ordinals.
 */
export function commandSaid(bare: string, lang: VoiceLanguage): "next" | "previous" | "resume" | undefined {
  const {next, previous, units, again, resume, replay, restart, joins} = lang.words.commands;
  if (resume.includes(bare)) return "resume";
  const [first = "", ...rest] = bare.split(" ");
  // "Das Lied nochmal" is the one before, as Home Assistant's German takes it ("the story again" is not);
  // "that chapter from the start" in both ("that" is a leading word only before "one").
  const part = lang.words.theOne.before.includes(first) ? rest : [first, ...rest];
  const [unit = "", ...after] = part;
  if (units.includes(unit) && [...replay, ...restart].includes(after.join(" "))) return "previous";
  const command = next.includes(first) ? "next" : previous.includes(first) ? "previous" : undefined;
  if (!command) return undefined;
  let tail = rest.join(" ");
  for (const word of again) if (tail === word || tail.endsWith(` ${word}`)) tail = tail.slice(0, -word.length).trim();
  const stepped = tail ? tail.split(" ") : [];
  // A unit, or units and what joins them: "the next podcast episode", "the next episode of the podcast".
  const unitsOnly =
    stepped.length === 0 ||
    (stepped.length <= 5 &&
      units.includes(stepped[0] as string) &&
      units.includes(stepped.at(-1) as string) &&
      stepped.every((w) => units.includes(w) || joins.includes(w)));
  if (!unitsOnly) return undefined;
  // "The last one" is a place in what was offered; "the last song" is the song before.
  if (lang.words.ordinals.some((o) => o.includes(bare))) return undefined;
  return command;
}

/** Choices beside their titles as compared, place for place. */
interface Titled {
  choices: readonly CatalogueEntry[];
  titles: readonly Title[];
}

/** The choices `keep` keeps, with their titles. */
function only(all: Titled, keep: (c: CatalogueEntry) => boolean): Titled {
  const choices: CatalogueEntry[] = [];
  const titles: Title[] = [];
  all.choices.forEach((c, i) => {
    if (!keep(c)) return;
    choices.push(c);
    titles.push(all.titles[i] as Title);
  });
  return {choices, titles};
}

interface Candidate {
  choice: CatalogueEntry;
  key: string;
  /** Lower is better: a part of something after what the family plays, a kind not hinted after one that is. */
  tier: number;
  /** Words said that it holds as said, not a letter off. */
  asSaid: number;
  coverage: number;
  order: number;
}

const better = (a: Candidate, b: Candidate) =>
  a.tier !== b.tier
    ? a.tier < b.tier
    : a.asSaid !== b.asSaid
      ? a.asSaid > b.asSaid
      : a.coverage !== b.coverage
        ? a.coverage > b.coverage
        : a.order < b.order;

/**
 * The titles that hold every word said (in any order, with its endings), best first: the one meant
 * when it stands out (the only one, or a clearly larger part of its title said), else the two or
 * three to choose from. Undefined when no title holds them all. One pass over the titles, keeping
 * the best few (a title once, in its best kind).
 */
function byTheirWords(
  said: SaidWords,
  {choices, titles}: Titled,
  endings: readonly string[],
  hinted: boolean,
): CatalogueEntry[] | undefined {
  const top: Candidate[] = [];
  for (let i = 0; i < choices.length; i++) {
    const title = titles[i] as Title;
    if (title.words.length === 0) continue;
    const matched = matchedWords(said.words, title.words, endings);
    if (matched < said.words.length) continue;
    const choice = choices[i] as CatalogueEntry;
    const hintMissed = (hinted || said.hinted) && !HINTED.has(choice.kind);
    const candidate: Candidate = {
      choice,
      key: title.key,
      tier: (choice.partOf ? 2 : 0) + (hintMissed ? 1 : 0),
      asSaid: wordsAsSaid(said.words, title.words, endings),
      coverage: matched / title.words.length,
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
  if (
    !second ||
    second.tier > first.tier ||
    second.asSaid < first.asSaid ||
    first.coverage - second.coverage >= CLEAR_LEAD
  )
    return [first.choice];
  return top
    .filter((c) => c.tier === first.tier && c.asSaid === first.asSaid)
    .slice(0, OFFERED)
    .map((c) => c.choice);
}

/** "a bedtime story", "eine Gute-Nacht-Geschichte": an article, then a group's name and maybe its kind of thing. */
function groupAsked(raw: string, lang: VoiceLanguage, {choices, titles}: Titled): CatalogueEntry | undefined {
  const first = raw.split(" ")[0] ?? "";
  if (!lang.words.indefinite.includes(first)) return undefined;
  const rest = raw.slice(first.length).trim();
  const name = titleKey(withoutTrailing(rest, lang.words.groupNouns));
  const groups = choices.flatMap((c, i) => (c.kind === "group" ? [{group: c, title: titles[i] as Title}] : []));
  for (const wanted of [name, titleKey(rest)]) {
    const found = wanted ? groups.find((g) => g.title.plain.key === wanted) : undefined;
    if (found) return found.group;
  }
  // German joins the words ("Gutenachtgeschichte"): a group whose name starts the heard word.
  const joined = name.replace(/ /g, "");
  return groups.find(({title}) => title.plain.joined.length >= 4 && joined.startsWith(title.plain.joined))?.group;
}

const KIND_WORDS: Array<[keyof VoiceLanguage["words"]["kinds"], CatalogueEntry["kind"][]]> = [
  ["story", ["story", "card"]],
  ["station", ["station"]],
  ["podcast", ["podcast"]],
  ["stream", ["stream", "station", "podcast"]],
];

/** Kind words said after a title ("the demo stream", "Tone FM radio"): a story's are hints already. */
const AFTER_TITLE = new Set<keyof VoiceLanguage["words"]["kinds"]>(["station", "podcast", "stream"]);

/**
 * "the station Moonfox", "the demo stream", "den Demostream": the kind said before the title or
 * after it (where the language joins words, at the end of the last one), longest phrase first.
 */
function kindSaid(
  raw: string,
  lang: VoiceLanguage,
  after = true,
): {rest: string; kinds: CatalogueEntry["kind"][]; after: boolean} | undefined {
  let found: {rest: string; kinds: CatalogueEntry["kind"][]; length: number; after: boolean} | undefined;
  const take = (rest: string, kinds: CatalogueEntry["kind"][], length: number, after = true) => {
    // "the radio" is no title with a kind after it: a title is there only with words besides "the".
    if (withoutLeading(rest.trim(), lang.words.leading) && length > (found?.length ?? 0))
      found = {rest: rest.trim(), kinds, length, after};
  };
  for (const [word, kinds] of KIND_WORDS)
    for (const phrase of lang.words.kinds[word]) {
      if (raw.startsWith(`${phrase} `)) take(raw.slice(phrase.length + 1), kinds, phrase.length, false);
      // After the title only the bare word ("stream", never "the stream"): "the demo stream".
      if (
        !after ||
        !AFTER_TITLE.has(word) ||
        phrase.includes(" ") ||
        lang.words.leading.some((w) => phrase.startsWith(`${w} `))
      )
        continue;
      if (raw.endsWith(` ${phrase}`)) take(raw.slice(0, -phrase.length - 1), kinds, phrase.length);
      else if (
        lang.words.joinsWords &&
        raw.endsWith(phrase) &&
        (raw.split(" ").at(-1)?.length ?? 0) >= phrase.length + 3
      )
        take(raw.slice(0, -phrase.length), kinds, phrase.length);
    }
  return found;
}

/**
 * "the radio", "den Sender": a kind of thing said alone, with nothing of a title. The one of that
 * kind is meant; of several, two or three are named to choose from. Undefined when the family has
 * none of that kind (the words may be a title's: a card called "Radio").
 */
function kindAlone(bare: string, lang: VoiceLanguage, every: Titled): Meant | undefined {
  for (const [word] of KIND_WORDS) {
    if (!AFTER_TITLE.has(word)) continue;
    const phrases = lang.words.kinds[word].map((p) => withoutLeading(p, lang.words.leading));
    if (!phrases.includes(bare)) continue;
    // Said alone, "the stream" is a stream, not any of the kinds a stream may be. Each thing once (a
    // stream is among the choices by each of its titles); never a part, nor story radio.
    const seen = new Set<string>();
    const ofKind = every.choices.filter((c) => {
      if (c.kind !== word || c.partOf || c.id.startsWith(STORY_RADIO_PREFIX) || seen.has(c.id)) return false;
      seen.add(c.id);
      return true;
    });
    if (ofKind.length === 1) return {kind: "play", choice: ofKind[0] as CatalogueEntry};
    if (ofKind.length > 1) return {kind: "choose", what: bare, options: ofKind.slice(0, OFFERED)};
  }
  return undefined;
}

/** The title that is these very words (without "the"), the family's card before anything of the same name. */
function sameTitle(key: string, {choices, titles}: Titled): CatalogueEntry | undefined {
  let same: {choice: CatalogueEntry; order: number} | undefined;
  for (let i = 0; i < choices.length; i++) {
    if ((titles[i] as Title).key !== key) continue;
    const choice = choices[i] as CatalogueEntry;
    const order = KIND_ORDER.indexOf(choice.kind);
    if (!same || order < same.order) same = {choice, order};
  }
  return same?.choice;
}

function bestTitle(key: string, titled: Titled): {choice: CatalogueEntry; score: number} | undefined {
  // The same words first: a string compare per title, no likeness to work out.
  const same = sameTitle(key, titled);
  if (same) return {choice: same, score: 2};
  const {choices, titles} = titled;
  const wanted = pairCodes(key);
  let best: {choice: CatalogueEntry; score: number; order: number} | undefined;
  for (let i = 0; i < choices.length; i++) {
    const title = titles[i] as Title;
    if (!title.key) continue;
    let score: number;
    if (title.key === key) score = 2;
    else {
      score = pairLikeness(wanted, title.pairs);
      // "dragon" for The Sleepy Dragon is near, never played: only a whole title or a close one plays.
      if (key.length >= 4 && (holdsWords(title.key, key) || holdsWords(key, title.key)))
        score = Math.max(score, SUGGEST_AT);
    }
    const choice = choices[i] as CatalogueEntry;
    const order = KIND_ORDER.indexOf(choice.kind);
    if (!best || score > best.score || (score === best.score && order < best.order)) best = {choice, score, order};
  }
  return best;
}
