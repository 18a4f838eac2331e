import type Router from "@koa/router";
import type {Context} from "koa";
import type {Logger} from "../../core/logger.js";
import {fileOf} from "../../links/audioPaths.js";
import type {Scene, ScenePlays, Stories} from "../../stories/index.js";
import type {Snapshot} from "../../streams/snapshots.js";
import type {Streams} from "../../streams/streams.js";
import type {FileSender} from "../fileSender.js";
import {listenerGone} from "../listenerLeaving.js";
import {sendSnapshot} from "./streamAudio.js";

export interface StoryAudioDeps {
  stories: Stories;
  streams: Streams;
  sender: FileSender;
  log: Logger;
}

/**
 * `GET /stories/<story>/<scene>.mp3`: what a story card's track streams. The request itself tells
 * the story service where a player went; the audio is read after the rules that move started have
 * run, so a rule can change what the scene plays. `GET /stories/<story>/slots/<n>.mp3`: a streamed
 * story's slot, whose scene the button that led there decides.
 */
export function storyAudioRoutes(router: Router, deps: StoryAudioDeps): void {
  const {stories} = deps;
  router.get("/stories/:story/:file", async (ctx) => {
    const storyId = ctx.params.story as string;
    const sceneId = fileOf.scene(ctx.params.file as string);
    if (!sceneId || !stories.has(storyId)) return;
    await sendPlays(ctx, deps, `story-${storyId}-${sceneId}`, await stories.sceneRequested(storyId, sceneId));
  });
  router.get("/stories/:story/slots/:file", async (ctx) => {
    const storyId = ctx.params.story as string;
    const slot = fileOf.slot(ctx.params.file as string);
    // Any story can be streamed from a card made so (`mode: streamed`); an ink story only can.
    if (slot === undefined || !stories.has(storyId)) return;
    const scene = await stories.slotRequested(storyId, slot);
    await sendScene(ctx, deps, storyId, scene);
  });
}

/** A scene's audio as one MP3 (what Stories decides it plays); silence once a story has ended. */
async function sendScene(ctx: Context, deps: StoryAudioDeps, storyId: string, scene: Scene | undefined): Promise<void> {
  const {stories} = deps;
  const label = `story-${storyId}-${scene?.id ?? "end"}`;
  const plays = scene ? await stories.sceneToServe(stories.get(storyId), scene) : {items: []};
  await sendPlays(ctx, deps, label, plays);
}

/** What a scene plays, as one MP3: a stream's queue as it is now, or library items (none: silence). */
async function sendPlays(ctx: Context, deps: StoryAudioDeps, label: string, plays: ScenePlays): Promise<void> {
  const {streams, log} = deps;
  let snap: Snapshot;
  let forget = () => {};
  if ("stream" in plays) {
    const name = plays.stream;
    snap = streams.has(name)
      ? await streams.snapshot(name, listenerGone(ctx.res))
      : await streams.itemsSnapshot(name, []);
    forget = () => streams.forget(name);
  } else {
    if ("silence" in plays) log.warning(`${label} plays silence: ${plays.silence}`);
    snap = await streams.itemsSnapshot(label, "items" in plays ? plays.items : []);
  }
  sendSnapshot(ctx, snap, deps.sender, forget);
}
