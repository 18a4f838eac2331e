import type Router from "@koa/router";
import {errorMessage} from "../../core/errors.js";
import type {Logger} from "../../core/logger.js";
import type {Stories} from "../../stories/stories.js";
import type {Snapshot} from "../../streams/snapshots.js";
import type {Streams} from "../../streams/streams.js";
import type {FileSender} from "../fileSender.js";
import {sendSnapshot} from "./streamAudio.js";

const SCENE_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.mp3$/;

/**
 * `GET /stories/<story>/<scene>.mp3`: what a story card's track streams. The request itself tells
 * the story service where a player went; the audio is read after the rules that move started have
 * run, so a rule can change what the scene plays.
 */
export function storyAudioRoutes(
  router: Router,
  deps: {stories: Stories; streams: Streams; sender: FileSender; log: Logger},
): void {
  const {stories, streams, sender, log} = deps;
  router.get("/stories/:story/:file", async (ctx) => {
    const storyId = ctx.params.story as string;
    const sceneId = SCENE_FILE.exec(ctx.params.file as string)?.[1];
    if (!sceneId || !stories.has(storyId)) return;
    const scene = await stories.sceneRequested(storyId, sceneId);
    let snap: Snapshot;
    let forget = () => {};
    if ("stream" in scene.audio) {
      const name = scene.audio.stream;
      snap = streams.has(name) ? await streams.snapshot(name) : await streams.itemsSnapshot(name, []);
      forget = () => streams.forget(name);
    } else {
      let ids: string[] = [];
      try {
        ids = streams.resolveRefs(scene.audio.items);
      } catch (err) {
        log.warning(`Story '${storyId}' scene '${sceneId}' plays silence: ${errorMessage(err)}`);
      }
      snap = await streams.itemsSnapshot(`story-${storyId}-${sceneId}`, ids);
    }
    sendSnapshot(ctx, snap, sender, forget);
  });
}
