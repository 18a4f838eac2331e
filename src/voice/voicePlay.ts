import {within} from "../core/within.js";
import {STORY_RADIO_PREFIX, storyRadioStream} from "../family/shelfField.js";
import {asked} from "../playing/playGate.js";
import type {GateAnswer, PlayChoice} from "../playing/types.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {VoiceTurn} from "./voiceContext.js";
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
  const forChild = (all: PlayChoice[]) => storyRadioOf(all, child, turn.lang.words.storyRadio);
  let meant = whatIsMeant(what, turn.lang, forChild(await turn.deps.choices()), turn.deps.titles);
  // A card bought a minute ago is not in a catalogue read before it: read again, once, before "not found".
  if (meant.kind === "not_found") {
    // At most a moment's wait: Home Assistant waits only seconds, and Yoto may be slow or failing.
    const fresh = await within(turn.deps.choices(true), FRESH_READ_MS).catch(() => ({done: false as const}));
    if (fresh.done) meant = whatIsMeant(what, turn.lang, forChild(fresh.value), turn.deps.titles);
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
  const answer = await turn.deps.gate.play(player, {route: "voice", what: asked(title, "Play")}, () =>
    turn.deps.play(player.id, meant.choice),
  );
  const where = turn.where(player, child);
  const extra = {...turn.about(player, child), title};
  switch (answer.outcome) {
    case "refused":
      return {...refusalSaid(turn, player, child, answer), title};
    case "offline":
      return turn.say("offline", answer.reason === "cloud" ? a.cloudDown() : a.offline({where}), extra);
    case "played":
      return turn.say("played", a.playing({title, where}), extra);
    case "pending":
      return turn.say("pending", a.stillWaiting({title, where}), extra);
    default:
      return turn.say("failed", a.failed({where}), {...extra, error: answer.error ?? answer.text});
  }
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
): Promise<VoiceAnswer | undefined> {
  const refused = await turn.deps.gate.admit(player.id, {route: "voice", what});
  return refused ? refusalSaid(turn, player, child, refused) : undefined;
}

/** A refusal said: bedtime and a used-up budget in the child's words, other quiet as the player's. */
function refusalSaid(
  turn: VoiceTurn,
  player: PlayerState,
  child: string | undefined,
  refused: GateAnswer,
): VoiceAnswer {
  const a = turn.lang.answers;
  const view = child ? turn.view(child) : undefined;
  const untilMs = view?.quiet_until ? Date.parse(view.quiet_until) : refused.until;
  const until = turn.time(untilMs ?? turn.deps.now());
  const speech =
    child && view?.quiet_reason === "bedtime"
      ? a.asleep({child, until})
      : child && view?.quiet_reason === "budget"
        ? a.budgetUsed({child, until})
        : a.quietPlayer({where: turn.where(player, child), until});
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
 * the title "tone fm in the living room" and no name. Where the name as heard is nobody, the name
 * after a joining word in it is taken and the words before go back to the title; where nobody is
 * named, a name after a joining word at the end of the title.
 */
function heardSplit(turn: VoiceTurn): {what?: string; target: Target} {
  const {what, who} = turn.asked.slots;
  const first = turn.resolve(who);
  const isPlayer = (t: Target) => t.kind === "player";
  if (first.kind === "unknown" && who) {
    const found = turn.afterJoiner(who, isPlayer);
    if (found?.before.length) {
      // The words between the title and the name as said: the joiner the template took.
      const sentence = turn.asked.sentence;
      const from = what ? sentence.indexOf(what) : -1;
      const to = from < 0 ? -1 : sentence.indexOf(who, from + (what?.length ?? 0));
      const joiner = to < 0 ? " " : sentence.slice(from + (what?.length ?? 0), to);
      return {what: `${what ?? ""}${joiner}${found.before.join(" ")}`, target: found.target};
    }
  }
  if (!what || !turn.nobodyNamed(who)) return {what, target: first};
  // The name found must name someone (not "the", which the room would answer), and leave a title.
  const found = turn.afterJoiner(what, (t, name) => isPlayer(t) && !turn.nobodyNamed(name));
  return found?.before.length ? {what: found.before.join(" "), target: found.target} : {what, target: first};
}

/**
 * Story radio is the child's own: "play story radio for Ben" is Ben's (`story-radio-ben`), titled
 * as the language says it; another child's is not among the choices at all.
 */
function storyRadioOf(all: PlayChoice[], child: string | undefined, title: string): PlayChoice[] {
  const own = child ? storyRadioStream(child) : undefined;
  return all.flatMap((c) =>
    c.kind !== "stream" || !c.id.startsWith(STORY_RADIO_PREFIX) ? [c] : c.id === own ? [{...c, title}] : [],
  );
}
