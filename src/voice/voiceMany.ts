import {within} from "../core/within.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {PlayerState} from "../yoto/playerModel.js";
import {nameForms} from "./spokenText.js";
import type {VoiceTurn} from "./voiceContext.js";
import {nameKey, type Target} from "./whoIsMeant.js";

const PLAYING = new Set(["playing", "loading"]);
const HOLDING = new Set(["playing", "loading", "paused"]);
/** A name is a few words: past this many, nothing is looked for in it. */
const MAX_WORDS = 40;

type PlayerTarget = Extract<Target, {kind: "player"}>;

/**
 * "Stop everything", "pause all", "alle": the name is every Yoto. A child or a Yoto called so
 * (however unlikely) is still itself.
 */
export function meansEveryone(turn: VoiceTurn): boolean {
  const key = nameKey(turn.who, turn.lang);
  if (!key || turn.resolve(turn.who).kind === "player") return false;
  return nameForms(key).some((form) => turn.lang.words.everyone.includes(form));
}

/**
 * "Mia and Ben", "Mia, Ben und Leo": several named at once, each a Yoto (a child's or by its name),
 * as the Yotos meant, each once; undefined when the whole is one name ("Tom and Jerry" a Yoto's) or
 * a part names nobody (the usual answer then says who is known). One pass over the words.
 */
export function severalNamed(turn: VoiceTurn): PlayerTarget[] | undefined {
  const who = turn.who;
  if (!who || turn.resolve(who).kind === "player") return undefined;
  const joiners = turn.lang.words.and;
  const parts: string[][] = [[]];
  for (const word of who.replaceAll(",", " , ").split(/\s+/).slice(0, MAX_WORDS)) {
    if (!word) continue;
    if (joiners.includes(word.toLowerCase())) parts.push([]);
    else parts.at(-1)?.push(word);
  }
  const names = parts.filter((p) => p.length > 0).map((p) => p.join(" "));
  if (names.length < 2) return undefined;
  const targets: PlayerTarget[] = [];
  for (const name of names) {
    const target = turn.target(name);
    if (target.kind !== "player") return undefined;
    if (!targets.some((t) => t.player.id === target.player.id)) targets.push(target);
  }
  return targets;
}

/**
 * Stop or pause every Yoto with something on it (to pause: playing), at once; the answer counts
 * them, and names any that did not answer in time.
 */
export async function everyYoto(turn: VoiceTurn, command: "stop" | "pause"): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  // Every Yoto is more than an assistant given some children may touch.
  if (turn.scope) return turn.notGranted();
  const on = command === "pause" ? PLAYING : HOLDING;
  const busy = turn.deps.players.list().filter((p) => p.online && on.has(p.playback.status));
  if (busy.length === 0) return turn.say("answered", a.nothingPlayingAnywhere());
  if (turn.deps.players.cloud.state !== "connected") return turn.say("offline", a.cloudDown());
  const results = await Promise.allSettled(
    busy.map((p) => within(turn.deps.players.command(p.id, {command}), turn.deps.answerWithinMs)),
  );
  // Refused, or not confirmed in time: either way the family hears which did not answer.
  const failed = busy
    .filter((_, i) => {
      const r = results[i];
      return r?.status !== "fulfilled" || !r.value.done;
    })
    .map((p: PlayerState) => p.name);
  const count = busy.length - failed.length;
  if (command === "pause")
    return failed.length ? turn.say("failed", a.pausedSome({count, failed})) : turn.say("done", a.pausedAll({count}));
  return failed.length ? turn.say("failed", a.stoppedSome({count, failed})) : turn.say("done", a.stoppedAll({count}));
}

/**
 * Each of several Yotos' answers as one: those done said together ("Stopped Mia's Yoto and Ben's
 * Yoto."), then whatever the others said ("Nothing is playing on Leo's Yoto.").
 */
export function together(turn: VoiceTurn, command: "stop" | "pause", answers: VoiceAnswer[]): VoiceAnswer {
  const a = turn.lang.answers;
  const done = answers.filter((x) => x.outcome === "done");
  const rest = answers.filter((x) => x.outcome !== "done").map((x) => x.speech);
  const wheres = done.map((x) => (x.child ? turn.lang.childsYoto(x.child) : (x.player ?? "")));
  const where = turn.lang.list(wheres, "and");
  const said =
    done.length <= 1
      ? done.map((x) => x.speech)
      : [command === "pause" ? a.pausedSeveral({where}) : a.stoppedSeveral({where})];
  const outcome = done.length ? "done" : (answers[0]?.outcome ?? "answered");
  return turn.say(outcome, [...said, ...rest].join(" "));
}
