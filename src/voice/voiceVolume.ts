import {errorMessage} from "../core/errors.js";
import {within} from "../core/within.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import {VOLUME_PERCENTS, VOLUME_STEPS} from "../yoto/playerModel.js";
import type {VoiceLanguage} from "./languages/language.js";
import {MAX_HEARD, quoted, spokenKey} from "./spokenText.js";
import type {VoiceTurn} from "./voiceContext.js";
import {reachablePlayer, refusalSaid} from "./voicePlay.js";

/**
 * Louder or quieter (one step, or as much as was said), or a volume said ("five", "8", "50 percent"),
 * in the player's own steps (0 to 16) and never past the most the player allows now: the plan's evening and night maximums are the
 * player's max volume in force, as the child's page keeps them. Quieter never needs the plan.
 */
export async function volume(
  turn: VoiceTurn,
  trigger: "volume_up" | "volume_down" | "volume_set",
): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const meant = reachablePlayer(turn);
  if ("speech" in meant) return meant;
  const {player, where, about} = meant;
  const max = Math.min(VOLUME_STEPS, player.volume.max ?? VOLUME_STEPS);
  // Quiet holds the player's max volume at 0: said as the quiet it is, not as "0 of 0", and until
  // when it holds (quiet hours a parent set included), never the time it was asked.
  if (max === 0) {
    const until = turn.deps.gate.heldUntil(player.id);
    return refusalSaid(turn, player, meant.child, {outcome: "refused", text: "", ...(until ? {until} : {})});
  }
  const level = player.volume.level ?? 0;
  let wanted: number;
  if (trigger === "volume_set") {
    // A level the sentence wrote as its words ("volume 3 on Mia's Yoto") comes in no slot: read from the sentence.
    const heard =
      turn.asked.slots.level ?? (turn.asked.structured ? "" : levelInSentence(turn.asked.sentence, turn.lang));
    const said = volumeSaid(heard, turn.lang);
    if (said === undefined) return turn.say("not_found", a.volumeWhat({heard: quoted(heard, 40), max}), about);
    wanted = said;
  } else {
    // As much as was said, a share of the whole as Home Assistant's volume step is ("by 25 percent",
    // "um 10": 10 %), in the player's steps and at least one; one step when no amount is.
    const by = turn.asked.structured
      ? undefined
      : volumeSaid(percentOf(amountInSentence(turn.asked.sentence, turn.lang)), turn.lang);
    const step = Math.max(1, by ?? 1);
    wanted = trigger === "volume_up" ? level + step : level - step;
  }
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
 * A volume as said: a step ("5", "five"), a percentage ("50 percent", "fifty percent", "75%", or a
 * number past the steps up to 100, "one hundred") turned into the nearest step, or the most or least
 * ("maximum", "die niedrigste Stufe"). Undefined when no
 * volume is in it: no number, a negative one ("-5", "minus five"), one past 100, or a number that
 * is not a plain one ("1e9", "5.5").
 */
export function volumeSaid(heard: string, lang: VoiceLanguage): number | undefined {
  const raw = heard.slice(0, 40).toLowerCase();
  if (/[-−]\s*\d|\d\s*[.,e]\s*\d|\bminus\b/.test(raw)) return undefined;
  const percent = lang.words.percent.some((p) => raw.includes(p));
  const key = spokenKey(raw);
  const words = key.split(" ");
  // "Maximum" is the most the player allows now (the caller keeps it there); "minimum" one step, as Home Assistant's 1 %.
  if (words.some((w) => lang.words.loudest.includes(w))) return VOLUME_STEPS;
  if (words.some((w) => lang.words.quietest.includes(w))) return 1;
  const number = numberSaid(key, lang);
  if (number === undefined || number > 100) return undefined;
  if (!percent && number <= VOLUME_STEPS) return number;
  return Math.round((number / 100) * VOLUME_STEPS);
}

/**
 * The level a sentence wrote in its own words, where no slot holds it ("volume 3 on Mia's Yoto",
 * "Lautstärke im Kinderzimmer 2 auf drei"): its last number, with "percent" when said after it.
 * Never "max" or "min" (a child may be called Max) nor anything but a plain number. One pass.
 */
export function levelInSentence(sentence: string, lang: VoiceLanguage): string {
  const words = heardWords(sentence);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i] as string;
    const digits = /^(\d{1,3})(%?)$/.exec(word);
    if (!digits && !lang.words.numbers.includes(word)) continue;
    const after = words[i + 1] ?? "";
    const percent = digits?.[2] === "%" || lang.words.percent.includes(after);
    return `${digits ? digits[1] : word}${percent ? "%" : ""}`;
  }
  return "";
}

/** A sentence's words, lower case, each without the punctuation a speech engine ends it with ("3.", "drei?"). */
function heardWords(sentence: string): string[] {
  return sentence
    .slice(0, MAX_HEARD)
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[.,!?;:]+$/, ""));
}

/** An amount said bare ("by 10") as the percentage Home Assistant's relative volume means by it. */
const percentOf = (amount: string) => (amount === "" || amount.endsWith("%") ? amount : `${amount}%`);

/**
 * How much louder or quieter a sentence said: a number after "by" ("by 2", "um zwei") or one said
 * as a percentage ("25 percent louder"); "" for none, so a name with a number in it ("Room 2") is no amount.
 */
export function amountInSentence(sentence: string, lang: VoiceLanguage): string {
  const said = levelInSentence(sentence, lang);
  if (said === "" || said.endsWith("%")) return said;
  const words = heardWords(sentence);
  const at = words.lastIndexOf(said);
  return at > 0 && lang.words.by.includes(words[at - 1] as string) ? said : "";
}

/**
 * The number in what was heard: digits, or words ("seventy five", "one hundred", "fünfundzwanzig",
 * "hundert"), the language's own. One pass over the words.
 */
function numberSaid(key: string, lang: VoiceLanguage): number | undefined {
  const digits = /\d{1,4}/.exec(key)?.[0];
  if (digits !== undefined) return Number(digits);
  const {numbers, tens, hundred, numberJoiner} = lang.words;
  const known = (word: string) => numbers.includes(word) || tens.includes(word) || word === hundred;
  let total: number | undefined;
  for (const whole of key.split(" ")) {
    // German joins ones and tens: "fünfundzwanzig" is "fünf" and "zwanzig" (but "hundert" is one word).
    const words = known(whole) || !numberJoiner ? [whole] : whole.split(numberJoiner);
    for (const word of words) {
      const one = numbers.indexOf(word);
      const ten = tens.indexOf(word);
      if (one >= 0) total = (total ?? 0) + one;
      else if (ten >= 0) total = (total ?? 0) + (ten + 2) * 10;
      else if (word === hundred) total = (total ?? 1) * 100;
    }
  }
  return total;
}
