import {AppError, errorMessage} from "../core/errors.js";
import {within} from "../core/within.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {Admission} from "../yoto/admission.js";
import type {VoiceTurn} from "./voiceContext.js";
import {reachablePlayer, refusal} from "./voicePlay.js";

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
  const a = turn.lang.answers;
  const meant = reachablePlayer(turn);
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
export async function stopAll(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  // Every Yoto is more than an assistant given some children may touch.
  if (turn.scope) return turn.notGranted();
  const busy = turn.deps.players.list().filter((p) => p.online && HOLDING.has(p.playback.status));
  if (busy.length === 0) return turn.say("answered", a.nothingPlayingAnywhere());
  if (turn.deps.players.cloud.state !== "connected") return turn.say("offline", a.cloudDown());
  const results = await Promise.allSettled(
    busy.map((p) => within(turn.deps.players.command(p.id, {command: "stop"}), turn.deps.answerWithinMs)),
  );
  // Refused, or not confirmed in time: either way the family hears which did not answer.
  const failed = busy
    .filter((_, i) => {
      const r = results[i];
      return r?.status !== "fulfilled" || !r.value.done;
    })
    .map((p) => p.name);
  const count = busy.length - failed.length;
  return failed.length ? turn.say("failed", a.stoppedSome({count, failed})) : turn.say("done", a.stoppedAll({count}));
}
