import type {StorySession, StoryView} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {StorySession, StoryView} from "../../../src/shared/api/index.js";

export const getStories = () => get<{stories: StoryView[]}>("api/stories");

export const playStory = (story: string, player: string) =>
  request<{session: StorySession}>("POST", `api/stories/${segment(story)}/play`, {player});
