import type {
  NarrationProgress,
  OwnCard,
  StoryImported,
  StorySession,
  StoryView,
} from "../../../src/shared/api/index.js";
import {get, request, segment, withQuery} from "./http.js";
import {uploadFile} from "./upload.js";

export type {
  Exit,
  NarrationProgress,
  StoryCardRewrite,
  StoryCardState,
  StoryImported,
  StorySession,
  StoryView,
} from "../../../src/shared/api/index.js";

export const getStories = () => get<{stories: StoryView[]}>("api/stories");

export const playStory = (story: string, player: string) =>
  request<{session: StorySession}>("POST", `api/stories/${segment(story)}/play`, {player});

/**
 * Import a Twine or ink file as a story: its bytes as the body, its name saying which reader.
 * `replace` overwrites a story imported before (the service answers 409 `story_exists` without it).
 */
export const importStory = (file: File, replace = false) =>
  uploadFile<StoryImported>(
    withQuery("api/stories/import", {filename: file.name, replace: replace ? "true" : undefined}),
    file,
    // Story files are small (5 MB at most): the view shows "Importing…" rather than a bar.
    () => {},
  );

/** Narrate again the scenes whose narration failed. */
export const narrateStory = (story: string) =>
  request<{narration: NarrationProgress}>("POST", `api/stories/${segment(story)}/narrate`);

/** Make a story's first card (the service names it after the story, in the story's mode). */
export const makeStoryCard = (story: string) => request<{card: OwnCard}>("POST", "api/cards", {from: "story", story});

/** Make a card again from its story as it is now (no body: what it was made from). */
export const remakeCard = (cardId: string) => request<{card: OwnCard}>("PUT", `api/cards/${segment(cardId)}`);

/**
 * The icon on the story's cards, over the story's own (`null`: back to the story's own); the service
 * rewrites the cards and answers the story.
 */
export const setStoryIcon = (story: string, icon: string | null) =>
  request<StoryView>("PUT", `api/stories/${segment(story)}/icon`, {icon});

/** The story as a Twee 3 file for Twine: a plain link downloads it (relative, so it works under ingress). */
export function storyExportUrl(storyId: string): string {
  return withQuery(`api/stories/${segment(storyId)}/export`, {format: "twee"});
}
