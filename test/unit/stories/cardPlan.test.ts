import {describe, expect, it} from "vitest";
import {cardPlan, planChanges} from "../../../src/stories/model/cardPlan.js";
import type {Scene, Story} from "../../../src/stories/model/story.js";

function story(scenes: Array<Partial<Scene> & {id: string}>, extra: Partial<Story> = {}): Story {
  return {
    id: "fox",
    title: "Fox",
    mode: "interactive",
    start: scenes[0]!.id,
    scenes: scenes.map((s) => ({title: s.id, audio: {say: s.id}, exits: {}, ...s})),
    variables: {},
    file: "fox.yaml",
    ...extra,
  };
}

const first = story([
  {id: "glade", exits: {left: "share", right: "keep"}},
  {id: "share", exits: {}},
  {id: "keep", exits: {}},
]);

describe("a story card's plan: whether the card plays the story as it is now", () => {
  it("is up to date when nothing the card holds changed (a scene's text is served, not written on the card)", () => {
    const edited = story([
      {id: "glade", exits: {left: "share", right: "keep"}, audio: {say: "New words"}},
      {id: "share", exits: {}},
      {id: "keep", exits: {}},
    ]);
    expect(planChanges(cardPlan(first, "interactive"), cardPlan(edited, "interactive"))).toEqual([]);
  });

  it("names scenes added and removed, exits moved, titles, icons and the start, in words", () => {
    const second = story(
      [
        {id: "keep", title: "Keeping", exits: {left: "glade"}},
        {id: "glade", exits: {left: "feast", right: "keep"}, icon: "yoto:#abcdefgh"},
        {id: "feast", exits: {end: "stop"}},
      ],
      {title: "Fox Two"},
    );
    expect(planChanges(cardPlan(first, "interactive"), cardPlan(second, "interactive"))).toEqual([
      'title now "Fox Two" (was "Fox")',
      "starts at 'keep' now (was 'glade')",
      "scene 'feast' added",
      "scene 'share' removed",
      `scene 'keep' now titled "Keeping" (was "keep")`,
      "scene 'keep': left goes to 'glade' (was does nothing)",
      "scene 'glade': left goes to 'feast' (was goes to 'share')",
      "scene 'glade': icon changed",
    ]);
  });

  it("a linear card holds no exits; a streamed card only its title and icon", () => {
    const moved = story([
      {id: "glade", exits: {left: "keep"}},
      {id: "share", exits: {}},
      {id: "keep", exits: {}},
    ]);
    expect(planChanges(cardPlan(first, "linear"), cardPlan(moved, "linear"))).toEqual([]);
    const bigger = story([...first.scenes, {id: "cave", exits: {}}]);
    expect(planChanges(cardPlan(first, "streamed"), cardPlan(bigger, "streamed"))).toEqual([]);
    expect(planChanges(cardPlan(first, "streamed"), cardPlan(first, "streamed", "yoto:#zzzzzzzz"))).toEqual([
      "icon changed",
    ]);
    expect(planChanges(cardPlan(first, "streamed", "yoto:#zzzzzzzz"), cardPlan(first, "streamed"))).toEqual([
      "icon taken off",
    ]);
  });

  it("a card made before plans were kept compares its scene ids", () => {
    expect(planChanges(["glade", "share", "keep"], cardPlan(first, "interactive"))).toEqual([]);
    expect(planChanges(["glade", "gone"], cardPlan(first, "interactive"))).toEqual([
      "scene 'share' added",
      "scene 'keep' added",
      "scene 'gone' removed",
    ]);
  });

  it("a long list ends with how many more", () => {
    const many = story(Array.from({length: 30}, (_, i) => ({id: `s${i}`, exits: {}})));
    // A new start, 30 scenes added and 3 removed: 34 changes, 11 shown.
    const changes = planChanges(cardPlan(first, "interactive"), cardPlan(many, "interactive"));
    expect(changes).toHaveLength(12);
    expect(changes.at(-1)).toBe("and 23 more changes");
  });
});

describe("a story card's tracks' lengths", () => {
  it("a length known now that the card was written without (or another) is a change; one not known yet is not", () => {
    const made = cardPlan(first, "interactive", undefined, () => undefined);
    const narrated = cardPlan(first, "interactive", undefined, (scene) => (scene.id === "glade" ? 6 : undefined));
    expect(planChanges(made, narrated)).toEqual(["scene 'glade': length 6 s"]);
    const longer = cardPlan(first, "interactive", undefined, (scene) => (scene.id === "glade" ? 9 : undefined));
    expect(planChanges(narrated, longer)).toEqual(["scene 'glade': length 9 s (was 6 s)"]);
    expect(planChanges(narrated, made)).toEqual([]);
  });
});
