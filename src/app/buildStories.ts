import path from "node:path";
import type {Cards} from "../cards/cards.js";
import {StoryNarration} from "../narration/narration.js";
import {sceneSeconds} from "../stories/sceneSeconds.js";
import {Stories} from "../stories/stories.js";
import {StreamedStories} from "../storyPlay/streamedStories.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {LateWiring} from "./lateWiring.js";

/** Stories: the loaded ones and where players are, their narration, and the streamed ones this service plays. */
export function buildStories(deps: Base & Cloud & {cards: Cards}, opts: AppOptions, late: LateWiring) {
  const {config, dataDir, store, bus, log, library, streams, players, cards, speech} = deps;
  const narration = new StoryNarration({
    speech,
    library,
    bus,
    log: log.child("narration"),
    workDir: path.join(dataDir, "narration-incoming"),
    rulesDir: path.resolve(config.rules_dir),
    maxBytes: config.upload_max_mb * 1024 * 1024,
    ffmpegPath: () => opts.ffmpegPath,
  });
  const stories = new Stories({
    bus,
    players,
    cards,
    sceneSeconds: sceneSeconds(library, streams, (story, scene) => narration.cachedItem(story, scene)),
    log: log.child("stories"),
    settle: late.settleRules,
  });
  const streamed = new StreamedStories({stories, players, cards, store, bus, log: log.child("streamed-stories")});
  stories.setStreamedPlayer(streamed);
  return {stories, narration, streamed};
}
