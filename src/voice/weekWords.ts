import {wallClock} from "../core/time/zoned.js";
import type {ChildWeek} from "../family/types.js";
import type {VoiceLanguage} from "./languages/language.js";
import {spokenTitle} from "./spokenTitle.js";

/**
 * A child's week in one sentence: the seven days' time, the title heard most (a title is anyone's
 * text: said quoted, as every title), and how many nights the child was up. `top` is the plain title, for the answer's `title`.
 */
export function weekWords(lang: VoiceLanguage, week: ChildWeek): {speech: string; top?: string} {
  const a = lang.answers;
  const child = week.child;
  const top = week.top[0]?.title;
  const nights = week.days.filter((d) => d.night.wakes.length > 0).length;
  if (week.minutes === 0 && !top && nights === 0) return {speech: a.weekNothing({child})};
  const duration = lang.duration(week.minutes * 60);
  const speech = a.week({child, duration, nights, ...(top ? {title: spokenTitle(lang, top)} : {})});
  return top ? {speech, top} : {speech};
}

/**
 * One night of a child's week in one sentence: the night that began `evening` (`tonight` while it
 * goes on), its wakes (each a sleep sound started), the first one's time on the family's clock,
 * how long the sounds played, and the asks for one more story.
 */
export function nightWords(lang: VoiceLanguage, week: ChildWeek, evening: string, tonight: boolean): string {
  const day = week.days.find((d) => d.date === evening);
  const wakes = day?.night.wakes ?? [];
  const first = wakes[0] ? wallClock(Date.parse(wakes[0].at), week.timeZone) : undefined;
  return lang.answers.night({
    child: week.child,
    tonight,
    wakes: wakes.length,
    asks: day?.asks ?? 0,
    ...(first
      ? {
          first: lang.time({hour: first.hour, minute: first.minute, days: 0, weekday: first.weekday}),
          played: lang.duration((day?.night.sleep_minutes ?? 0) * 60),
        }
      : {}),
  });
}
