import {Story as InkStory} from "inkjs/full";
import {badRequest} from "../../core/errors.js";
import {INK_SCENE} from "../model/story.js";
import {InkRun, type InkScene, inkNarration} from "../play/inkRun.js";
import {compiledInk} from "./inkSource.js";
import {storyIdFrom} from "./sceneIds.js";
import type {ImportedStory} from "./types.js";

/** An imported ink story: played by the runtime (streamed), so it keeps the compiled JSON, not scenes. */
export interface InkImported {
  kind: "ink";
  /** The file name without its extension, as the title until the author gives one. */
  title: string;
  /** inkle's compiled runtime JSON: what each play starts from. */
  json: string;
  /** The first choice point, as a fresh play reaches it (what the import shows and checks). */
  start: InkScene;
  /** The ink variables at the start: the story's state. */
  variables: Record<string, unknown>;
}

/**
 * `.ink` or compiled `.json` to a story the runtime plays. The first scene is played once here, so
 * a story that fails at its very start (a runtime error) is refused at import, not on a child's player.
 */
export async function importInk(filename: string, bytes: Buffer): Promise<{story: InkImported; warnings: string[]}> {
  const {json, warnings} = compiledInk(filename, bytes);
  let run: InkRun;
  try {
    run = new InkRun(json);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    // inkle's runtime checks every EXTERNAL at the start; nothing of the author's is run here.
    const external = /Missing function binding for external: '([^']+)'/.exec(why)?.[1];
    if (external !== undefined)
      throw badRequest(
        `'${filename}' calls the EXTERNAL function '${external}', which this service never runs: write an ink function named ${external} in the story as its fallback`,
        "ink_external_function",
      );
    throw badRequest(`'${filename}' stops at its start: ${why}`, "ink_runtime_error");
  }
  const start = run.scene;
  if (start.menuAt !== undefined)
    warnings.push(`the first scene has ${start.choices.length} choices: it is played as a spoken menu`);
  // ink's own way to name a story: a `# title: …` tag at its top; else the file's name.
  const title = titleTag(json) ?? filename.replace(/^.*[\\/]/, "").replace(/\.(ink|json)$/i, "");
  return {story: {kind: "ink", title, json, start, variables: run.variables()}, warnings};
}

/**
 * The importer's reader for `.ink` and `.json`: a story file naming the compiled JSON written
 * beside it (`<id>.ink.json`), which this service runs while the story plays.
 */
export async function readInk(filename: string, bytes: Buffer): Promise<ImportedStory> {
  const {story, warnings} = await importInk(filename, bytes);
  const id = storyIdFrom(story.title);
  const json = `${id}.ink.json`;
  return {
    id,
    document: {story: {id, title: story.title.slice(0, 100) || id, ink: json}},
    texts: {[INK_SCENE]: inkNarration(story.start)},
    warnings,
    beside: [{name: json, content: story.json}],
  };
}

function titleTag(json: string): string | undefined {
  let tags: string[] | null = null;
  try {
    tags = new InkStory(json).globalTags;
  } catch {
    return undefined;
  }
  const tag = tags?.find((t) => /^title\s*:/i.test(t));
  return tag?.replace(/^title\s*:/i, "").trim() || undefined;
}
