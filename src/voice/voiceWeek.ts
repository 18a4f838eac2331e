import {Days} from "../core/time/days.js";
import {wallClock} from "../core/time/zoned.js";
import type {ChildView, ChildWeek} from "../family/types.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import {spokenTitle} from "./spokenTitle.js";
import type {VoiceTurn} from "./voiceContext.js";
import {childOf} from "./voiceQuestions.js";

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

/**
 * "What did Mia listen to this week": the last seven days' time, the title heard most (a title is
 * anyone's text: said quoted, as every title), and how many nights the child was up.
 */
export async function weekSaid(turn: VoiceTurn): Promise<VoiceAnswer> {
  const read = await weekOf(turn);
  if ("speech" in read) return read;
  const {view, week} = read;
  const a = turn.lang.answers;
  const about = {child: view.name};
  const top = week.top[0]?.title;
  const nights = week.days.filter((d) => d.night.wakes.length > 0).length;
  if (week.minutes === 0 && !top && nights === 0) return turn.say("answered", a.weekNothing(about), about);
  const duration = turn.lang.duration(week.minutes * 60);
  return turn.say(
    "answered",
    a.week({...about, duration, nights, ...(top ? {title: spokenTitle(turn.lang, top)} : {})}),
    top ? {...about, title: top} : about,
  );
}

/**
 * "How was Ben's night": the night under way while the child is asleep, else last night: its wakes
 * (each a sleep sound started), when the first was, how long the sounds played, and the asks.
 */
export async function nightSaid(turn: VoiceTurn): Promise<VoiceAnswer> {
  const read = await weekOf(turn);
  if ("speech" in read) return read;
  const {view, week} = read;
  const tonight = view.quiet_reason === "bedtime";
  const evening = tonight ? view.evening : Days.add(view.evening, -1);
  const day = week.days.find((d) => d.date === evening);
  const wakes = day?.night.wakes ?? [];
  const first = wakes[0] ? clockOf(turn, Date.parse(wakes[0].at)) : undefined;
  const speech = turn.lang.answers.night({
    child: view.name,
    tonight,
    wakes: wakes.length,
    asks: day?.asks ?? 0,
    ...(first ? {first, played: turn.lang.duration((day?.night.sleep_minutes ?? 0) * 60)} : {}),
  });
  return turn.say("answered", speech, {child: view.name});
}

/** A time of the night as the family's clock reads it, without a day ("2:10"). */
function clockOf(turn: VoiceTurn, at: number): string {
  const w = wallClock(at, turn.deps.timeZone());
  return turn.lang.time({hour: w.hour, minute: w.minute, days: 0, weekday: w.weekday});
}
