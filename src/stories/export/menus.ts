import type {Scene, Story} from "../../shared/api/stories.js";
import {pauseBefore, type Steps} from "./steps.js";

/**
 * Spoken menus the Twine import made (a passage of more than three links becomes a scene per
 * choice, ../import/twine.ts), found again so the export writes the passage the author wrote: its
 * text and its links, not a passage per choice. Only a menu exactly as the import makes it is
 * found (titles, ids, words and exits), and only where nothing outside it leads into it: anything
 * else is written scene by scene, which imports the same too.
 */

export interface Menu {
  /** The passage's text, before the first choice is read. */
  text: string;
  /** Each choice's words and the scene it leads to, in order. */
  links: Array<{words: string; to: string}>;
  /** The choice scenes the passage stands for (not written), the first scene left out. */
  members: string[];
}

const CHOICE =
  /^Choice (\d+) of (\d+): ([\s\S]*)\. Press the left button to choose it, the right button for the next choice\.$/;

/**
 * The menus of a story, by their first scene's id. One pass over the scenes, and one over each
 * menu; it may pause every few scenes (steps.ts).
 */
export function* menuSteps(story: Story): Steps<Map<string, Menu>> {
  const byId = new Map<string, Scene>();
  // Who leads where: a choice scene something else leads to cannot be folded into its passage.
  const from = new Map<string, string[]>();
  for (const [i, scene] of story.scenes.entries()) {
    if (pauseBefore(i)) yield;
    byId.set(scene.id, scene);
    for (const to of Object.values(scene.exits)) {
      if (!to) continue;
      const leading = from.get(to);
      if (leading) leading.push(scene.id);
      else from.set(to, [scene.id]);
    }
  }
  const menus = new Map<string, Menu>();
  for (const [i, scene] of story.scenes.entries()) {
    if (pauseBefore(i)) yield;
    const menu = menuAt(scene, byId);
    if (!menu || menu.members.includes(story.start)) continue;
    const inside = new Set([scene.id, ...menu.members]);
    if (menu.members.every((id) => (from.get(id) ?? []).every((by) => inside.has(by)))) menus.set(scene.id, menu);
  }
  return menus;
}

function menuAt(first: Scene, byId: Map<string, Scene>): Menu | undefined {
  if (!("say" in first.audio) || first.audio.parts || first.prompts || first.conditions) return undefined;
  const said = first.audio.say;
  const cut = said.lastIndexOf("Choice 1 of ");
  const line = CHOICE.exec(said.slice(cut));
  if (cut < 0 || !line || (cut > 0 && said[cut - 1] !== "\n")) return undefined;
  const count = Number(line[2]);
  if (line[1] !== "1" || count < 4 || count > 1000) return undefined;
  const again = byId.get(`${first.id}-choice-1`);
  const title = (i: number) => `${first.title}: choice ${i}`.slice(0, 100);
  const links: Menu["links"] = [];
  const members: string[] = [];
  let scene = first;
  for (let i = 1; i <= count; i++) {
    const next = i < count ? `${first.id}-choice-${i + 1}` : again?.id;
    const words = i === 1 ? (linkable(line[3] as string) ? line[3] : undefined) : choiceWords(scene, i, count);
    if (words === undefined || !scene.exits.left || scene.exits.right !== next || scene.exits.end !== again?.id)
      return undefined;
    if (i > 1 && (scene.title !== title(i) || scene.set || scene.icon)) return undefined;
    links.push({words: words as string, to: scene.exits.left});
    if (i < count) {
      const following = byId.get(next as string);
      if (!following) return undefined;
      members.push(following.id);
      scene = following;
    }
  }
  if (!again || again.title !== title(1) || again.exits.end || again.icon || again.set) return undefined;
  const repeat = choiceWords(again, 1, count);
  if (repeat !== links[0]?.words || again.exits.left !== links[0]?.to || again.exits.right !== members[0])
    return undefined;
  return {text: said.slice(0, Math.max(cut - 1, 0)), links, members: [...members, again.id]};
}

/** What a choice scene reads ("Choice 2 of 5: Cave. …"): its words, when it is the choice it should be. */
function choiceWords(scene: Scene, index: number, count: number): string | undefined {
  if (!("say" in scene.audio) || scene.audio.parts || scene.prompts || scene.conditions) return undefined;
  const line = CHOICE.exec(scene.audio.say);
  return line && Number(line[1]) === index && Number(line[2]) === count && linkable(line[3] as string)
    ? line[3]
    : undefined;
}

/** Words a link holds as they are (no brackets or `|` to end or split it, no spaces around). */
function linkable(words: string): boolean {
  return words.length > 0 && words === words.trim() && !/[[\]|]/.test(words);
}
