import type {Scene, Story} from "./story.js";

/**
 * What a scene plays, decided in this one place for the card's scene URL, its length in the tracker
 * and the library's Stories section: its stream's queue, library items, or silence and why.
 */
export type ScenePlays = {stream: string} | {items: string[]} | {silence: string};

/** What deciding a scene's audio reads: the streams' references, and a `say` scene's narration. */
export interface SceneAudioSources {
  /** Library ids of references (ids, paths, globs); throws with the reason when one resolves to nothing. */
  resolveRefs(refs: string[]): string[];
  /** A `say` scene's narration as a library item, once it is made (undefined before). */
  narrated(story: Story, scene: Scene): string | undefined;
}

export function sceneAudio(story: Story, scene: Scene, sources: SceneAudioSources): ScenePlays {
  const audio = scene.audio;
  if ("stream" in audio) return {stream: audio.stream};
  if ("say" in audio) {
    const item = sources.narrated(story, scene);
    return item === undefined ? {silence: "its narration is not made yet"} : {items: [item]};
  }
  try {
    return {items: sources.resolveRefs(audio.items)};
  } catch (err) {
    return {silence: err instanceof Error ? err.message : String(err)};
  }
}

/** How long a scene plays: its items' durations, or its stream's queue now; unknown for a loop or silence. */
export function sceneSeconds(
  plays: ScenePlays,
  streams: {has(name: string): boolean; get(name: string): {mode: string; items: string[]}},
  duration: (itemId: string) => number | undefined,
): number | undefined {
  const total = (ids: string[]) => ids.reduce((sum, id) => sum + (duration(id) ?? 0), 0);
  if ("silence" in plays) return undefined;
  if ("items" in plays) return total(plays.items);
  if (!streams.has(plays.stream)) return undefined;
  const stream = streams.get(plays.stream);
  return stream.mode === "loop" || stream.mode === "shuffle_loop" ? undefined : total(stream.items);
}

/**
 * A scene's length and size as its card track reports them (the Yoto app shows the length): its
 * files' when it plays library items or narration made already; a stream's queue can change, and
 * narration not made yet is not known, so those have none.
 */
export function trackMeasure(
  plays: ScenePlays,
  duration: (itemId: string) => number | undefined,
  size?: (itemId: string) => number | undefined,
): {duration?: number; fileSize?: number} {
  if (!("items" in plays) || plays.items.length === 0) return {};
  return {
    duration: Math.round(plays.items.reduce((sum, id) => sum + (duration(id) ?? 0), 0)),
    fileSize: plays.items.reduce((sum, id) => sum + (size?.(id) ?? 0), 0),
  };
}
