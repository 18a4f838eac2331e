import {Story as InkStory} from "inkjs/full";
import type {Exit} from "../../shared/api/stories.js";
import {MAX_SAY_CHARS} from "../model/story.js";

/**
 * How long one scene may take to run: ink runs synchronously, so a story that loops forever
 * (`-> loop` with or without text) would otherwise hold the whole service.
 */
export const INK_SCENE_MS = 1000;
/** inkle's ErrorType.Error (Author and Warning are the others). */
const ERROR_TYPE = 2;
/** Ink runs in short slices, each checked against the scene's time. */
const SLICE_MS = 20;

/** A choice point of a running ink story: the text since the last choice and what can be chosen. */
export interface InkScene {
  text: string;
  choices: string[];
  /** With more than three choices, the one the spoken menu reads now (left takes it). */
  menuAt?: number;
}

/** What survives a restart: the runtime's own state, plus the scene text it has already produced. */
export interface InkSave {
  state: string;
  scene: InkScene;
}

/**
 * One player's run through an ink story, kept in inkle's runtime while it plays: each choice point
 * is a scene and the buttons choose. Up to three choices map to left, right and the track's end;
 * more become a spoken menu (left takes the choice read, right reads the next, the end repeats), so
 * no choice is ever dropped. A story that has ended has no choices: every button stops.
 */
export class InkRun {
  readonly #story: InkStory;
  readonly #errors: string[] = [];
  #scene: InkScene;

  constructor(json: string, saved?: InkSave) {
    this.#story = new InkStory(json);
    // An EXTERNAL function is never bound here (nothing runs): the story's own ink fallback stands in.
    this.#story.allowExternalFunctionFallbacks = true;
    // The runtime's errors are kept and thrown as one plain message; warnings and the author's own
    // notes (ink's TODO) do not stop a story.
    this.#story.onError = (message: string, type: number) => {
      if (type === ERROR_TYPE) this.#errors.push(message);
    };
    if (saved) {
      this.#story.state.LoadJson(saved.state);
      this.#scene = structuredClone(saved.scene);
    } else this.#scene = this.#advance();
  }

  get scene(): InkScene {
    return structuredClone(this.#scene);
  }

  /** The ink variables (the story's state), as plain values. */
  variables(): Record<string, unknown> {
    const vars = this.#story.variablesState;
    const out: Record<string, unknown> = {};
    for (const name of vars._globalVariables.keys()) {
      const value = vars.$(name);
      out[name] = typeof value === "object" && value !== null ? String(value) : value;
    }
    return out;
  }

  /** A button on this scene: the next scene, or `stop` when the story has ended or nothing follows. */
  press(button: Exit): InkScene | "stop" {
    const {choices, menuAt} = this.#scene;
    if (choices.length === 0) return "stop";
    if (menuAt !== undefined) {
      if (button === "right") this.#scene = {...this.#scene, menuAt: (menuAt + 1) % choices.length};
      if (button !== "left") return this.scene;
      return this.#choose(menuAt);
    }
    const index = ["left", "right", "end"].indexOf(button);
    // A scene with one choice takes it on any button, as a story with one link goes on either way.
    if (index >= choices.length) return choices.length === 1 ? this.#choose(0) : "stop";
    return this.#choose(index);
  }

  save(): InkSave {
    return {state: this.#story.state.ToJson(), scene: this.scene};
  }

  #choose(index: number): InkScene {
    this.#story.ChooseChoiceIndex(index);
    this.#scene = this.#advance();
    return this.scene;
  }

  #advance(): InkScene {
    const text = this.#continued().trim();
    const choices = this.#story.currentChoices.map((c: {text: string}) => c.text);
    return choices.length > 3 ? {text, choices, menuAt: 0} : {text, choices};
  }

  /** The text up to the next choice point, bounded in time and length (ContinueMaximally is not). */
  #continued(): string {
    const story = this.#story;
    const started = performance.now();
    let text = "";
    while (story.canContinue) {
      story.ContinueAsync(SLICE_MS);
      if (story.asyncContinueComplete) text += story.currentText ?? "";
      if (this.#errors.length > 0)
        throw new Error(`the ink story stopped with an error: ${this.#errors[0]?.replace(/^RUNTIME ERROR: /, "")}`);
      if (text.length > MAX_SAY_CHARS)
        throw new Error(
          `the ink story says more than ${MAX_SAY_CHARS} characters before its next choice (does it loop forever?): end the scene sooner with a choice`,
        );
      if (performance.now() - started > INK_SCENE_MS)
        throw new Error(
          `the ink story runs over ${INK_SCENE_MS / 1000} s without reaching a choice or its end (does it loop forever?)`,
        );
    }
    return text;
  }
}

/**
 * What a scene says: its text, then the choices as the buttons take them ("press the left button
 * to …"), or the menu's current choice.
 */
export function inkNarration(scene: InkScene): string {
  const {text, choices, menuAt} = scene;
  if (choices.length === 0) return text;
  if (menuAt !== undefined)
    return `${text}\nChoice ${menuAt + 1} of ${choices.length}: ${choices[menuAt]}. Press the left button to choose it, the right button for the next choice.`;
  if (choices.length === 1) return `${text}\nPress a button to ${choices[0]}.`;
  const buttons = ["Press the left button to", "the right button to", "or wait to"];
  return `${text}\n${choices.map((c, i) => `${buttons[i]} ${c}`).join(", ")}.`;
}
