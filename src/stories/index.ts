/**
 * The stories family's one face: what the rest of the service uses of stories. Inside are the story
 * model (model/), the import from Twine and ink (import/) and the export back to Twine (export/), the
 * streamed stories this service plays (play/) and their narration (narration/); nothing outside this
 * folder reaches into them.
 */
export {buildStories, type StoriesDeps} from "./buildStories.js";
export {storyToTwee} from "./export/twee.js";
export {tweeStream} from "./export/tweeStream.js";
export {IMPORT_MAX_BYTES, type ImportResult} from "./import/importer.js";
export type {ScenePlays} from "./model/sceneAudio.js";
export {type Exit, isIconRef, type Scene, type Story, type StoryMode} from "./model/story.js";
export type {StoryNarration} from "./narration/narration.js";
export type {StreamedStories} from "./play/streamedStories.js";
export {Stories, type StoriesOptions} from "./stories.js";
export {StoryFiles} from "./storyFiles.js";
export type {StorySession} from "./tracker.js";
