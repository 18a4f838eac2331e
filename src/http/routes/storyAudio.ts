import type Router from "@koa/router";
import type {Context} from "koa";
import {errorMessage} from "../../core/errors.js";
import type {Logger} from "../../core/logger.js";
import type {StoryNarration} from "../../narration/narration.js";
import type {Stories} from "../../stories/stories.js";
import type {Scene} from "../../stories/story.js";
import type {StreamedStories} from "../../storyPlay/streamedStories.js";
import type {Snapshot} from "../../streams/snapshots.js";
import type {Streams} from "../../streams/streams.js";
import type {FileSender} from "../fileSender.js";
import {sendSnapshot} from "./streamAudio.js";

const SCENE_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.mp3$/;
const SLOT_FILE = /^([0-3])\.mp3$/;

export interface StoryAudioDeps {
  stories: Stories;
  streams: Streams;
  sender: FileSender;
  log: Logger;
  narration?: StoryNarration;
  streamed?: StreamedStories;
}

/**
 * `GET /stories/<story>/<scene>.mp3`: what a story card's track streams. The request itself tells
 * the story service where a player went; the audio is read after the rules that move started have
 * run, so a rule can change what the scene plays. `GET /stories/<story>/slots/<n>.mp3`: a streamed
 * story's slot, whose scene the button that led there decides (storyPlay/).
 */
export function storyAudioRoutes(router: Router, deps: StoryAudioDeps): void {
  const {stories, streamed} = deps;
  router.get("/stories/:story/:file", async (ctx) => {
    const storyId = ctx.params.story as string;
    const sceneId = SCENE_FILE.exec(ctx.params.file as string)?.[1];
    if (!sceneId || !stories.has(storyId)) return;
    const scene = await stories.sceneRequested(storyId, sceneId);
    await sendScene(ctx, deps, storyId, scene);
  });
  router.get("/stories/:story/slots/:file", async (ctx) => {
    const storyId = ctx.params.story as string;
    const slot = SLOT_FILE.exec(ctx.params.file as string)?.[1];
    // Any story can be streamed from a card made so (`mode: streamed`); an ink story only can.
    if (!slot || !streamed || !stories.has(storyId)) return;
    const scene = await streamed.request(storyId, Number(slot));
    await sendScene(ctx, deps, storyId, scene);
  });
}

/** A scene's audio as one MP3: its items, its stream's queue, or its narration; silence once a story has ended. */
async function sendScene(ctx: Context, deps: StoryAudioDeps, storyId: string, scene: Scene | undefined): Promise<void> {
  const {streams, log, narration} = deps;
  const label = `story-${storyId}-${scene?.id ?? "end"}`;
  let snap: Snapshot;
  let forget = () => {};
  const silence = (why: string, err: unknown) => {
    log.warning(`Story '${storyId}' scene '${scene?.id}' plays silence: ${why}${errorMessage(err)}`);
    return [];
  };
  if (!scene) snap = await streams.itemsSnapshot(label, []);
  else if ("stream" in scene.audio) {
    const name = scene.audio.stream;
    snap = streams.has(name) ? await streams.snapshot(name) : await streams.itemsSnapshot(name, []);
    forget = () => streams.forget(name);
  } else if ("say" in scene.audio) {
    let ids: string[];
    try {
      if (!narration) throw new Error("this service narrates no stories");
      ids = [await narration.audioFor(deps.stories.get(storyId), scene)];
    } catch (err) {
      ids = silence("its narration failed, ", err);
    }
    snap = await streams.itemsSnapshot(label, ids);
  } else {
    let ids: string[];
    try {
      ids = streams.resolveRefs(scene.audio.items);
    } catch (err) {
      ids = silence("", err);
    }
    snap = await streams.itemsSnapshot(label, ids);
  }
  sendSnapshot(ctx, snap, deps.sender, forget);
}
