import type {ConfigPath} from "../../core/configPath.js";
import type {Exit, Scene, SceneAudio, StoryVoice} from "../../shared/api/stories.js";
import {parseCondition} from "./conditions.js";
import {MAX_SAY_CHARS, readSayText, unreadableCondition} from "./sayParts.js";

/**
 * The parts of a story file's scenes beyond their audio and exits' targets: conditional exits,
 * prompts, text to narrate, and the story's voice. Read and checked here for checkStory (story.ts).
 */

export const EXITS = ["left", "right", "end"] as const satisfies readonly Exit[];
export {MAX_SAY_CHARS};

export function readVoice(raw: unknown, fail: (path: ConfigPath, message: string) => void): StoryVoice | undefined {
  if (raw === undefined) return undefined;
  const hint = "narration is {engine: <tts.* entity or espeak-ng, piper, flite>, language: <code>}";
  if (!isMap(raw)) {
    fail([], hint);
    return undefined;
  }
  const voice: StoryVoice = {};
  for (const [key, value] of Object.entries(raw)) {
    if (
      (key !== "engine" && key !== "language") ||
      typeof value !== "string" ||
      value.length === 0 ||
      value.length > 100
    )
      fail([key], hint);
    else voice[key] = value;
  }
  return voice;
}

export const EXIT_HINT = "must be a scene id, 'stop', or {to: <scene id>, if: <condition>}";

/** An exit: a scene id or `stop`, or one taken only while a condition holds. */
export function readExit(raw: unknown, fail: (message: string) => void): {to: string; if?: string} | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "string") return {to: raw};
  if (!isMap(raw) || typeof raw.to !== "string" || Object.keys(raw).some((k) => k !== "to" && k !== "if")) {
    fail(EXIT_HINT);
    return undefined;
  }
  if (raw.if === undefined) return {to: raw.to};
  if (typeof raw.if !== "string") {
    fail("if must be a condition, like '$lantern' or '$apples > 2'");
    return undefined;
  }
  const parsed = parseCondition(raw.if);
  if ("error" in parsed) {
    fail(unreadableCondition(raw.if, parsed.error));
    return undefined;
  }
  return {to: raw.to, if: raw.if};
}

export function readPrompts(
  raw: Record<string, unknown>,
  exits: Scene["exits"],
  fail: (path: ConfigPath, message: string) => void,
): Scene["prompts"] {
  if (raw.prompts === undefined) return undefined;
  if (raw.say === undefined) {
    fail(["prompts"], "prompts are said after a scene's say: give the scene say, or record them in its audio");
    return undefined;
  }
  if (!isMap(raw.prompts)) {
    fail(["prompts"], "prompts must map left, right or end to what the scene says for it");
    return undefined;
  }
  const prompts: NonNullable<Scene["prompts"]> = {};
  for (const [exit, text] of Object.entries(raw.prompts)) {
    if (!(EXITS as readonly string[]).includes(exit)) fail(["prompts", exit], "prompts are for left, right or end");
    else if (typeof text !== "string" || text.length > 500)
      fail(["prompts", exit], "a prompt is text of at most 500 characters");
    else if (exits[exit as Exit] === undefined) fail(["prompts", exit], `the scene has no ${exit} exit to prompt for`);
    else prompts[exit as Exit] = text;
  }
  return prompts;
}

/** A scene this service narrates: its text (with the parts read under conditions), spoken by the story's voice. */
export function readSay(
  raw: Record<string, unknown>,
  fail: (path: ConfigPath, message: string) => void,
): SceneAudio | undefined {
  if (raw.audio !== undefined) {
    fail(["say"], "a scene has audio or say, not both: say is narrated, audio is played");
    return undefined;
  }
  return readSayText(raw.say, (path, message) => fail(["say", ...path], message));
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
