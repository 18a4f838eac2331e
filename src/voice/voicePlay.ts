import {errorMessage} from "../core/errors.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {type VoiceTurn, within} from "./voiceContext.js";
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
export async function play(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const {what, target} = heardSplit(turn);
  if (target.kind !== "player") return turn.notAPlayer(target);
  const {player, child} = target;
  let meant = whatIsMeant(what, turn.lang, await turn.deps.choices(), turn.deps.titles);
  // A card bought a minute ago is not in a catalogue read before it: read again, once, before "not found".
  if (meant.kind === "not_found") {
    // At most a moment's wait: Home Assistant waits only seconds, and Yoto may be slow or failing.
    const fresh = await within(turn.deps.choices(true), FRESH_READ_MS).catch(() => ({done: false as const}));
    if (fresh.done) meant = whatIsMeant(what, turn.lang, fresh.value, turn.deps.titles);
  }
  if (meant.kind === "one_more_story") return oneMoreStory(turn, target);
  if (meant.kind === "nothing_said") return turn.say("not_found", a.whatToPlay(), turn.about(player, child));
  if (meant.kind === "not_found")
    return turn.say(
      "not_found",
      meant.closest ? a.didYouMean({what: meant.what, title: meant.closest.title}) : a.notFound({what: meant.what}),
      turn.about(player, child),
    );
  const title = meant.choice.title;
  const blocked = await refusal(turn, player, child, `play '${title}'`);
  if (blocked) return {...blocked, title};
  const unreachable = reachable(turn, player, child);
  if (unreachable) return {...unreachable, title};
  const where = turn.where(player, child);
  const extra = {...turn.about(player, child), title};
  try {
    const done = await within(turn.deps.play(player.id, meant.choice), turn.deps.answerWithinMs);
    return done.done
      ? turn.say("played", a.playing({title, where}), extra)
      : turn.say("pending", a.stillWaiting({title, where}), extra);
  } catch (err) {
    return turn.say("failed", a.failed({where}), {...extra, error: errorMessage(err)});
  }
}

/**
 * The parents' rules, said: bedtime and a used-up budget in the child's words, other quiet as the
 * player's. The refusal goes into the child's journal as any refusal does. Undefined: it may play.
 */
export async function refusal(
  turn: VoiceTurn,
  player: PlayerState,
  child: string | undefined,
  asked: string,
): Promise<VoiceAnswer | undefined> {
  const why = turn.deps.quietRefusal(player.id);
  if (why === undefined) return undefined;
  const a = turn.lang.answers;
  const view = child ? turn.view(child) : undefined;
  const untilMs = view?.quiet_until ? Date.parse(view.quiet_until) : turn.deps.quietUntil(player.id);
  const until = turn.time(untilMs ?? turn.deps.now());
  const speech =
    child && view?.quiet_reason === "bedtime"
      ? a.asleep({child, until})
      : child && view?.quiet_reason === "budget"
        ? a.budgetUsed({child, until})
        : a.quietPlayer({where: turn.where(player, child), until});
  await turn.deps.refusals.note(player.id, `A voice request to ${asked} was refused: ${why}`);
  return turn.say("refused", speech, turn.about(player, child));
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
 * the title "tone fm in the living room" and no name. Where the name as heard is nobody, each later
 * split of it is tried; where nobody is named, a name at the end of the title; the first split that
 * names someone is taken.
 */
function heardSplit(turn: VoiceTurn): {what?: string; target: Target} {
  const {what, who} = turn.asked.slots;
  const first = turn.resolve(who);
  const joiners = turn.lang.words.joiners;
  const isJoiner = (word: string | undefined) => word !== undefined && joiners.includes(word.toLowerCase());
  if (first.kind === "unknown" && who) {
    const words = who.split(/\s+/).slice(0, 40);
    // The words between the title and the name as said: the joiner the template took.
    const sentence = turn.asked.sentence;
    const from = what ? sentence.indexOf(what) : -1;
    const to = from < 0 ? -1 : sentence.indexOf(who, from + (what?.length ?? 0));
    const joiner = to < 0 ? " " : sentence.slice(from + (what?.length ?? 0), to);
    for (let i = 1; i < words.length - 1; i++) {
      if (!isJoiner(words[i])) continue;
      const target = turn.resolve(words.slice(i + 1).join(" "));
      if (target.kind === "player") return {what: `${what ?? ""}${joiner}${words.slice(0, i).join(" ")}`, target};
    }
  }
  if (what && !nobodyNamed(turn, who)) return {what, target: first};
  const words = (what ?? "").split(/\s+/).slice(0, 40);
  for (let i = words.length - 2; i >= 1; i--) {
    if (!isJoiner(words[i])) continue;
    const target = turn.resolve(words.slice(i + 1).join(" "));
    if (target.kind === "player" && !nobodyNamed(turn, words.slice(i + 1).join(" ")))
      return {what: words.slice(0, i).join(" "), target};
  }
  return {what, target: first};
}

/** Whether a name as heard names nobody ("the", "my", nothing): the satellite's room decides then. */
function nobodyNamed(turn: VoiceTurn, who: string | undefined): boolean {
  return turn.nameKey(who) === "";
}
