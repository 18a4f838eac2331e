import type {CardPlan, MadeScene} from "../../shared/api/cards.js";
import type {StoryMode} from "../../shared/api/stories.js";
import type {Scene, Story} from "./story.js";

export type {CardPlan, MadeScene};

const MAX_CHANGES = 12;

/** The card plan of a story in a card mode (`streamed`: no scenes on the card). */
export function cardPlan(
  story: Story,
  mode: StoryMode,
  icon?: string,
  /** A scene's length as its track would report it now (its audio made already). */
  seconds?: (scene: Scene) => number | undefined,
): CardPlan {
  const plan: CardPlan = {title: story.title, storyMode: story.mode};
  const cardIcon = icon ?? story.icon;
  if (cardIcon !== undefined) plan.icon = cardIcon;
  if (mode === "streamed") return plan;
  // A linear card's exits are its order: the scenes' own exits are not on it.
  const exits = mode !== "linear";
  plan.scenes = story.scenes.map((s) => {
    const made: MadeScene = {id: s.id, title: s.title};
    if (exits) {
      if (s.exits.left !== undefined) made.left = s.exits.left;
      if (s.exits.right !== undefined) made.right = s.exits.right;
      made.end = s.exits.end ?? "stop";
    }
    if (s.icon !== undefined) made.icon = s.icon;
    const length = seconds?.(s);
    if (length !== undefined) made.seconds = length;
    return made;
  });
  return plan;
}

/**
 * What differs between a card as made and as the story is now, in words a parent reads ("scene
 * 'gate' added"); empty when the card is up to date. A card made before plans were kept has only
 * its scene ids to compare.
 */
export function planChanges(made: CardPlan | string[], now: CardPlan): string[] {
  const changes: string[] = [];
  if (Array.isArray(made)) {
    sceneListChanges(made, now.scenes?.map((s) => s.id) ?? made, changes);
    return capped(changes);
  }
  if (made.title !== now.title) changes.push(`title now "${now.title}" (was "${made.title}")`);
  if (made.icon !== now.icon) changes.push(now.icon === undefined ? "icon taken off" : "icon changed");
  const before = made.scenes ?? [];
  const after = now.scenes ?? [];
  sceneListChanges(
    before.map((s) => s.id),
    after.map((s) => s.id),
    changes,
  );
  const was = new Map(before.map((s) => [s.id, s]));
  for (const scene of after) {
    const old = was.get(scene.id);
    if (old) sceneChanges(old, scene, changes);
  }
  return capped(changes);
}

function sceneListChanges(before: string[], after: string[], changes: string[]): void {
  const had = new Set(before);
  const has = new Set(after);
  if (before[0] !== undefined && after[0] !== undefined && before[0] !== after[0])
    changes.push(`starts at '${after[0]}' now (was '${before[0]}')`);
  for (const id of after) if (!had.has(id)) changes.push(`scene '${id}' added`);
  for (const id of before) if (!has.has(id)) changes.push(`scene '${id}' removed`);
}

function sceneChanges(old: MadeScene, now: MadeScene, changes: string[]): void {
  if (old.title !== now.title) changes.push(`scene '${now.id}' now titled "${now.title}" (was "${old.title}")`);
  for (const exit of ["left", "right", "end"] as const) {
    if (old[exit] === now[exit]) continue;
    changes.push(`scene '${now.id}': ${exit} ${where(now[exit])} (was ${where(old[exit])})`);
  }
  if (old.icon !== now.icon) changes.push(`scene '${now.id}': icon changed`);
  // A length known now (its narration made since) is written so the Yoto app shows it.
  if (now.seconds !== undefined && old.seconds !== now.seconds)
    changes.push(
      `scene '${now.id}': length ${now.seconds} s${old.seconds === undefined ? "" : ` (was ${old.seconds} s)`}`,
    );
}

function where(to: string | undefined): string {
  if (to === undefined) return "does nothing";
  return to === "stop" ? "stops the story" : `goes to '${to}'`;
}

function capped(changes: string[]): string[] {
  if (changes.length <= MAX_CHANGES) return changes;
  return [...changes.slice(0, MAX_CHANGES - 1), `and ${changes.length - MAX_CHANGES + 1} more changes`];
}
