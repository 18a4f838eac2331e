import {AppError, errorMessage} from "../core/errors.js";
import {within} from "../core/within.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {Admission} from "../yoto/admission.js";
import type {VoiceTurn} from "./voiceContext.js";
import {everyYoto, meansEveryone, severalNamed, together} from "./voiceMany.js";
import {reachable, reachablePlayer, refusal} from "./voicePlay.js";
import type {Target} from "./whoIsMeant.js";

const PLAYING = new Set(["playing", "loading"]);
const HOLDING = new Set(["playing", "loading", "paused"]);
/** What the journal calls a control that starts sound, when the plan refuses it. */
const STARTS = {resume: "Play again", next: "Next", previous: "Previous"};

/**
 * Pause, resume, stop and next on someone's Yoto. Resume and next start sound, so the parents'
 * rules are asked first; pause, stop and next with nothing playing are said, not sent.
 */
export async function control(
  turn: VoiceTurn,
  command: "pause" | "resume" | "stop" | "next" | "previous",
): Promise<VoiceAnswer> {
  // "Stop everything", "pause Mia and Ben": every Yoto, or each one named.
  if (command === "stop" || command === "pause") {
    // "Switch off every Yoto" heard by stop is stop_all's work; pausing all has no trigger of its own.
    if (meansEveryone(turn))
      return command === "stop" ? turn.actingAs("stop_all", () => everyYoto(turn, command)) : everyYoto(turn, command);
    const several = severalNamed(turn);
    if (several) return together(turn, command, await Promise.all(several.map((target) => one(turn, command, target))));
  }
  return one(turn, command);
}

/**
 * A control said where a title goes ("play the next chapter for Mia on the Yoto"), on the Yoto
 * the play found: the request's own name may be none of it.
 */
export function controlOn(
  turn: VoiceTurn,
  command: "next" | "previous" | "resume",
  target: Extract<Target, {kind: "player"}>,
): Promise<VoiceAnswer> {
  return one(turn, command, target);
}

/** The control on one Yoto: the one the request names, or `target`. */
async function one(
  turn: VoiceTurn,
  command: "pause" | "resume" | "stop" | "next" | "previous",
  target?: Extract<Target, {kind: "player"}>,
): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const meant = target ? onTarget(turn, target) : reachablePlayer(turn);
  if ("speech" in meant) return meant;
  const {player, child, where, about} = meant;
  const status = player.playback.status;
  if ((command === "pause" && !PLAYING.has(status)) || (command !== "resume" && !HOLDING.has(status)))
    return turn.say("answered", a.nothingPlaying({where}), about);
  let admission: Admission | undefined;
  if (command === "resume" || command === "next" || command === "previous") {
    const asked = await refusal(turn, player, child, STARTS[command]);
    if ("said" in asked) return asked.said;
    admission = asked.admitted;
  }
  try {
    // An admission was asked for exactly the commands that start sound.
    const sending = admission
      ? turn.deps.players.command(player.id, {command}, admission)
      : turn.deps.players.command(player.id, {command: command as "pause" | "stop"});
    const sent = await within(sending, turn.deps.answerWithinMs);
    if (!sent.done) return turn.say("pending", a.askedPlayer({where}), about);
  } catch (err) {
    // Next on the last track (or a radio card): trying again would not help.
    if (err instanceof AppError && err.code === "no_track")
      return turn.say("answered", command === "previous" ? a.firstOne({where}) : a.lastOne({where}), about);
    return turn.say("failed", a.failed({where}), {...about, error: errorMessage(err)});
  }
  const said = {pause: a.paused, resume: a.resumed, stop: a.stopped, next: a.skipped, previous: a.skippedBack}[command](
    {
      where,
    },
  );
  return turn.say("done", said, about);
}

/** "Stop all the Yotos": every player with something on it, at once; the answer counts them. */
export function stopAll(turn: VoiceTurn): Promise<VoiceAnswer> {
  return everyYoto(turn, "stop");
}

/** A Yoto named among several, within reach; or the answer that says it is offline. */
function onTarget(turn: VoiceTurn, {player, child}: Extract<Target, {kind: "player"}>) {
  const meant = {player, child, where: turn.where(player, child), about: turn.about(player, child)};
  return reachable(turn, player, child) ?? meant;
}
