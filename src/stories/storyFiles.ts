import path from "node:path";
import {nextTurn} from "../core/concurrency.js";
import type {ConfigPath} from "../core/configPath.js";
import {errorMessage} from "../core/errors.js";
import {InkFiles} from "./inkFiles.js";
import {checkStory, type Story, type StoryChecks} from "./model/story.js";

/** A `story:` document read from rules_dir (the folder's reader parses every YAML file once). */
export interface StoryDocument {
  /** Relative to rules_dir. */
  file: string;
  content: Record<string, unknown>;
}

/** What is wrong with a story file, by its path inside the document: the reader places it on a line. */
export interface StoryFileProblem {
  file: string;
  path: ConfigPath;
  message: string;
  /** The story's id when the document names one: that story keeps its last good version. */
  story?: string;
}

/** What the stories' audio may name, beside the folder's own files. */
export interface StoryFileContext {
  /** rules_dir: where an ink story's compiled JSON is looked for, beside its story file. */
  dir: string;
  /** Streams that some rule creates: a scene may play one before it exists. */
  createdStreams: ReadonlySet<string>;
}

/** The streams a story's scene may name, and the library items they resolve. */
export interface StoryStreams {
  has(name: string): boolean;
  list(): Array<{name: string}>;
  resolveRefs(refs: string[]): string[];
}

/**
 * Check every story document of a load: each alone (`checkStory`), then their ids across files. A
 * story whose file fails is reported with its id, so the one loaded before keeps playing.
 */
export function readStoryDocuments(
  documents: readonly StoryDocument[],
  checks: StoryChecks,
): {stories: Story[]; problems: StoryFileProblem[]} {
  const stories: Story[] = [];
  const problems: StoryFileProblem[] = [];
  const seen = new Map<string, string>();
  for (const {file, content} of documents) {
    const declared = (content.story as {id?: unknown} | undefined)?.id;
    const storyId = typeof declared === "string" ? declared : undefined;
    const report = (where: ConfigPath, message: string) =>
      problems.push({file, path: where, message, ...(storyId ? {story: storyId} : {})});
    for (const key of Object.keys(content))
      if (key !== "story") report([key], `a story file holds only 'story:'; move '${key}' to a rules file`);
    const checked = checkStory(content.story, file, checks);
    for (const problem of checked.problems) report(problem.path, problem.message);
    const story = checked.story;
    if (!story) continue;
    const other = seen.get(story.id);
    if (other) {
      report(["story", "id"], `duplicate story id '${story.id}' (also in ${other})`);
      continue;
    }
    seen.set(story.id, file);
    stories.push(story);
  }
  return {stories, problems};
}

/**
 * What a story's audio may name: MP3 library items (scenes are served as one MP3) and streams; an
 * ink story's compiled JSON as `ink` last looked at it.
 */
export function storyChecks(streams: StoryStreams | undefined, context: StoryFileContext, ink: InkFiles): StoryChecks {
  const inkFile: NonNullable<StoryChecks["inkFile"]> = (ref, storyFile) =>
    ink.check(inkPath(context.dir, storyFile, ref), ref);
  if (!streams) return {inkFile};
  const created = context.createdStreams;
  return {
    inkFile,
    badItems: (refs) => {
      try {
        streams.resolveRefs(refs);
        return undefined;
      } catch (err) {
        return errorMessage(err);
      }
    },
    streamKnown: (name) => streams.has(name) || created.has(name),
    knownStreams: () => [...new Set([...streams.list().map((s) => s.name), ...created])].sort(),
  };
}

/** An ink story's compiled JSON: beside its story file. */
function inkPath(dir: string, storyFile: string, ref: string): string {
  return path.join(dir, path.dirname(storyFile), ref);
}

/** The compiled ink files the documents name (those the story check reads: a `.json` inside the folder). */
function inkFilesOf(documents: readonly StoryDocument[], dir: string): string[] {
  return documents.flatMap(({file, content}) => {
    const ref = (content.story as {ink?: unknown} | undefined)?.ink;
    if (typeof ref !== "string" || !/^[^/\\].*\.json$/i.test(ref) || ref.split(/[/\\]/).includes("..")) return [];
    return [inkPath(dir, file, ref)];
  });
}

/**
 * The story files of rules_dir: what the folder's reader hands over (every `story:` document of a
 * load), checked here. The running service keeps the stories of each load (`loaded`); `rules check`
 * and `rules simulate` read them from `stories`.
 */
export class StoryFiles {
  /** The top-level key that makes a YAML document a story file. */
  readonly key = "story";
  readonly #streams?: StoryStreams;
  readonly #loaded?: (stories: Story[], failing: string[]) => void;
  /** Kept across loads: an ink story's JSON is read again only when it changes. */
  readonly #ink = new InkFiles();
  #stories: Story[] = [];

  constructor(streams?: StoryStreams, loaded?: (stories: Story[], failing: string[]) => void) {
    this.#streams = streams;
    this.#loaded = loaded;
  }

  /** The stories of the last load that passed every check. */
  get stories(): Story[] {
    return this.#stories;
  }

  async load(documents: readonly StoryDocument[], context: StoryFileContext): Promise<StoryFileProblem[]> {
    await this.#ink.refresh(inkFilesOf(documents, context.dir));
    const {stories, problems} = readStoryDocuments(documents, storyChecks(this.#streams, context, this.#ink));
    this.#stories = stories;
    // The check and what the services then do with the stories (narration, cards) each take tens of
    // milliseconds for a 2,000-scene story: two turns of the event loop, so a request waits for one.
    await nextTurn();
    this.#loaded?.(stories, [...new Set(problems.flatMap((p) => (p.story ? [p.story] : [])))]);
    return problems;
  }
}
