import {cleanTitle} from "../core/cleanTitle.js";
import {within} from "../core/within.js";
import {shelfRef} from "../family/shelfField.js";
import {asked} from "../gate/playGate.js";
import type {GateAnswer} from "../gate/types.js";
import {CatalogueIndex} from "../playing/catalogueIndex.js";
import type {CatalogueEntry} from "../playing/types.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {Admission} from "../yoto/admission.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {storyRadioOf} from "./childChoices.js";
import {quoted, spokenKey, withoutLeading} from "./spokenText.js";
import {isStoryRadio, titleOf} from "./spokenTitle.js";
import type {VoiceTurn} from "./voiceContext.js";
import {severalNamed} from "./voiceMany.js";
import {askAgain, atPlace, offeredFor} from "./voiceOffers.js";
import {oneMoreStory} from "./voiceQuestions.js";
import {whatIsMeant} from "./whatIsMeant.js";
import type {Target} from "./whoIsMeant.js";

/** How long a title not found waits for the family's cards read again. */
const FRESH_READ_MS = 1500;

/**
 * "Play the sleepy dragon on Mia's Yoto": who is meant, then what, then the parents' rules (a
 * refusal is said with its reason and end, written in the child's journal, and nothing plays),
 * then the play, answered once the player has taken it (or, if it is slow, that it was asked).
 */
export async function play(turn: VoiceTurn, commands: Commands): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  // "For Mia and Ben": one play goes to one Yoto. Which is asked, rather than guessed or played twice.
  const several = severalNamed(turn);
  if (several) {
    const choices = turn.lang.list(
      several.map((t) => turn.where(t.player, t.child)),
      "or",
    );
    return turn.say("which", a.oneAtATime({choices}));
  }
  const heard = heardSplit(turn);
  const {what} = heard;
  let target = heard.target;
  const meantIn = (all: readonly CatalogueEntry[], child?: string) => meaningFor(turn, what, all, child);
  const all = await turn.deps.choices();
  let meant = await meantIn(all, childOf(target));
  if (meant.kind === "ordinal") {
    // "Play the second one": from the titles this satellite named within the minute, for whom they were named.
    const {offer} = turn;
    if (!offer) return turn.say("not_found", a.nothingOffered());
    const choice = atPlace(offer, meant.index);
    if (!choice) return askAgain(turn, offer, offer.options);
    // A choice named for Mia is Mia's (her story radio among it): for Ben, it is asked again.
    const taker = offeredFor(turn, offer, target, heard.named);
    if ("speech" in taker) return taker;
    target = taker;
    meant = {kind: "play", choice};
  }
  if (target.kind !== "player") return turn.notAPlayer(target);
  const {player, child} = target;
  // A thing of the house said whole ("das Licht", "the fan") is never a title, even where one holds the word.
  if (what && houseThing(what, turn))
    return turn.say("not_found", a.notAYotos({what: quoted(what, 60)}), turn.about(player, child));
  // A card bought a minute ago is not in a catalogue read before it: read again, once, before "not found".
  if (meant.kind === "not_found") {
    // At most a moment's wait: Home Assistant waits only seconds, and Yoto may be slow or failing.
    const fresh = await within(turn.deps.choices(true), FRESH_READ_MS).catch(() => ({done: false as const}));
    if (fresh.done) meant = await meantIn(fresh.value, child);
  }
  // A command said where a title goes ("play the next chapter"), or "one more story", is that request.
  if (meant.kind === "command") return turn.actingAs(meant.command, () => commands(meant.command, target));
  if (meant.kind === "one_more_story") return turn.actingAs("one_more_story", () => oneMoreStory(turn, target));
  if (meant.kind === "nothing_said") return turn.say("not_found", a.whatToPlay(), turn.about(player, child));
  if (meant.kind === "not_found") {
    // "Did you mean The Purple Balloon?": an offer of one, so "yes" (the choose trigger) plays it.
    if (meant.closest) keepOffer(turn, [meant.closest], player, child, meant.what);
    return turn.say(
      "not_found",
      meant.closest
        ? a.didYouMean({what: meant.what, title: titleOf(turn.lang, meant.closest)})
        : houseThing(meant.what, turn)
          ? a.notAYotos({what: meant.what})
          : a.notFound({what: meant.what}),
      turn.about(player, child),
    );
  }
  if (meant.kind === "choose") {
    keepOffer(turn, meant.options, player, child, what ?? "");
    return turn.say(
      "which",
      a.choose({titles: meant.options.map((o) => titleOf(turn.lang, o))}),
      turn.about(player, child),
    );
  }
  let choice: CatalogueEntry;
  if (meant.kind === "something") {
    const picked = fromShelf(turn, child, storyRadioOf(all, child, turn.lang.words.storyRadio));
    if (!picked)
      return turn.say("not_found", child ? a.emptyShelf({child}) : a.whatToPlay(), turn.about(player, child));
    choice = picked;
  } else if (meant.kind === "play") {
    if (child && isStoryRadio(meant.choice) && !radioHasSomething(turn, child))
      return turn.say("not_found", a.storyRadioEmpty({child}), turn.about(player, child));
    choice = meant.choice;
  } else return turn.say("not_found", a.nothingOffered(), turn.about(player, child));
  return playChoice(turn, player, child, choice);
}

/** The control a command said as a title is (voiceControls.ts), handed in by the one who routes requests. */
export type Commands = (
  command: "next" | "previous" | "resume",
  target: Extract<Target, {kind: "player"}>,
) => Promise<VoiceAnswer>;

/** What `what` means among `all` for `child`: a thing found by another of its titles is the thing, by its title. */
async function meaningFor(turn: VoiceTurn, what: string | undefined, all: readonly CatalogueEntry[], child?: string) {
  const {choices, also} = turn.deps.childChoices.for(all, child, turn.lang.words.storyRadio);
  // Titles not yet worked out (a catalogue changed, the first request) a slice at a time, the loop free between.
  await turn.deps.titles.prepare(choices, turn.lang);
  return also.familyTitled(whatIsMeant(what, turn.lang, choices, turn.deps.titles));
}

/**
 * Whether what was said with "resume" or "continue" names something to play ("resume the sleepy
 * dragon on Mia's Yoto"), not what is on ("resume the story", "continue my audiobook").
 */
export async function namesATitle(turn: VoiceTurn): Promise<boolean> {
  if (!turn.what || onlyKindWords(turn.what, turn.lang)) return false;
  const {target} = heardSplit(turn);
  const meant = await meaningFor(turn, turn.what, await turn.deps.choices(), childOf(target));
  return meant.kind === "play" || meant.kind === "choose";
}

/** The chosen thing played through the gate, and said: played, asked, refused with its reason, offline. */
export async function playChoice(
  turn: VoiceTurn,
  player: PlayerState,
  child: string | undefined,
  choice: CatalogueEntry,
): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  // Story radio is matched by its name ("story radio") and said as the child's ("Mia's story radio").
  const named = child && isStoryRadio(choice) ? {...choice, title: turn.lang.storyRadioOf(child)} : choice;
  // The answer's title is the clean one it says (without the quotation marks): a feed's is anyone's text.
  const title = cleanTitle(named.title);
  const said = titleOf(turn.lang, named);
  const answer = await turn.deps.gate.play(player, {...turn.route(), what: asked(title, "Play")}, (admission) =>
    turn.deps.play(player.id, choice, admission),
  );
  const where = turn.where(player, child);
  const extra = {...turn.about(player, child), title};
  switch (answer.outcome) {
    case "refused":
      return {...refusalSaid(turn, player, child, answer), title};
    case "offline":
      return turn.say("offline", answer.reason === "cloud" ? a.cloudDown() : a.offline({where}), extra);
    case "played":
      return turn.say("played", a.playing({title: said, where}), extra);
    case "pending":
      return turn.say("pending", a.stillWaiting({title: said, where}), extra);
    default:
      return turn.say("failed", a.failed({where}), {...extra, error: answer.error ?? answer.text});
  }
}

/**
 * "Something for Mia": one of the things on Mia's shelf, at random, as her story radio picks (her
 * story radio's own tile aside); without a child, one of the family's cards.
 */
function fromShelf(
  turn: VoiceTurn,
  child: string | undefined,
  all: readonly CatalogueEntry[],
): CatalogueEntry | undefined {
  const random = turn.deps.random ?? Math.random;
  const pickOne = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  if (!child) return pickOne(all.filter((c) => c.kind === "card"));
  const index = new CatalogueIndex(all, []);
  const shelf = (turn.view(child)?.plan.shelf ?? []).flatMap((ref) => {
    const {prefix, name} = shelfRef(ref);
    if (prefix === "radio") return [];
    const found = index.find(prefix === "library" ? "item" : prefix, name);
    return found ? [found] : [];
  });
  return pickOne(shelf);
}

/** Story radio plays the shelf's library items, streams and podcasts: a shelf of cards alone gives it nothing. */
function radioHasSomething(turn: VoiceTurn, child: string): boolean {
  const shelf = turn.view(child)?.plan.shelf ?? [];
  // Story radio's own reading: a shelf of items gone from the library plays nothing (the player
  // would start and stop two seconds later after "Playing Ben's story radio").
  if (turn.deps.storyRadioPlays) return turn.deps.storyRadioPlays(child, shelf);
  return shelf.some((ref) => {
    const {prefix} = shelfRef(ref);
    return prefix === "library" || prefix === "stream";
  });
}

/** "The podcast", "my audiobook", "the music": what is on, by its kind, never a title to find. */
function onlyKindWords(what: string, lang: VoiceTurn["lang"]): boolean {
  const {words, grammar} = lang;
  const kinds = [
    ...words.hints,
    ...Object.values(words.kinds).flat(),
    ...(grammar.words.thing ?? []),
    ...(grammar.words.unit ?? []),
  ];
  const generic = new Set(kinds.flatMap((k) => spokenKey(k).split(" ")));
  const said = spokenKey(what)
    .split(" ")
    .filter((w) => w && !words.leading.includes(w) && !words.polite.includes(w));
  return said.every((w) => generic.has(w));
}

const childOf = (target: Target) => (target.kind === "player" ? target.child : undefined);

/** What was named to choose from, kept for this satellite: "the second one" or "yes" said next takes from it. */
function keepOffer(
  turn: VoiceTurn,
  options: CatalogueEntry[],
  player: PlayerState,
  child: string | undefined,
  what: string,
): void {
  turn.deps.offers.keep(turn.asked.deviceId, {options, playerId: player.id, ...(child ? {child} : {}), what});
}

/**
 * The parents' rules, asked at the gate for something that starts sound ("Play again", "Next"):
 * a refusal is said with its reason and end, and the gate writes it in the child's journal.
 * Undefined: it may play.
 */
export async function refusal(
  turn: VoiceTurn,
  player: PlayerState,
  child: string | undefined,
  what: string,
): Promise<{said: VoiceAnswer} | {admitted: Admission}> {
  const asked = await turn.deps.gate.check(player.id, {...turn.route(), what});
  return "refused" in asked ? {said: refusalSaid(turn, player, child, asked.refused)} : asked;
}

/** A refusal said: bedtime and a used-up budget in the child's words, other quiet as the player's. */
export function refusalSaid(
  turn: VoiceTurn,
  player: PlayerState,
  child: string | undefined,
  refused: GateAnswer,
): VoiceAnswer {
  const a = turn.lang.answers;
  const view = child ? turn.view(child) : undefined;
  const untilMs = view?.quiet_until ? Date.parse(view.quiet_until) : refused.until;
  // Nothing says until when (a max volume of 0 with no quiet behind it): not "until" the time asked.
  if (untilMs === undefined)
    return turn.say("refused", a.quietNoEnd({where: turn.where(player, child)}), turn.about(player, child));
  const until = turn.time(untilMs);
  const speech =
    child && view?.quiet_reason === "bedtime"
      ? a.asleep({child, until})
      : child && view?.quiet_reason === "budget"
        ? a.budgetUsed({child, until})
        : a.quietPlayer({where: turn.where(player, child), until});
  return turn.say("refused", speech, turn.about(player, child));
}

/** The player a control is for, within reach; or the answer that says who is unknown, or that it is offline. */
export function reachablePlayer(turn: VoiceTurn): Exclude<ReturnType<VoiceTurn["player"]>, VoiceAnswer> | VoiceAnswer {
  const meant = turn.player();
  if ("speech" in meant) return meant;
  return reachable(turn, meant.player, meant.child) ?? meant;
}

/** Offline, or Yoto out of reach: said at once rather than after a command's long wait. */
export function reachable(turn: VoiceTurn, player: PlayerState, child?: string): VoiceAnswer | undefined {
  const a = turn.lang.answers;
  if (turn.deps.players.cloud.state !== "connected")
    return turn.say("offline", a.cloudDown(), turn.about(player, child));
  if (!player.online)
    return turn.say("offline", a.offline({where: turn.where(player, child)}), turn.about(player, child));
  return undefined;
}

/**
 * HA's wildcards split a sentence at the first word that fits: "play goodnight on the moon on Mia's
 * Yoto" gives the name "the moon on Mia's", and "play tone fm in the living room on the yoto" gives
 * the title "tone fm in the living room" and no name. Where the name as heard is nobody, the name
 * after a joining word in it is taken and the words before go back to the title; where nobody is
 * named, a name after a joining word at the end of the title. `named`: someone was named at all
 * (else the satellite's room decided).
 */
function heardSplit(turn: VoiceTurn): {what?: string; target: Target; named: boolean} {
  const {what, who} = turn;
  const first = turn.resolve(who);
  // An assistant's title and name are whole as given: "Songs for Mia" is a title, not a name after it.
  if (turn.asked.structured) return {what, target: first, named: !turn.nobodyNamed(who)};
  const isPlayer = (t: Target) => t.kind === "player";
  if (first.kind === "unknown" && who) {
    const found = turn.afterJoiner(who, isPlayer);
    if (found?.before.length) {
      // The words between the title and the name as said: the joiner the template took.
      const sentence = turn.asked.sentence;
      const from = what ? sentence.indexOf(what) : -1;
      const to = from < 0 ? -1 : sentence.indexOf(who, from + (what?.length ?? 0));
      const joiner = to < 0 ? " " : sentence.slice(from + (what?.length ?? 0), to);
      return {what: `${what ?? ""}${joiner}${found.before.join(" ")}`, target: found.target, named: true};
    }
  }
  if (!what || !turn.nobodyNamed(who)) return {what, target: first, named: !turn.nobodyNamed(who)};
  // The name found must name someone (not "the", which the room would answer), and leave a title.
  const found = turn.afterJoiner(what, (t, name) => isPlayer(t) && !turn.nobodyNamed(name));
  return found?.before.length
    ? {what: found.before.join(" "), target: found.target, named: true}
    : {what, target: first, named: false};
}

/**
 * "Mach bei Mia das Licht an" fits play's "mach … für/bei <child> an": the light is not a title,
 * and the answer says how to say it so Home Assistant does it (with the room).
 */
function houseThing(what: string, turn: VoiceTurn): boolean {
  const words = turn.lang.words;
  return words.houseThings.includes(withoutLeading(spokenKey(what), words.leading));
}
