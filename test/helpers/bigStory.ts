import {checkStory, type Story} from "../../src/stories/model/story.js";

/** A small seeded generator (mulberry32): the same story (or figures) every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "the old lantern [flickers] while *wind* moves through $tall pines near a (quiet: river) where `stones` glitter".split(
    " ",
  );
const LEFT = ", press the left button.";
const RIGHT = ", press the right button.";
const CHOICE = (i: number, n: number, words: string) =>
  `Choice ${i} of ${n}: ${words}. Press the left button to choose it, the right button for the next choice.`;

/**
 * A story of about `count` scenes with what an export writes in every way: text with markup,
 * conditional text, prompts, conditional exits, sets, audio and stream scenes, shared and empty
 * titles, Twine's own passage names, and spoken menus as the import makes them (a passage of five
 * links). Written for the export's tests; every scene is reachable from the first.
 */
export function bigStory(count: number): Story {
  const {story, problems} = checkStory(bigStoryFile(count), "big.yaml");
  if (!story) throw new Error(problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; "));
  return story;
}

/**
 * bigStory as a story file holds it (`story:`'s mapping). `stream`, `item`: what its audio scenes
 * play, where a service must have them (else made-up names). `silent`: every scene plays the
 * stream and none says words, so a service given it has nothing to narrate (and no menus, which
 * are spoken).
 */
export function bigStoryFile(
  count: number,
  opts: {stream?: string; item?: string; silent?: boolean} = {},
): Record<string, unknown> {
  const random = seeded(count);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const scenes: Record<string, Record<string, unknown>> = {};
  const id = (i: number) => `s${i}`;
  for (let i = 1; i <= count; i++) {
    const next = i < count ? id(i + 1) : undefined;
    const back = id(Math.max(1, i - 1 - Math.floor(random() * 4)));
    let text = `Scene ${i}.`;
    while (text.length < 80 + random() * 120) text += ` ${pick(WORDS)}`;
    const title = i % 97 === 0 ? "" : i % 13 === 0 ? "The same place" : i % 211 === 0 ? "StoryInit" : `Place ${i}`;
    const scene: Record<string, unknown> = {title};
    if (i % 50 === 25 && next && !opts.silent) {
      // A spoken menu: the first choice's scene, then one per other choice, then the first again.
      const n = 5;
      const words = (k: number) => `Way ${k} from ${i}`;
      const member = (k: number) => `${id(i)}-choice-${k}`;
      scene.say = `${text}\n${CHOICE(1, n, words(1))}`;
      Object.assign(scene, {left: next, right: member(2), end: member(1)});
      for (let k = 2; k <= n; k++)
        scenes[member(k)] = {
          title: `${title}: choice ${k}`,
          say: CHOICE(k, n, words(k)),
          left: k % 2 ? next : back,
          right: k < n ? member(k + 1) : member(1),
          end: member(1),
        };
      scenes[member(1)] = {title: `${title}: choice 1`, say: CHOICE(1, n, words(1)), left: next, right: member(2)};
      scenes[id(i)] = scene;
      continue;
    }
    const kind = random();
    if (opts.silent || kind < 0.05) scene.audio = {stream: opts.stream ?? `stream_${i}`};
    else if (kind < 0.1) scene.audio = opts.item ? [opts.item] : [`story/${i}.mp3`, `story/${i}b.mp3`];
    else if (kind < 0.25) scene.say = [text, {if: "$coins > 2", say: "You are rich."}, {if: "$seen", say: "Again?"}];
    else scene.say = text;
    if (next) scene.left = random() < 0.2 ? {to: next, if: "$coins >= 1 && !$seen"} : next;
    if (random() < 0.6) scene.right = back;
    if (random() < 0.2) scene.end = next ?? "stop";
    // Prompts are said after a scene's words: a scene that says something, for the exits it has.
    if (scene.say && next && random() < 0.7)
      scene.prompts = {left: `Go on to ${i + 1}${LEFT}`, ...(scene.right ? {right: `Go back${RIGHT}`} : {})};
    if (random() < 0.3) scene.set = {coins: Math.floor(random() * 5), seen: random() < 0.5, name: `Ann ${i}`};
    scenes[id(i)] = scene;
  }
  const id0 = opts.silent ? "big_quiet_forest" : "big_forest";
  return {
    id: id0,
    title: `A forest of ${count}`,
    start: id(1),
    mode: "streamed",
    variables: {coins: 1, seen: false},
    scenes,
  };
}
