import type {Scene, Story} from "../model/story.js";

/**
 * The narration keys of the stories of the last load that this load changed or dropped: what an edit
 * or a deleted story may have left behind (narration removes those no story says by then). Only
 * scenes' own texts are known ahead of time; speech made as a story plays (an ink scene, a branch of
 * a condition) is kept, as the cache it is.
 */
export function leftBehind(
  before: Story[],
  after: Story[],
  keyOf: (story: Story, scene: Scene) => string | undefined,
  same: (was: Story, now: Story) => boolean = (was, now) => was === now,
): string[] {
  const now = new Map(after.map((s) => [s.id, s]));
  const changed = before.filter((s) => {
    const next = now.get(s.id);
    return next === undefined || !same(s, next);
  });
  return [...new Set(changed.flatMap((story) => story.scenes.flatMap((scene) => keyOf(story, scene) ?? [])))];
}
