import path from "node:path";
import {stringify} from "yaml";
import {RULES_FOLDER_FILE_MAX_BYTES} from "../../core/boundedYaml.js";
import {formatPath} from "../../core/configPath.js";
import {checkStory, INK_SCENE} from "../model/story.js";
import {type ImportedStory, importError, listedAtMost, type StoryReader} from "./types.js";

/**
 * Twine's reader (extwee, he) and ink's compiler (inkjs) are loaded by the first import that needs
 * them, not at start: together about 3 MB of heap a family that never imports a story does not keep.
 */
const readTwine: StoryReader = async (filename, bytes) => (await import("./twine.js")).readTwine(filename, bytes);
const readInk: StoryReader = async (filename, bytes) => (await import("./inkImport.js")).readInk(filename, bytes);

/** The readers of each extension this service knows: the same in the service and in its read thread. */
export const BUILT_IN_READERS: ReadonlyMap<string, StoryReader> = new Map<string, StoryReader>([
  [".twee", readTwine],
  [".tw", readTwine],
  [".tw2", readTwine],
  [".html", readTwine],
  [".htm", readTwine],
  [".ink", readInk],
  [".json", readInk],
]);

/** A scene as an import's answer lists it. */
export type SceneOutline = {id: string; title: string; left?: string; right?: string; end?: string};

/**
 * What an import writes and answers, and no more: the whole story (thousands of scenes) is never
 * handed from the read thread to the service, since copying it between threads took 100–200 ms.
 */
export interface StoryToWrite {
  id: string;
  /** The story file's text. */
  yaml: string;
  beside?: ImportedStory["beside"];
  warnings: string[];
  start: string;
  scenes: SceneOutline[];
  /** Scene ids and titles: what recordings beside the imported file may be named. */
  names: string[];
}

/**
 * Read one story file with `reader` and check it as the service will when it loads it (except its
 * audio: narration comes after the import). Every part of this grows with the file, so a large
 * file is read in the read thread (readThread.ts).
 */
export async function readStoryFile(filename: string, bytes: Buffer, reader: StoryReader): Promise<ImportedStory> {
  const imported = await reader(filename, bytes);
  const {problems} = checkStory(imported.document.story, filename);
  if (problems.length > 0)
    throw importError(
      `'${filename}' does not make a playable story: ${listedAtMost(
        problems.map((p) => `${formatPath(p.path.slice(1))}: ${p.message}`),
        10,
      )}`,
      "invalid_story",
    );
  return imported;
}

/** `readStoryFile`, then the story file an import writes (refused when the service would not load it). */
export async function storyToWrite(filename: string, bytes: Buffer, reader: StoryReader): Promise<StoryToWrite> {
  const imported = await readStoryFile(filename, bytes, reader);
  const yaml = `# Imported from ${path.basename(filename)}\n${stringify(imported.document)}`;
  const size = Buffer.byteLength(yaml);
  if (size > RULES_FOLDER_FILE_MAX_BYTES)
    throw importError(
      `'${filename}' makes a story file of ${megabytes(size)} MB, and a story file loads up to ${megabytes(RULES_FOLDER_FILE_MAX_BYTES)} MB: split the story in two (each part its own story), or shorten its passages. Nothing was imported`,
      "story_too_large",
      413,
    );
  const scenes = (imported.document.story.scenes ?? {}) as Record<string, {title?: string}>;
  return {
    id: imported.id,
    yaml,
    ...(imported.beside ? {beside: imported.beside} : {}),
    warnings: imported.warnings,
    ...outline(imported),
    names: Object.entries(scenes).flatMap(([id, s]) => [id, s.title ?? id]),
  };
}

function outline(imported: ImportedStory): {start: string; scenes: SceneOutline[]} {
  const story = imported.document.story;
  // An ink story's scenes are made as it plays: it shows as one, its start.
  if (story.ink !== undefined) return {start: INK_SCENE, scenes: [{id: INK_SCENE, title: String(story.title)}]};
  const scenes = story.scenes as Record<string, Record<string, string | {to: string}>>;
  // A conditional exit is {to, if}: the answer names where it leads.
  const to = (exit: string | {to: string} | undefined) => (typeof exit === "object" ? exit.to : exit);
  return {
    start: story.start as string,
    scenes: Object.entries(scenes).map(([id, s]) => ({
      id,
      title: String(s.title ?? id),
      ...(s.left ? {left: to(s.left)} : {}),
      ...(s.right ? {right: to(s.right)} : {}),
      ...(s.end ? {end: to(s.end)} : {}),
    })),
  };
}

function megabytes(bytes: number): string {
  return (Math.round((bytes / (1024 * 1024)) * 10) / 10).toFixed(1);
}
