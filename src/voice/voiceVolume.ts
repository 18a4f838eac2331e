import {errorMessage} from "../core/errors.js";
import {within} from "../core/within.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import {VOLUME_PERCENTS, VOLUME_STEPS} from "../yoto/playerModel.js";
import type {VoiceLanguage} from "./languages/language.js";
import {quoted, spokenKey} from "./spokenText.js";
import type {VoiceTurn} from "./voiceContext.js";
import {reachable} from "./voicePlay.js";

/**
 * Louder, quieter, or a volume said ("five", "8", "50 percent"), in the player's own steps (0 to 16)
 * and never past the most the player allows now: the plan's evening and night maximums are the
 * player's max volume in force, as the child's page keeps them. Quieter never needs the plan.
 */
export async function volume(
  turn: VoiceTurn,
  trigger: "volume_up" | "volume_down" | "volume_set",
): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const meant = turn.player();
  if ("speech" in meant) return meant;
  const {player, child, where, about} = meant;
  const unreachable = reachable(turn, player, child);
  if (unreachable) return unreachable;
  const max = Math.min(VOLUME_STEPS, player.volume.max ?? VOLUME_STEPS);
  const level = player.volume.level ?? 0;
  let wanted: number;
  if (trigger === "volume_set") {
    const heard = turn.asked.slots.level ?? "";
    const said = volumeSaid(heard, turn.lang);
    if (said === undefined) return turn.say("not_found", a.volumeWhat({heard: quoted(heard, 40), max}), about);
    wanted = said;
  } else wanted = trigger === "volume_up" ? level + 1 : level - 1;
  if (trigger === "volume_up" && level >= max) return turn.say("answered", a.volumeAtMax({where, max}), about);
  const steps = Math.max(0, Math.min(max, wanted));
  try {
    const sent = await within(
      turn.deps.players.command(player.id, {command: "volume", percent: VOLUME_PERCENTS[steps] as number}),
      turn.deps.answerWithinMs,
    );
    if (!sent.done) return turn.say("pending", a.askedPlayer({where}), about);
  } catch (err) {
    return turn.say("failed", a.failed({where}), {...about, error: errorMessage(err)});
  }
  return turn.say("done", a.volumeAt({where, level: steps, max}), about);
}

/**
 * A volume as said: a step ("5", "five"), or a percentage ("50 percent", "50%", or a number past the
 * steps) turned into the nearest step. Undefined when no number is in it.
 */
export function volumeSaid(heard: string, lang: VoiceLanguage): number | undefined {
  const raw = heard.slice(0, 40).toLowerCase();
  const percent = lang.words.percent.some((p) => raw.includes(p));
  const key = spokenKey(raw);
  const digits = /\d{1,3}/.exec(key)?.[0];
  const number =
    digits !== undefined
      ? Number(digits)
      : key
          .split(" ")
          .map((w) => lang.words.numbers.indexOf(w))
          .find((n) => n >= 0);
  if (number === undefined) return undefined;
  if (!percent && number <= VOLUME_STEPS) return number;
  const share = Math.min(100, number);
  return Math.round((share / 100) * VOLUME_STEPS);
}
