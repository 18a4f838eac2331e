import {describe, expect, it} from "vitest";
import {fromChapbook} from "../../../src/stories/import/chapbook.js";
import {narrationOf} from "../../../src/stories/import/twineNarration.js";
import {linksOf, macrosOf} from "../../../src/stories/import/twineText.js";
import {conditionHolds, holds, parseCondition} from "../../../src/stories/model/conditions.js";
import {checkStory} from "../../../src/stories/model/story.js";

const read = (text: string) => {
  const parsed = parseCondition(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.condition;
};

describe("story conditions", () => {
  it("reads Harlowe's and SugarCube's ways of writing them", () => {
    const vars = {lit: true, wet: false, apples: 2, name: "Ann", coins: 3, map: "old", _temp: 1, temp: 1};
    const cases: Array<[string, boolean]> = [
      ["$lit", true],
      ["not $wet", true],
      ["!$lit", false],
      ["$apples is 2", true],
      ["$apples is not 2", false],
      ['$name is not "Ann"', false],
      ["$name eq 'Ann'", true],
      ["$coins >= 3 and $map", true],
      ["$coins gt 3 or $lit", true],
      ["($wet or $lit) and not ($apples lt 2)", true],
      ["$apples === 2 && $coins !== 2", true],
      ["$apples > $coins", false],
      ["$missing", false],
      ["$missing is 0", false],
      ["_temp is 1", true],
    ];
    expect(cases.map(([text]) => [text, holds(read(text), vars)])).toEqual(cases);
  });

  it("says what it cannot read, and a condition that cannot be read holds (the exit is taken, as on a card)", () => {
    expect(parseCondition("$x is")).toEqual({error: "the condition ends too soon"});
    expect(parseCondition('$name is "Ann')).toEqual({error: 'the text starting " is not closed'});
    expect(parseCondition("$x + 1")).toEqual({error: "'+' is not understood in a condition"});
    expect(parseCondition("$a $b")).toEqual({error: "'$b' is not understood here"});
    expect(parseCondition("(visited: 'Den')")).toEqual({error: "':' is not understood in a condition"});
    expect(parseCondition(`$x${" or $x".repeat(100)}`)).toEqual({error: "a condition is at most 500 characters"});
    expect(conditionHolds("$x +", {})).toBe(true);
  });

  it("checks a story's conditional exits, prompts and sets", () => {
    const {problems} = checkStory(
      {
        id: "gate",
        start: "a",
        scenes: {
          a: {
            say: "A gate.",
            left: {to: "b", if: "$key +"},
            right: {to: "b", when: "$key"},
            end: "b",
            prompts: {up: "Up."},
          },
          b: {audio: "b.mp3", prompts: {left: "Go."}, set: [1]},
        },
      },
      "gate.yaml",
    );
    expect(problems.map((p) => `${p.path.join(".")}: ${p.message}`)).toEqual([
      "story.scenes.a.left: the condition '$key +' cannot be read ('+' is not understood in a condition): write it like '$lantern', 'not $wet' or '$apples >= 2'",
      "story.scenes.a.right: must be a scene id, 'stop', or {to: <scene id>, if: <condition>}",
      "story.scenes.a.prompts.up: prompts are for left, right or end",
      "story.scenes.b.prompts: prompts are said after a scene's say: give the scene say, or record them in its audio",
      "story.scenes.b.set: set must be a mapping of story variables to values",
    ]);
  });
});

describe("reading Twine text stays linear on hostile passages", () => {
  // Each of these made an earlier reader search the rest of the text again from every opening.
  const N = 200_000;
  const hostile = [
    "(if: $a)[".repeat(N),
    "(set: ".repeat(N),
    "[[a".repeat(N),
    "<<if $a>>".repeat(N),
    "<<x".repeat(N),
    "<script".repeat(N),
    "<b".repeat(N),
  ];

  it.each(hostile.map((text) => [text.slice(0, 12), text]))("%s… repeated", (_, text) => {
    expect(typeof narrationOf(text as string, false)).toBe("string");
    expect(Array.isArray(linksOf(text as string))).toBe(true);
    expect(Array.isArray(macrosOf(text as string))).toBe(true);
  });

  it.each(
    ["[if a]\n", "a: 1\n", "{a}", "[if '", "[a ", `[if ${"'a".repeat(200)}]\n`].map((unit) => [
      unit.slice(0, 8),
      // 2 MB of each: a story file is at most 5 MB.
      unit.repeat(Math.floor(2_000_000 / unit.length)),
    ]),
  )("Chapbook %s… repeated", (_, text) => {
    expect(typeof fromChapbook(`${text}\n--\nx`).text).toBe("string");
  });

  it("reads a link inside many nested conditions once, without joining them all", () => {
    const deep = `${"(if: $a)[".repeat(5000)}[[Go->There]]${"]".repeat(5000)}`;
    expect(linksOf(deep)).toEqual([{text: "Go", target: "There", placeholder: false, conditional: true}]);
    const shallow = "(if: $a)[(unless: $b)[[[Go->There]]]]";
    expect(linksOf(shallow)[0]?.condition).toBe("($a) and (not ($b))");
  });
});
