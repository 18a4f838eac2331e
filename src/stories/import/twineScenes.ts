import type {SayPart} from "../../shared/api/stories.js";
import {sceneIdsOf, sceneTitle} from "./exportMarks.js";
import {SceneIds} from "./sceneIds.js";
import {partsForFile} from "./twineBranches.js";
import {
  BUTTONS,
  conditionWarnings,
  oneExitEach,
  type Passage,
  passageSay,
  plainSets,
  promptsFrom,
  readable,
} from "./twinePassages.js";
import type {TwineLink} from "./twineText.js";

/** The scenes a Twine story's passages make, and what each says. */
export interface TwineScenes {
  scenes: Record<string, Record<string, unknown>>;
  texts: Record<string, string>;
  /** Each passage's scene id. */
  idOf: Map<string, string>;
  /** Passages read in part under a condition, with the conditions (a card reads every branch). */
  conditional: Array<{passage: Passage; conditions: string[]}>;
}

/**
 * Each kept passage as a scene: up to three links on the buttons (left, right, the track's end),
 * more as a spoken menu; the values it sets; what it says, in parts where a condition chooses.
 */
export function twineScenes(
  kept: Passage[],
  links: Map<string, TwineLink[]>,
  variables: Record<string, unknown>,
  warnings: string[],
): TwineScenes {
  const prompts = promptsFrom(variables, warnings);
  const ids = new SceneIds();
  const idOf = sceneIdsOf(kept, ids, warnings);
  const scenes: Record<string, Record<string, unknown>> = {};
  const texts: Record<string, string> = {};
  /** What each scene says before its prompts; its parts where some of it is read under a condition. */
  const bodies: Record<string, string> = {};
  const parts: Record<string, SayPart[]> = {};
  const conditional: Array<{passage: Passage; conditions: string[]}> = [];
  for (const passage of kept) {
    const id = idOf.get(passage.name) as string;
    const own = oneExitEach(passage, links.get(passage.name) ?? [], warnings);
    const real = own.filter((l) => !l.placeholder);
    // Links are read as the choices they are, after the text (menus read them one at a time).
    // A value the passage sets itself is the one it prints (Chapbook's vars section comes first).
    const set = plainSets(passage, warnings);
    const known = {...variables, ...set};
    const {text: narration, parts: read, conditions} = passageSay(passage, known, warnings);
    if (read) conditional.push({passage, conditions});
    if (real.length > 3) {
      const choice = addMenu(passage, id, real, narration, {ids, idOf, scenes, texts});
      if (read) parts[id] = [...read, choice];
      bodies[id] = texts[id] as string;
      if (set) (scenes[id] as Record<string, unknown>).set = set;
      if (real.some((l) => l.conditional))
        warnings.push(
          `passage '${passage.name}' has links inside a condition in its menu: each is taken whatever the condition`,
        );
    } else {
      const scene: Record<string, unknown> = {title: sceneTitle(passage)};
      const said: Record<string, string> = {};
      own.slice(0, 3).forEach((link, i) => {
        const button = BUTTONS[i] as (typeof BUTTONS)[number];
        if (link.placeholder) return;
        const to = idOf.get(link.target);
        scene[button] = link.condition && readable(link.condition) ? {to, if: link.condition} : to;
        const prompt = prompts(link, button);
        if (prompt) said[button] = prompt;
      });
      if (Object.keys(said).length > 0) scene.prompts = said;
      if (set) scene.set = set;
      scenes[id] = scene;
      bodies[id] = narration;
      if (read) parts[id] = read;
      texts[id] = [narration, ...Object.values(said)].filter(Boolean).join("\n");
      warnings.push(...conditionWarnings(passage, own.slice(0, 3)));
    }
  }
  // Each scene says its text (this service narrates it); a passage of links alone says its name.
  for (const [id, {title, prompts: said, set, ...exits}] of Object.entries(scenes))
    scenes[id] = {
      title,
      say:
        parts[id] && bodies[id]?.trim() ? partsForFile(parts[id]) : (bodies[id] ?? texts[id])?.trim() || String(title),
      ...(said ? {prompts: said} : {}),
      ...(set ? {set} : {}),
      ...exits,
    };
  return {scenes, texts, idOf, conditional};
}

interface Built {
  ids: SceneIds;
  idOf: Map<string, string>;
  scenes: Record<string, Record<string, unknown>>;
  texts: Record<string, string>;
}

/**
 * More than three links: a spoken menu, one scene per choice. The passage's scene reads its text
 * and the first choice; each choice scene reads one choice: left takes it, right reads the next
 * (after the last, the first again), and the track's end reads the menu again from the first,
 * once: left alone a second time, the story stops (a sleeping child is not read a menu all night).
 * The words are ink's menus' own, so both kinds of story sound alike.
 */
function addMenu(passage: Passage, id: string, links: TwineLink[], narration: string, built: Built): string {
  const choiceIds = links.map((_, i) => (i === 0 ? id : built.ids.take(`${id}-choice-${i + 1}`)));
  const again = built.ids.take(`${id}-choice-1`);
  const say = (link: TwineLink, i: number) =>
    `Choice ${i + 1} of ${links.length}: ${link.text || link.target}. Press the left button to choose it, the right button for the next choice.`;
  links.forEach((link, i) => {
    const sceneId = choiceIds[i] as string;
    built.scenes[sceneId] = {
      title: i === 0 ? passage.name : `${passage.name}: choice ${i + 1}`.slice(0, 100),
      left: built.idOf.get(link.target),
      right: i + 1 < links.length ? choiceIds[i + 1] : again,
      end: again,
    };
    built.texts[sceneId] = i === 0 ? `${narration}\n${say(link, i)}` : say(link, i);
  });
  built.scenes[again] = {
    title: `${passage.name}: choice 1`.slice(0, 100),
    left: built.idOf.get((links[0] as TwineLink).target),
    right: choiceIds[1],
  };
  built.texts[again] = say(links[0] as TwineLink, 0);
  // What the first scene says after the passage's text.
  return say(links[0] as TwineLink, 0);
}
