import {conditionHolds} from "../model/conditions.js";
import {chosenText} from "../model/sayParts.js";
import type {Exit, Scene, Story} from "../model/story.js";
import {EXITS, STOP} from "../model/story.js";
import type {InkSave} from "./inkRun.js";

/** One player's way through a streamed story, whatever plays it (a story's scenes, or ink). */
export interface StoryRun {
  /** The scene the player is at: what its slot plays. */
  readonly scene: Scene;
  /** A button on the scene: the next scene, or `stop` when the story ends there. */
  press(button: Exit): Scene | "stop";
  /** What to keep for a restart. */
  save(): RunSave;
  variables(): Record<string, unknown>;
}

export type RunSave =
  | {kind: "scenes"; scene: string; variables?: Record<string, unknown>}
  | {kind: "ink"; ink: InkSave; step: number};

/**
 * A story's own scenes, walked here instead of on the player (a story too big for a card, or one
 * whose exits have conditions). Entering a scene applies its `set`, and then its text is chosen:
 * only the branches of its `say` that hold are read (so a scene that sets `$key` reads what it says
 * under `if: $key`, as Harlowe reads text after a `(set:)`); an exit whose condition does not hold
 * is not there (nor said in the scene's prompts). A missing exit keeps the player where it is, as a
 * card's missing button does; `end` without an exit stops, as on Yoto's cards.
 */
export function scenesRun(story: Story, saved?: RunSave): StoryRun {
  const byId = new Map(story.scenes.map((s) => [s.id, s]));
  // A story edited or imported again since: the caller says why it starts again.
  if (saved?.kind === "ink") throw new Error("it was saved in an ink story");
  if (saved && !byId.has(saved.scene)) throw new Error(`its scene '${saved.scene}' is no longer in the story`);
  // Spread, not Object.assign: a variable named __proto__ is an own key, never the prototype.
  let variables: Record<string, unknown> = {...story.variables, ...saved?.variables};
  let scene = saved ? (byId.get(saved.scene) as Scene) : (byId.get(story.start) as Scene);
  const enter = (to: Scene) => {
    scene = to;
    variables = {...variables, ...to.set};
  };
  if (!saved) enter(scene);
  const open = (exit: Exit) => {
    const condition = scene.conditions?.[exit];
    return condition === undefined || conditionHolds(condition, variables);
  };
  return {
    get scene() {
      // What the player hears: only the exits open now are offered.
      const exits = Object.fromEntries(
        EXITS.flatMap((e) => (scene.exits[e] !== undefined && open(e) ? [[e, scene.exits[e]]] : [])),
      );
      return {...scene, audio: spoken(scene, variables), exits};
    },
    press(button) {
      const to = open(button) ? scene.exits[button] : undefined;
      if (to === STOP || (to === undefined && button === "end")) return "stop";
      const next = to === undefined ? undefined : byId.get(to);
      if (next) enter(next);
      return this.scene;
    },
    save: () => ({kind: "scenes", scene: scene.id, variables: {...variables}}),
    variables: () => ({...variables}),
  };
}

/**
 * A scene's text for these variables: the branches that hold (the narration is cached by text, so
 * each variant is made once, when a player first reaches it). Every branch closed, it says its title,
 * as an imported passage of links alone does.
 */
function spoken(scene: Scene, variables: Record<string, unknown>): Scene["audio"] {
  if (!("say" in scene.audio) || !scene.audio.parts) return scene.audio;
  return {say: chosenText(scene.audio.parts, variables) || scene.title};
}
