import type {Cards} from "../cards/cards.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {NarrationProgress} from "../shared/api/stories.js";
import type {Admission} from "../yoto/admission.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {StoryImporter} from "./import/importer.js";
import type {Scene, Story} from "./model/story.js";
import type {StoryStreams} from "./storyFiles.js";
import type {StorySession} from "./tracker.js";

// What the stories' face is built from, and the two services it hands work to (narration and the
// streamed stories' player), apart from the face itself so each side reads them without the other.

export interface StoriesOptions {
  bus: EventBus;
  /** A story's starts and moves pass the play gate. */
  players: Pick<GatedPlayers, "list" | "get" | "command" | "admit">;
  cards: Cards;
  /** The streams a scene may play, and the library items its references name. */
  streams: StoryStreams & {get(name: string): {mode: string; items: string[]}};
  /** A library item's length in seconds (what a scene's length is made of). */
  duration: (itemId: string) => number | undefined;
  /** A library item's size in bytes (a story track's `fileSize`). */
  size?: (itemId: string) => number | undefined;
  /** `say` scenes made audio; without it they play silence. */
  narration?: StoryNarrator;
  /** Story files from other tools (Twine, ink), written into rules_dir. */
  importer?: Pick<StoryImporter, "import"> & Partial<Pick<StoryImporter, "stop">>;
  log: Logger;
  /**
   * Emit a move's events and resolve when the rule runs they started are done, so a rule that
   * changes a scene's queue on `button` does so before that scene is served.
   */
  settle?: (emit: () => void) => Promise<void>;
  /** How long a scene request waits for the cloud to say which player asked. */
  attributionWaitMs?: number;
  /** How long a scene request waits for the rules its move started. */
  rulesWaitMs?: number;
  /** After a card could not be rewritten: how long before each next try. */
  cardRetryMs?: readonly number[];
}

/** What stories need of their narration (narration/). */
export interface StoryNarrator {
  setStories(stories: Story[]): void;
  audioFor(story: Story, scene: Scene): Promise<string>;
  cachedItem(story: Story, scene: Scene): string | undefined;
  progress(storyId: string): NarrationProgress | undefined;
  retry(storyId: string): NarrationProgress | undefined;
}

/** Plays streamed stories (play/): this service serves each next scene, so it is the story. */
export interface StreamedPlayer {
  play(player: PlayerState, story: Story, admission: Admission): Promise<StorySession>;
  /**
   * A streamed story's card asks for a slot: the scene the button that led there decides (`restarted`:
   * the start again, as the player's place no longer fits the story).
   */
  request(storyId: string, slot: number): Promise<(Scene & {restarted?: boolean}) | undefined>;
  sessions(): StorySession[];
}
