import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {chosenText, joinPieces, MAX_SAY_CHARS, wholeText} from "../../../src/stories/model/sayParts.js";
import {checkStory, type SayPart, type Story} from "../../../src/stories/model/story.js";
import {scenesRun} from "../../../src/stories/play/runs.js";

const GATE = `story:
  id: gate
  title: The Gate
  mode: streamed
  start: path
  scenes:
    path:
      say: A path.
      prompts: {left: "Find the key, press the left button.", right: "Go to the gate, press the right button."}
      left: shed
      right: gate
    shed: {say: A key on a nail., set: {key: true}, left: gate}
    gate:
      say:
        - You reach the gate.
        - if: $key
          say: You unlock it with the key.
          else: The gate is locked.
`;

function checked(yaml: string): {story?: Story; problems: string[]} {
  const {story, problems} = checkStory(parse(yaml).story, "gate.yaml");
  return {story, problems: problems.map((p) => `${p.path.join(".")}: ${p.message}`)};
}

const sayOfScene = (story: Story, id: string) => story.scenes.find((s) => s.id === id)?.audio;

describe("a scene's say with conditions", () => {
  it("keeps the whole text for a card (every branch) and the parts for a streamed story", () => {
    const {story, problems} = checked(GATE);
    expect(problems).toEqual([]);
    expect(sayOfScene(story as Story, "gate")).toEqual({
      say: "You reach the gate. You unlock it with the key. The gate is locked.",
      parts: ["You reach the gate.", {if: "$key", say: ["You unlock it with the key."], else: ["The gate is locked."]}],
    });
    // Text alone, or a list of text alone, has no parts: it is read as it is.
    expect(sayOfScene(story as Story, "path")).toEqual({say: "A path."});
    const plain = checked(GATE.replace("say: A path.", "say: ['A path,', through the woods.]")).story as Story;
    expect(sayOfScene(plain, "path")).toEqual({say: "A path, through the woods."});
  });

  it("reads else-if chains, a single part as a branch, and joins pieces as a sentence", () => {
    const {story, problems} = checked(
      GATE.replace(
        "          else: The gate is locked.\n",
        `          else:
            if: $coins >= 3
            say: [You pay the keeper, {if: $coins > 5, say: generously}, .]
            else: {if: not $tired, say: You climb over., else: You sit down.}
`,
      ),
    );
    expect(problems).toEqual([]);
    const parts = (sayOfScene(story as Story, "gate") as {parts: SayPart[]}).parts;
    const read = (variables: Record<string, unknown>) => chosenText(parts, variables);
    expect(read({key: true})).toBe("You reach the gate. You unlock it with the key.");
    expect(read({coins: 4})).toBe("You reach the gate. You pay the keeper.");
    expect(read({coins: 9})).toBe("You reach the gate. You pay the keeper generously.");
    expect(read({})).toBe("You reach the gate. You climb over.");
    expect(read({tired: true})).toBe("You reach the gate. You sit down.");
    expect(wholeText(parts)).toBe(
      "You reach the gate. You unlock it with the key. You pay the keeper generously. You climb over. You sit down.",
    );
    expect(joinPieces(["A\n", "b", "", "!", " c "])).toBe("A\nb! c");
  });

  it("says what is wrong with a part, where, and how to write it", () => {
    const {problems} = checked(`story:
  id: gate
  start: a
  scenes:
    a:
      say:
        - Hello.
        - {if: $key +, say: Open.}
        - {if: $key, else: Shut., when: now}
        - {say: Open.}
        - 3
        - if: $a
          say: {if: $b, say: [x, [y]]}
    b:
      say: []
`);
    expect(problems).toEqual([
      "story.scenes.a.say.1.if: the condition '$key +' cannot be read ('+' is not understood in a condition): write it like '$lantern', 'not $wet' or '$apples >= 2'",
      "story.scenes.a.say.2.when: unknown key 'when' (a part of say has if, say and else)",
      "story.scenes.a.say.2: a part with if needs say: the text read while its condition holds",
      "story.scenes.a.say.3.if: a part of say with say or else needs if: <condition>, like '$key' or '$apples > 2'",
      "story.scenes.a.say.4: a part of say is text, or {if: <condition>, say: <text or parts>, else: <text or parts>} (read only while the condition holds, or does not)",
      "story.scenes.a.say.5.say.say.1: a part of say is text, or {if: <condition>, say: <text or parts>, else: <text or parts>} (read only while the condition holds, or does not)",
      `story.scenes.b.say: say must be the scene's text to narrate, 1–${MAX_SAY_CHARS} characters, or a list of text and {if: <condition>, say: <text>, else: <text>}`,
    ]);
  });

  it("bounds the text, every branch counted, the parts and their nesting, with one problem each", () => {
    const long = "x".repeat(MAX_SAY_CHARS / 2);
    const many = Array.from({length: 5000}, () => "a");
    let deep: unknown = "deep";
    for (let i = 0; i < 40; i++) deep = {if: "$a", say: deep};
    const {problems} = checkStory(
      {
        id: "big",
        start: "a",
        scenes: {
          a: {say: [long, {if: "$a", say: long, else: "!"}], end: "b"},
          b: {say: many, end: "c"},
          c: {say: [deep], end: "d"},
          d: {say: ["", {if: "$a", say: " "}]},
        },
      },
      "big.yaml",
    );
    expect(problems.map((p) => `${p.path.join(".")}: ${p.message}`)).toEqual([
      `story.scenes.a.say.1.else: say holds more than ${MAX_SAY_CHARS} characters, every branch counted: split the scene`,
      "story.scenes.b.say.1000: say has more than 1000 parts, every branch counted: split the scene",
      `story.scenes.c.say.0${".say".repeat(32)}: conditions in say nest at most 32 deep: split the scene`,
      "story.scenes.d.say: say's parts hold no words to narrate: give at least one of them some text",
    ]);
  });
});

describe("a streamed story's scene reads the branch that holds", () => {
  it("chooses the text after the entering scene's set, and a card's scene keeps every branch", () => {
    const story = checked(GATE).story as Story;
    const straight = scenesRun(story);
    straight.press("right");
    expect(straight.scene.audio).toEqual({say: "You reach the gate. The gate is locked."});
    const withKey = scenesRun(story);
    withKey.press("left");
    withKey.press("left");
    expect(withKey.scene.audio).toEqual({say: "You reach the gate. You unlock it with the key."});
    // Set on entering the gate itself, the key is already there when its text is chosen.
    const setHere = checked(GATE.replace("    gate:\n", "    gate:\n      set: {key: true}\n")).story as Story;
    const run = scenesRun(setHere);
    run.press("right");
    expect(run.scene.audio).toEqual({say: "You reach the gate. You unlock it with the key."});
  });

  it("says the scene's title when every branch it has is closed", () => {
    const story = checked(
      GATE.replace("        - You reach the gate.\n", "").replace("          else: The gate is locked.\n", ""),
    ).story as Story;
    const run = scenesRun(story);
    run.press("right");
    expect(run.scene.audio).toEqual({say: "gate"});
  });
});
