import type {VoiceTrigger} from "../../shared/api/voice.js";
import type {VoiceGrammar} from "../grammar.js";

/** The trigger ids, in the order the blueprint lists them. */
export const VOICE_TRIGGERS: readonly VoiceTrigger[] = [
  "play",
  "choose",
  "one_more_story",
  "sleep",
  "pause",
  "resume",
  "stop",
  "next",
  "previous",
  "volume_up",
  "volume_down",
  "volume_set",
  "stop_all",
  "whats_playing",
  "listened",
  "bedtime",
  "week",
  "night",
];

/** A clock time as the family's zone reads it, and how far off its day is (0 today, 1 tomorrow, …). */
export interface SpokenTime {
  hour: number;
  minute: number;
  days: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
}

/**
 * A title as an answer may say it: someone else's quoted and clean, or words of our own, made only
 * by src/voice/spokenTitle.ts. A plain string does not fit, so no answer names a raw title.
 */
export type SpokenTitle = string & {readonly spokenTitle: unique symbol};

/** Where something happened: "Mia's Yoto" for a child, the player's name otherwise. */
type Where = {where: string};
type Child = {child: string};

/**
 * Everything the service says, as short sentences. Functions, so each language builds its own
 * grammar (German puts the verb last, English says "Mia's"); the arguments are already spoken
 * forms (times, lists, durations) made by the same language.
 */
export interface VoiceAnswers {
  playing(a: Where & {title: SpokenTitle}): string;
  asleep(a: Child & {until: string}): string;
  budgetUsed(a: Child & {until: string}): string;
  quietPlayer(a: Where & {until: string}): string;
  /** Held at volume 0 with nothing that says until when. */
  quietNoEnd(a: Where): string;
  unknownName(a: {name: string; known: string}): string;
  unknownNameNoneKnown(a: {name: string}): string;
  which(a: {known: string}): string;
  noPlayers(): string;
  noYoto(a: Child): string;
  /** An assistant asked for a child (or a Yoto) it was not given: `children` are those it was. */
  notGranted(a: {assistant: string; children: string}): string;
  whatToPlay(): string;
  notFound(a: {what: string}): string;
  /** What was heard as a title is a thing of the house ("das Licht"): how to say it for Home Assistant. */
  notAYotos(a: {what: string}): string;
  didYouMean(a: {what: string; title: SpokenTitle}): string;
  offline(a: Where): string;
  cloudDown(): string;
  failed(a: Where): string;
  stillWaiting(a: Where & {title: SpokenTitle}): string;
  /** A pause, stop or next the player has not confirmed yet. */
  askedPlayer(a: Where): string;
  lastOne(a: Where): string;
  /** Previous on the first chapter. */
  firstOne(a: Where): string;
  paused(a: Where): string;
  resumed(a: Where): string;
  stopped(a: Where): string;
  skipped(a: Where): string;
  skippedBack(a: Where): string;
  /** The volume now, in the player's steps, and the most the plan (or the player) allows now. */
  volumeAt(a: Where & {level: number; max: number}): string;
  /** Asked louder at the most allowed now. */
  volumeAtMax(a: Where & {max: number}): string;
  /** A volume said that is no volume ("set it to banana"). */
  volumeWhat(a: {heard: string; max: number}): string;
  /** Two or three titles close to what was said, named to choose from ("play the second one"). */
  choose(a: {titles: SpokenTitle[]}): string;
  /** "The second one" (or "the dragon one") with nothing offered to this satellite in the last minute. */
  nothingOffered(): string;
  /** "Yes" with no question of ours waiting for it on this satellite: said plainly, nothing done. */
  nothingAsked(): string;
  /**
   * "Play the first one for Ben" where the titles were offered for Mia: nothing plays, and how to
   * ask for Ben (`other`, a child or a Yoto) is said, in the words the offer was asked with (`what`).
   */
  offeredFor(a: Child & {other: string; what: string}): string;
  /** "Something for Mia" with nothing on Mia's shelf. */
  emptyShelf(a: Child): string;
  /** Story radio asked for with nothing on the shelf it plays (cards play from Yoto, not from it). */
  storyRadioEmpty(a: Child): string;
  nothingPlaying(a: Where): string;
  stoppedAll(a: {count: number}): string;
  /** "Pause all the Yotos": every Yoto playing, paused; the answer counts them. */
  pausedAll(a: {count: number}): string;
  /** `failed`: the players that did not answer, by name. */
  pausedSome(a: {count: number; failed: string[]}): string;
  /** Stopped or paused, several named at once ("Mia and Ben"): `where` is the list of them. */
  stoppedSeveral(a: Where): string;
  pausedSeveral(a: Where): string;
  /** Play asked for several at once: it plays on one; `choices` is the Yotos named, joined with "or". */
  oneAtATime(a: {choices: string}): string;
  /** `failed`: the players that did not answer, by name. */
  stoppedSome(a: {count: number; failed: string[]}): string;
  nothingPlayingAnywhere(): string;
  nowPlaying(a: Where & {title: SpokenTitle; part?: SpokenTitle}): string;
  pausedOn(a: Where & {title: SpokenTitle}): string;
  listened(a: Child & {duration: string}): string;
  listenedWithLeft(a: Child & {duration: string; left: string}): string;
  listenedAll(a: Child & {duration: string}): string;
  playerListened(a: Where & {duration: string}): string;
  bedtimeAt(a: Child & {time: string}): string;
  asleepUntil(a: Child & {until: string}): string;
  bedtimeWas(a: Child & {time: string}): string;
  bonusUntil(a: Child & {until: string; time: string}): string;
  noBedtime(a: Child): string;
  noChild(a: {name: string}): string;
  noPlan(): string;
  whose(a: {known: string}): string;
  askedParent(a: Child): string;
  alreadyAsked(a: Child): string;
  askedRecently(a: Child & {time: string}): string;
  granted(a: Child & {minutes: number}): string;
  grantedToTrackEnd(a: Child): string;
  capReached(a: Child & {cap: number}): string;
  mayListen(a: Child): string;
  /** The plan allows no bonus at all (a daily cap of 0). */
  noBonuses(a: Child): string;
  /** A parent answered Not tonight: no bonus by voice until `until`. */
  declined(a: Child & {until: string}): string;
  /** "Mia can't sleep": the child's sleep sound starts (`title`, as the family knows it). */
  sleepStarted(a: Child & {title: string}): string;
  sleepAlready(a: Child & {title: string}): string;
  /** Tonight's sleep sounds are used up (the plan's limit a night). */
  sleepUsed(a: Child): string;
  /** The child's plan has none. */
  sleepNone(a: Child): string;
  /** "What did Mia listen to this week": the week's time, its most listened title (spoken), and nights up. */
  week(a: Child & {duration: string; title?: SpokenTitle; nights: number}): string;
  weekNothing(a: Child): string;
  /** "How was Ben's night": `tonight` for the night under way, else last night; the first wake's time. */
  night(a: Child & {tonight: boolean; wakes: number; first?: string; played?: string; asks: number}): string;
  /** What "what's playing" calls an announcement, a library item's or a parent's, in place of a title. */
  anAnnouncement(): string;
  /** What it calls something whose name it does not know (never an id). */
  something(): string;
  busy(): string;
}

/** One language: the blueprint's sentences, the words read in what was heard, and the answers. */
export interface VoiceLanguage {
  /** BCP 47, as Home Assistant names it ("en", "de"). */
  code: string;
  name: string;
  /**
   * Per trigger, its sentence templates in hassil's syntax: the blueprint's defaults. A `{who}`
   * wildcard only where it cannot take another speaker's sentence (before "Yoto", after "for").
   */
  sentences: Record<VoiceTrigger, string[]>;
  /**
   * The sentences that name the family's own, as parts (grammar.ts): written only into the inputs
   * the service makes for a family (`GET /api/voice/sentences`), each name a list of the family's
   * literal names.
   */
  grammar: VoiceGrammar;
  words: {
    /** Dropped from a name: "Mia's Yoto" is Mia. Lower case; several words allowed. */
    yoto: string[];
    /** Dropped from the start of a name or title ("the living room", "the Gruffalo"). */
    leading: string[];
    /** Before a title, they ask for a card group ("a bedtime story" is the group Bedtime). */
    indefinite: string[];
    /** After a group's name ("bedtime story"): the group's kind of thing. */
    groupNouns: string[];
    /** A name heard with what comes before it ("the moon on Mia's"): the words that join them. */
    joiners: string[];
    /** Said instead of a title, these mean "one more story" (and with more after them: "one more story please"). */
    oneMoreStory: string[];
    /** Things of the house a play frame may hear as a title ("the light"), leading words taken off. */
    houseThings: string[];
    /** Said as the whole title, these mean it too ("can Mia listen to one more"); never a title's start ("One More Sleep"). */
    oneMore: string[];
    /** Said as the name, they mean every Yoto ("stop everything", "pause all"). Lower case. */
    everyone: string[];
    /** Between names said together ("Mia and Ben", "Mia, Ben"): several are meant. Lower case. */
    and: string[];
    /** Politeness and filler a speaker puts anywhere: dropped from names and titles ("please", "bitte", "gerade"). */
    polite: string[];
    /** Words inside a title as said that are no part of it: "the story about the dragon". */
    fillers: string[];
    /**
     * Kind words: a hint, never a title ("the dragon story" prefers a story or a card). A language
     * that joins words ("Drachengeschichte") also reads them at a word's end.
     */
    hints: string[];
    joinsWords: boolean;
    /** Signs in a title as they are said: "???" is "Fragezeichen", "&" is "and". */
    signs: Array<[string, string]>;
    /** Endings a word takes and is still the same word ("dragons", "Drachen" for "Drache", "Bären" for "Bär"). */
    endings: string[];
    /** Said instead of a title: pick from the child's shelf ("something", "a story"). */
    something: string[];
    /** Said to agree ("Did you mean The Purple Balloon?" "Yes"): a sentence starting with one of these. */
    yes: string[];
    /** "the second one": each entry the words for that place in a list offered, first to third, then the last. */
    ordinals: string[][];
    /** A number said as a word, zero to twenty: the volume ("set it to five"), a title ("Frozen Two" is Frozen 2). */
    numbers: string[];
    /** Twenty to ninety as words, in order ("twenty", … "ninety"); then the word for a hundred. */
    tens: string[];
    hundred: string;
    /** The word joining ones to tens inside one word ("fünfundzwanzig"), or "" where words stand apart. */
    numberJoiner: string;
    /** After a number: it is a percentage ("50 percent"). */
    percent: string[];
    /** Before a number: it is how much louder or quieter ("by 2", "um 2"). */
    by: string[];
    /** "The dragon one": a title's words said between these ("the", "one"); none in a language that says it otherwise. */
    theOne: {before: string[]; after: string; not: string[]};
    /** A volume said as the most or the least ("maximum", "die niedrigste Stufe"): the player's most, or one step. */
    loudest: string[];
    quietest: string[];
    /**
     * Said as the title, a command ("play the next chapter", "play the last song again"): the first
     * word says which, the rest only what it steps over (`units`, and "again"). "The last one" stays
     * a place in a list offered (`ordinals`). `resume`: said alone as the title, it goes on ("auf Mias
     * Yoto weiter hören").
     */
    /** `replay`: said after a unit alone, the one before ("das Lied nochmal"); none in English ("the story again" is not). */
    commands: {
      next: string[];
      previous: string[];
      units: string[];
      again: string[];
      resume: string[];
      replay: string[];
      /** Said after a unit, that unit from its start, the one before in both languages ("that chapter from the start"). */
      restart: string[];
      /** Between two units, what one is a part of ("the next episode of the podcast", "der nächste Titel vom Album"). */
      joins: string[];
    };
    /** What the child's story radio is called ("story radio"): "play story radio for Ben". */
    storyRadio: string;
    /** Before a title, they say its kind: "the story …", "the station …". */
    kinds: {story: string[]; station: string[]; podcast: string[]; stream: string[]};
  };
  /** The quotation marks a title is said in (“…” in English, „…“ in German): it is someone else's text. */
  titleQuotes: readonly [string, string];
  /** "Mia's Yoto" / "Mias Yoto". */
  childsYoto(child: string): string;
  /** How a child's name is said as its owner, as a speech engine writes it: "Mia's", "Mias". */
  possessives(child: string): string[];
  /** "Mia's story radio" / "Mias Geschichtenradio": the child's own stream, as "what's playing" names it. */
  storyRadioOf(child: string): string;
  /** "7:00", "7:00 tomorrow", "7:00 on Saturday", "midnight": a time as an answer says it. */
  time(t: SpokenTime): string;
  /** "42 minutes", "1 hour and 5 minutes". */
  duration(seconds: number): string;
  /** "Mia and Ben", "Mia, Ben or Leo". */
  list(items: string[], last: "and" | "or"): string;
  answers: VoiceAnswers;
  /** The blueprint's own words: its name and description, each trigger's input, and what it says when the service is silent. */
  blueprint: {
    name: string;
    description: string;
    baseTopic: {name: string; description: string};
    answerWithin: {name: string; description: string};
    triggers: Record<VoiceTrigger, {name: string; description: string}>;
    noAnswer: string;
  };
}

/** "A, B and C" with the language's own word. */
export function joinList(items: string[], word: string): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${word} ${items.at(-1)}`;
}
