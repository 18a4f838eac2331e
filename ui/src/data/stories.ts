import type {NarrationProgress, StoryImported, StorySession, StoryView} from "../../../src/shared/api/index.js";
import {get, request, segment, withQuery} from "./http.js";
import {uploadFile} from "./upload.js";

export type {NarrationProgress, StoryImported, StorySession, StoryView} from "../../../src/shared/api/index.js";

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
