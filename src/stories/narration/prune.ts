import type {Scene, Story} from "../model/story.js";

/**
 * The narration keys the stories of the last load said and those of this load no longer say: what
 * an edit or a deleted story left behind. Only scenes' own texts are known ahead of time; speech made
 * as a story plays (an ink scene, a branch of a condition) is kept, as the cache it is.
 */
export function staleTexts(
  before: Story[],
  after: Story[],
  keyOf: (story: Story, scene: Scene) => string | undefined,
): string[] {
  const kept = new Set(after.map((s) => s.id));
  const now = new Map(after.map((s) => [s.id, s]));
  const changed = before.filter((s) => !kept.has(s.id) || now.get(s.id) !== s);
  if (changed.length === 0) return [];
  const wanted = new Set(after.flatMap((story) => story.scenes.flatMap((scene) => keyOf(story, scene) ?? [])));
  const stale = new Set<string>();
  for (const story of changed)
    for (const scene of story.scenes) {
      const key = keyOf(story, scene);
      if (key !== undefined && !wanted.has(key)) stale.add(key);
    }
  return [...stale];
}
