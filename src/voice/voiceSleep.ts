import type {VoiceAnswer} from "../shared/api/voice.js";
import type {VoiceTurn} from "./voiceContext.js";
import {childOf} from "./voiceQuestions.js";

/**
 * "Mia can't sleep": the child's sleep sound from the family plan, through the play gate as the
 * plan lets it at night (its limit a night, its volume), said back in the family's words.
 */
export async function sleepSound(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const child = childOf(turn, turn.target());
  if ("speech" in child) return child;
  const view = turn.view(child.name);
  if (!view) return turn.say("unknown_name", a.noChild({name: child.name}));
  const about = {child: view.name};
  if (!view.plan.sleep) return turn.say("answered", a.sleepNone(about), about);
  const sleep = turn.deps.sleep;
  if (!sleep) return turn.say("failed", a.sleepNone(about), about);
  const route = turn.route();
  const by = route.by ?? "voice";
  const answer = await sleep.begin(view.name, {reason: `${view.name} can't sleep`}, {route: route.route, by});
  const title = answer.sleep?.title ?? "";
  switch (answer.outcome) {
    case "played":
    case "pending":
      return answer.already
        ? turn.say("answered", a.sleepAlready({...about, title}), {...about, title})
        : turn.say("played", a.sleepStarted({...about, title}), {...about, title});
    case "refused":
      return turn.say("refused", a.sleepUsed(about), about);
    case "offline":
      return turn.say("offline", answer.text, about);
    default:
      return turn.say("failed", answer.text, about);
  }
}
