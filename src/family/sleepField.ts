import {closestName} from "../core/closest.js";
import {VOLUME_STEPS} from "../yoto/playerModel.js";
import {objectAt, problem, wholeNumber} from "./planFields.js";
import type {Mistakes} from "./planMistakes.js";
import {STORY_RADIO_PREFIX, shelfRef} from "./shelfField.js";
import type {SleepPlan} from "./types.js";

export const MAX_SLEEP_SOUNDS = 10;
export const DEFAULT_SLEEP_VOLUME = 4;
export const DEFAULT_SLEEPS_A_NIGHT = 3;
/** Twelve hours: longer than any night, so "until wake" is the way to say all night. */
const MAX_SLEEP_MINUTES = 720;
const MAX_REF = 200;
const CONTROL = /\p{Cc}/u;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
const KINDS = 'a stream or station ("stream:rain"), a library item ("library:<id>") or a card';

/**
 * The plan's `sleep`: the sounds (each a stream, a library item or a card, as a shelf names them;
 * a stream is checked now, the rest when it plays), the volume, the minutes (left out: until wake)
 * and how many a night. Each mistake goes into `m`: all at once, as the rest of the plan.
 */
export function checkSleep(
  value: unknown,
  streams: {exists(name: string): boolean; names(): string[]},
  m: Mistakes,
): SleepPlan | undefined {
  const o = objectAt("sleep", value, ["sounds", "volume", "minutes", "per_night", "light"]);
  const sounds = sleepSounds(o.sounds, streams, m);
  const volume = m.take(() =>
    o.volume === undefined ? undefined : wholeNumber("sleep.volume", o.volume, 1, VOLUME_STEPS, "volume steps"),
  );
  const minutes = m.take(() =>
    o.minutes === undefined ? undefined : wholeNumber("sleep.minutes", o.minutes, 1, MAX_SLEEP_MINUTES, "minutes"),
  );
  const perNight = m.take(() =>
    o.per_night === undefined ? undefined : wholeNumber("sleep.per_night", o.per_night, 1, 20, "sleep sounds a night"),
  );
  const light = m.take(() => {
    if (o.light === undefined) return undefined;
    if (typeof o.light !== "string" || !COLOUR.test(o.light))
      throw problem(
        "sleep.light",
        'must be a colour such as "#ff8800": the light ring\'s while the sound plays',
        o.light,
      );
    return o.light.toLowerCase();
  });
  if (!sounds) return undefined;
  return {
    sounds,
    ...(volume !== undefined ? {volume} : {}),
    ...(minutes !== undefined ? {minutes} : {}),
    ...(perNight !== undefined ? {per_night: perNight} : {}),
    ...(light !== undefined ? {light} : {}),
  };
}

function sleepSounds(
  value: unknown,
  streams: {exists(name: string): boolean; names(): string[]},
  m: Mistakes,
): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SLEEP_SOUNDS) {
    m.take(() => {
      throw problem("sleep.sounds", `must be a list of 1 to ${MAX_SLEEP_SOUNDS} sounds: each ${KINDS}`, value);
    });
    return undefined;
  }
  const seen = new Set<string>();
  const refs = value.map((raw, i) =>
    m.take(() => {
      const at = `sleep.sounds[${i}]`;
      if (typeof raw !== "string" || raw.trim() === "" || raw.length > MAX_REF || CONTROL.test(raw))
        throw problem(at, `must be ${KINDS} (1 to ${MAX_REF} characters)`, raw);
      const ref = raw.trim();
      const {prefix, name} = shelfRef(ref);
      if (prefix === "group" || prefix === "story" || prefix === "radio")
        throw problem(at, `is not a sound that plays on and on: use ${KINDS}`, raw);
      if (name === "") throw problem(at, `names nothing after '${prefix}:'`, raw);
      if (prefix === "stream" && name.startsWith(STORY_RADIO_PREFIX))
        throw problem(at, "is a child's story radio, not a sleep sound", raw);
      if (prefix === "stream" && !streams.exists(name)) {
        const close = closestName(name, streams.names());
        throw problem(at, close ? `names no stream: did you mean 'stream:${close}'?` : "names no stream", raw);
      }
      const key = `${prefix}:${name.toLowerCase()}`;
      if (seen.has(key)) throw problem(at, "is listed twice", raw);
      seen.add(key);
      return ref;
    }),
  );
  return refs.every((r) => r !== undefined) ? (refs as string[]) : undefined;
}
