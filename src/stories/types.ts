import type {PlayerButton, SceneEntered, StoryCardsChanged, StoryNarrationEvent} from "../shared/api/stories.js";

/** What stories tell the rest of the app: players' moves through them, and their narration. */
declare module "../core/events.js" {
  interface EventMap {
    "player.buttonPressed": PlayerButton;
    "story.sceneEntered": SceneEntered;
    /** A story's narration moved on (a scene made, or failed). */
    "story.narrationProgress": StoryNarrationEvent;
    /** A story's cards were rewritten, or could not be: its cards' states changed. */
    "story.cardsChanged": StoryCardsChanged;
  }
}
