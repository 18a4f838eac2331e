import {describe, expect, it} from "vitest";
import {fromChapbook} from "../../../src/stories/import/chapbook.js";
import {readTwine} from "../../../src/stories/import/twine.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

const HEAD = ':: StoryData\n{"start":"Pond","format":"Chapbook","format-version":"1.2.3"}\n\n';

function scenesOf(text: string) {
  const read = readTwine("pond.twee", Buffer.from(text));
  return {scenes: read.document.story.scenes as Record<string, Record<string, unknown>>, warnings: read.warnings};
}

describe("Chapbook passages an editor or an author wrote unusually", () => {
  it("reads a vars section in a file with Windows line endings (it was narrated aloud)", () => {
    const pond = `${HEAD}:: Pond\nfrogs: 2\n--\nThere are {frogs} frogs.\n[if frogs > 1]\n[[Count them->Lily]]\n\n:: Lily\nA lily.\n`;
    const {scenes} = scenesOf(pond.replace(/\n/g, "\r\n"));
    expect(scenes.pond).toEqual({
      title: "Pond",
      say: "There are 2 frogs.",
      prompts: {left: "Count them, press the left button."},
      set: {frogs: 2},
      left: {to: "lily", if: "$frogs > 1"},
    });
  });

  it("reads a vars section with a conditional line as a vars section, and names the line it cannot set", () => {
    const pond = `${HEAD}:: Pond\nfrogs: 2\nwet (frogs > 1): true\n--\nSplash.\n[[Lily]]\n\n:: Lily\nA lily.\n`;
    const {scenes, warnings} = scenesOf(pond);
    expect(scenes.pond).toEqual({
      title: "Pond",
      say: "Splash.",
      prompts: {left: "Lily, press the left button."},
      set: {frogs: 2},
      left: "lily",
    });
    expect(warnings).toEqual([
      "passage 'Pond' sets $wet only when (frogs > 1): a conditional vars line is not read, $wet is not set while playing",
    ]);
    // Hostile lines (2 MB, a '(' never closed before a ':') are read in one pass: a tenth of each
    // first, and the whole in no more than 40 times its time.
    const line = (n: number) => `a (${"(b) ".repeat(n)}\n--\nx`;
    expect(readsInLinearTime(line, fromChapbook, 500_000).text).toBe(line(500_000));
    const unclosed = (n: number) => `a (${"b".repeat(n)}): 1\n--\nx`;
    expect(readsInLinearTime(unclosed, fromChapbook, 2_000_000).conditionalSets[0]?.name).toBe("a");
  });
});

describe("Twine variables named as an object's own keys", () => {
  it("keeps a variable named __proto__ in the story's variables and the passage's set (both were dropped)", () => {
    const pond = `${HEAD}:: Pond\n__proto__: 1\n--\nSplash.\n[if __proto__ > 0]\n[[Lily]]\n\n:: Lily\nA lily.\n`;
    const read = readTwine("pond.twee", Buffer.from(pond));
    const story = read.document.story as {variables: Record<string, unknown>; scenes: Record<string, {set: object}>};
    expect(Object.entries(story.variables)).toEqual([["__proto__", null]]);
    expect(Object.entries(story.scenes.pond?.set ?? {})).toEqual([["__proto__", 1]]);
  });
});
