import {notFound} from "../core/errors.js";
import type {StoryImported} from "../shared/api/stories.js";
import type {StoryCardUpkeep} from "./cardUpkeep.js";
import type {Story} from "./model/story.js";
import type {StoriesOptions} from "./storiesOptions.js";

/** What an import needs of the face: the importer, the cards it rewrites, the stories as loaded. */
export interface StoryImportsOptions extends Pick<StoriesOptions, "importer" | "narration"> {
  cardUpkeep: StoryCardUpkeep;
  /** A loaded story (a 404 for an unknown one). */
  story(id: string): Story;
}

/**
 * Story files from other tools (Twine, ink) imported into rules_dir, one at a time: each is loaded,
 * its cards rewritten and its narration begun before it answers, and the answer says how far that is.
 */
export class StoryImports {
  readonly #opts: StoryImportsOptions;
  #importing: Promise<unknown> = Promise.resolve();

  constructor(opts: StoryImportsOptions) {
    this.#opts = opts;
  }

  import(filename: string, bytes: Buffer, opts: {replace?: boolean} = {}): Promise<StoryImported> {
    // One at a time: each answer says what its own import did to the story's cards.
    const run = this.#importing.catch(() => undefined).then(() => this.#import(filename, bytes, opts));
    this.#importing = run;
    return run;
  }

  async #import(filename: string, bytes: Buffer, opts: {replace?: boolean}): Promise<StoryImported> {
    const importer = this.#opts.importer;
    if (!importer) throw notFound("This service imports no stories", "no_story_import");
    // Every story card as it is: the imported story's id is known only once the file is read.
    const before = this.#opts.cardUpkeep.snapshot();
    const result = await importer.import(filename, bytes, opts);
    // The story's cards are rewritten in the same import: the answer says what each got.
    const cards = await this.#opts.cardUpkeep.since(result.id, before);
    const story = this.#opts.story(result.id);
    const start = story.scenes.find((s) => s.id === story.start);
    return {
      ...result,
      title: story.title,
      startTitle: start?.title ?? result.start,
      cards,
      narration: this.#opts.narration?.progress(result.id) ?? null,
    };
  }
}
