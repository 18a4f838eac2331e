import type {Exit, Scene, Story} from "../stories/story.js";
import {STOP} from "../stories/story.js";
import {InkRun, type InkSave, inkNarration} from "./inkRun.js";

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

export type RunSave = {kind: "scenes"; scene: string} | {kind: "ink"; ink: InkSave; step: number};

/**
 * A story's own scenes, walked here instead of on the player (a story too big for a card). An exit
 * the scene does not have keeps the player where it is, as a card's missing button does; `end`
 * without an exit stops, as on Yoto's cards.
 */
export function scenesRun(story: Story, saved?: RunSave): StoryRun {
  const byId = new Map(story.scenes.map((s) => [s.id, s]));
  let scene = (saved?.kind === "scenes" && byId.get(saved.scene)) || (byId.get(story.start) as Scene);
  return {
    get scene() {
      return scene;
    },
    press(button) {
      const to = scene.exits[button] ?? (button === "end" ? STOP : undefined);
      if (to === STOP) return "stop";
      scene = (to !== undefined && byId.get(to)) || scene;
      return scene;
    },
    save: () => ({kind: "scenes", scene: scene.id}),
    variables: () => ({...story.variables}),
  };
}

/** An ink story in inkle's runtime: each choice point a scene, narrated from its text and choices. */
export function inkStoryRun(story: Story, json: string, saved?: RunSave): StoryRun {
  const run = saved?.kind === "ink" ? new InkRun(json, saved.ink) : new InkRun(json);
  let step = saved?.kind === "ink" ? saved.step : 0;
  const asScene = (): Scene => {
    const current = run.scene;
    return {
      id: `ink-${step}${current.menuAt ? `-${current.menuAt}` : ""}`,
      title: firstWords(current.text) || story.title,
      audio: {say: inkNarration(current) || "The end."},
      exits: {},
    };
  };
  let scene = asScene();
  return {
    get scene() {
      return scene;
    },
    press(button) {
      // A menu's next choice is the same choice point; a choice taken is the next one.
      const menuMove = run.scene.menuAt !== undefined && button !== "left";
      if (run.press(button) === "stop") return "stop";
      if (!menuMove) step++;
      scene = asScene();
      return scene;
    },
    save: () => ({kind: "ink", ink: run.save(), step}),
    variables: () => run.variables(),
  };
}

function firstWords(text: string): string {
  const line = text.split("\n")[0]?.trim() ?? "";
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
