import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {checkStory, type Story} from "../../../src/stories/model/story.js";
import {scenesRun} from "../../../src/stories/play/runs.js";

function storyOf(yaml: string): Story {
  const {story, problems} = checkStory(parse(yaml).story, "pond.yaml");
  expect(problems).toEqual([]);
  return story as Story;
}

describe("a streamed story's scenes, walked with odd variables and edited stories", () => {
  it("sets a variable named __proto__ as any other (Object.assign changed the variables' prototype instead)", () => {
    const story = storyOf(`story:
  id: pond
  title: Pond
  mode: streamed
  start: bank
  scenes:
    bank:
      say: The bank.
      set: {__proto__: true, constructor: 2}
      left: {to: lily, if: $__proto__ and $constructor is 2}
    lily: {say: A lily.}
`);
    const run = scenesRun(story);
    expect(Object.hasOwn(run.variables(), "__proto__")).toBe(true);
    expect(run.variables().constructor).toBe(2);
    expect(run.scene.exits).toEqual({left: "lily"});
    expect(run.press("left")).toMatchObject({id: "lily"});
    // Saved and read back (a restart), it is still there.
    const again = scenesRun(story, JSON.parse(JSON.stringify(run.save())));
    expect(Object.hasOwn(again.variables(), "__proto__")).toBe(true);
  });

  it("refuses a saved place whose scene the story no longer has, saying which (it went on from the start silently)", () => {
    const story = storyOf(`story:
  id: pond
  title: Pond
  mode: streamed
  start: bank
  scenes:
    bank: {say: The bank., set: {frogs: 1}, left: lily}
    lily: {say: A lily.}
`);
    expect(() => scenesRun(story, {kind: "scenes", scene: "reeds", variables: {frogs: 5}})).toThrow(
      "its scene 'reeds' is no longer in the story",
    );
  });
});
