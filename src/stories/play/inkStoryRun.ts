import type {Scene, Story} from "../model/story.js";
import {InkRun, inkNarration} from "./inkRun.js";
import type {RunSave, StoryRun} from "./runs.js";

// Apart from runs.ts so that inkle's runtime (inkjs, about 1 MB of heap) is loaded when an ink story
// first plays (streamedStories imports this file then), not at start.

/** An ink story in inkle's runtime: each choice point a scene, narrated from its text and choices. */
export function inkStoryRun(story: Story, json: string, saved?: RunSave): StoryRun {
  if (saved?.kind === "scenes") throw new Error("it was saved in a story of scenes, not ink");
  const run = saved ? new InkRun(json, saved.ink) : new InkRun(json);
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
