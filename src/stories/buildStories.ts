import path from "node:path";
import type {Cards} from "../cards/cards.js";
import type {Config} from "../config/schema.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Library} from "../library/library.js";
import type {Speech} from "../speech/speech.js";
import type {StateStore} from "../store/store.js";
import type {Streams} from "../streams/streams.js";
import {StoryImporter} from "./import/importer.js";
import {StoryNarration} from "./narration/narration.js";
import {StreamedStories} from "./play/streamedStories.js";
import {Stories} from "./stories.js";

export interface StoriesDeps {
  config: Pick<Config, "rules_dir" | "upload_max_mb">;
  dataDir: string;
  store: StateStore;
  bus: EventBus;
  log: Logger;
  library: Library;
  streams: Streams;
  players: GatedPlayers;
  cards: Cards;
  speech: Speech;
  ffmpegPath?: string;
  /**
   * Bound late (the rule engine is built after stories). `settleRules` emits a move's events and
   * resolves when the rule runs they started are done, so a rule on `button` changes the next
   * scene's queue before it is served; `reloadRules` reads rules_dir again after an import wrote a
   * story file, so it loads before the import answers.
   */
  settleRules: (emit: () => void) => Promise<void>;
  reloadRules: () => Promise<unknown>;
  /** After a story card could not be rewritten: how long before each next try. */
  cardRetryMs?: readonly number[];
  /** How long a streamed story's slot request waits for the cloud to say which player asked. */
  attributionWaitMs?: number;
}

/**
 * The stories family: the loaded stories and where each player is in them (the face), their
 * narration, the streamed ones this service plays scene by scene, and the import from Twine and ink.
 */
export function buildStories(deps: StoriesDeps) {
  const {config, dataDir, store, bus, log, library, streams, players, cards, speech} = deps;
  const rulesDir = path.resolve(config.rules_dir);
  const narration = new StoryNarration({
    speech,
    library,
    bus,
    log: log.child("narration"),
    workDir: path.join(dataDir, "narration-incoming"),
    rulesDir,
    maxBytes: config.upload_max_mb * 1024 * 1024,
    ffmpegPath: () => deps.ffmpegPath,
  });
  const stories = new Stories({
    bus,
    players,
    cards,
    streams,
    duration: (id) => library.get(id)?.duration,
    size: (id) => library.get(id)?.size,
    narration,
    importer: new StoryImporter({rulesDir, written: () => deps.reloadRules()}),
    log: log.child("stories"),
    settle: deps.settleRules,
    cardRetryMs: deps.cardRetryMs,
  });
  const streamed = new StreamedStories({
    ...{stories, players, cards, store, bus, log: log.child("streamed-stories")},
    attributionWaitMs: deps.attributionWaitMs,
  });
  stories.setStreamedPlayer(streamed);
  return {stories, narration, streamed};
}
