import {AppError} from "../../core/errors.js";

/** What an import makes: a `story:` document to write where stories live, and what to tell the author. */
export interface ImportedStory {
  id: string;
  /** The `story:` document, as a story file holds it (checked before it is written). */
  document: {story: Record<string, unknown>};
  /** Each scene's text to narrate (markup and macros removed), by scene id. */
  texts: Record<string, string>;
  /** Things the story does that the import could not keep, each naming its passage. */
  warnings: string[];
  /** Files the story file names, written beside it first (an ink story's compiled JSON). */
  beside?: Array<{name: string; content: string}>;
}

/**
 * A file that cannot be imported: `message` says what is wrong and how to fix it. A 400 (413 when
 * too large) on the API, the message alone on the command line.
 */
export function importError(message: string, code = "invalid_story", status = 400): AppError {
  return new AppError(code, message, {status});
}

/** Reads one kind of story file (Twine, ink) into a story. */
export type StoryReader = (filename: string, bytes: Buffer) => ImportedStory | Promise<ImportedStory>;

/**
 * Problems joined for an answer, at most `most` of them (then how many more): a hostile file with
 * thousands of the same mistake gets an answer a person can read, not one of hundreds of kilobytes.
 */
export function listedAtMost(problems: string[], most: number): string {
  const shown = problems.slice(0, most).join("; ");
  return problems.length > most ? `${shown}; and ${problems.length - most} more like these` : shown;
}
