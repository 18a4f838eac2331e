import {Days} from "../core/time/days.js";
import type {ChildView, ChildWeek} from "../family/types.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {VoiceTurn} from "./voiceContext.js";
import {childOf} from "./voiceQuestions.js";
import {nightWords, weekWords} from "./weekWords.js";

/** The child asked about and their week, or the answer that says who is unknown. */
async function weekOf(turn: VoiceTurn): Promise<{view: ChildView; week: ChildWeek} | VoiceAnswer> {
  const a = turn.lang.answers;
  const child = childOf(turn, turn.target());
  if ("speech" in child) return child;
  const view = turn.view(child.name);
  if (!view) return turn.say("unknown_name", a.noChild({name: child.name}));
  if (!turn.deps.weeks) return turn.say("failed", a.weekNothing({child: view.name}), {child: view.name});
  return {view, week: await turn.deps.weeks.week(view.name)};
}

/** "What did Mia listen to this week": the week in one sentence (weekWords.ts). */
export async function weekSaid(turn: VoiceTurn): Promise<VoiceAnswer> {
  const read = await weekOf(turn);
  if ("speech" in read) return read;
  const {speech, top} = weekWords(turn.lang, read.week);
  const about = {child: read.view.name};
  return turn.say("answered", speech, top ? {...about, title: top} : about);
}

/** "How was Ben's night": the night under way while the child is asleep, else last night (weekWords.ts). */
export async function nightSaid(turn: VoiceTurn): Promise<VoiceAnswer> {
  const read = await weekOf(turn);
  if ("speech" in read) return read;
  const {view, week} = read;
  const tonight = view.quiet_reason === "bedtime";
  const evening = tonight ? view.evening : Days.add(view.evening, -1);
  return turn.say("answered", nightWords(turn.lang, week, evening, tonight), {child: view.name});
}
