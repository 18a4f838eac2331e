import type {Library} from "../library/library.js";
import type {Streams} from "../streams/streams.js";
import type {Scene, Story} from "./story.js";
import type {SceneSeconds} from "./tracker.js";

/**
 * How long a scene plays: the library durations of its items, or of its stream's queue now.
 * Unknown (undefined) for looping streams and references that no longer resolve.
 */
export function sceneSeconds(
  library: Library,
  streams: Streams,
  /** A narrated scene's library item, once it is made. */
  narrated: (story: Story, scene: Scene) => string | undefined = () => undefined,
): SceneSeconds {
  const total = (ids: string[]) => ids.reduce((sum, id) => sum + (library.get(id)?.duration ?? 0), 0);
  return (story, sceneId) => {
    const scene = story.scenes.find((s) => s.id === sceneId);
    if (!scene) return undefined;
    if ("stream" in scene.audio) {
      if (!streams.has(scene.audio.stream)) return undefined;
      const stream = streams.get(scene.audio.stream);
      return stream.mode === "loop" || stream.mode === "shuffle_loop" ? undefined : total(stream.items);
    }
    if ("say" in scene.audio) {
      const id = narrated(story, scene);
      return id === undefined ? undefined : total([id]);
    }
    try {
      return total(streams.resolveRefs(scene.audio.items));
    } catch {
      return undefined;
    }
  };
}
