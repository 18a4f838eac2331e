import type {PlayerButton, SceneEntered} from "../shared/api/stories.js";

/** What following players through stories tells the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    "player.button": PlayerButton;
    "story.sceneEntered": SceneEntered;
  }
}
