import {describe, expect, it} from "vitest";
import type {Story} from "../../../src/stories/model/story.js";
import {StoryTracker} from "../../../src/stories/tracker.js";

const STORY: Story = {
  id: "gate",
  title: "Gate",
  mode: "interactive",
  start: "a",
  scenes: [{id: "a", title: "a", audio: {say: "A gate."}, exits: {}}],
  variables: {},
  file: "gate.yaml",
};

describe("a story session's variables", () => {
  it("keeps a variable named __proto__ or constructor as a variable, never as the object's prototype", () => {
    const tracker = new StoryTracker(() => undefined);
    // As a story file or a rule's JSON gives them: own keys.
    const variables = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 2, "lit": true}');
    const session = tracker.begin({id: "p1", name: "Den"}, STORY, "card", "a", variables);
    expect(Object.keys(session.variables)).toEqual(["__proto__", "constructor", "lit"]);
    expect(Object.getPrototypeOf(session.variables)).toBe(Object.prototype);
    expect((session.variables as {polluted?: boolean}).polluted).toBeUndefined();
    expect(session.variables.constructor).toBe(2);
  });
});
