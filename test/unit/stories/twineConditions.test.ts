import {describe, expect, it} from "vitest";
import {parse, stringify} from "yaml";
import {readStoryFile} from "../../../src/stories/import/storyRead.js";
import {readTwine} from "../../../src/stories/import/twine.js";
import {passageText} from "../../../src/stories/import/twineConditions.js";
import {checkStory, type Story} from "../../../src/stories/model/story.js";
import {scenesRun} from "../../../src/stories/play/runs.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

// Stories written for these tests: a garden gate that opens with a key, in each story format.
const HARLOWE = `:: StoryData
{"start":"Path","format":"Harlowe","format-version":"3.3.8"}

:: Path
A path. [[Find the key->Shed]] [[Go on->Gate]]

:: Shed
A key on a nail. (set: $key to true) [[Back->Path]]

:: Gate
You reach the gate. (if: $key)[You unlock it with the key.](else:)[The gate is locked.] Birds sing.
`;

type Scenes = Record<string, Record<string, unknown>>;

async function imported(text: string, file = "gate.twee") {
  const read = await readStoryFile(file, Buffer.from(text), readTwine);
  // The story file as written, read back as the service loads it.
  const story = parse(stringify(read.document)).story;
  return {story, scenes: story.scenes as Scenes, warnings: read.warnings, texts: read.texts};
}

const EVERY_BRANCH =
  "passage 'Gate' reads text only when $key holds: a card reads every branch, one after another; make the story streamed (mode: streamed) to hear only the branch that holds";

describe("text under a condition in a Twine passage", () => {
  it("writes Harlowe's (if:)[…](else:)[…] as parts, warns that a card reads every branch, and a streamed story reads one", async () => {
    const {story, scenes, warnings, texts} = await imported(HARLOWE);
    expect(scenes.gate?.say).toEqual([
      "You reach the gate.",
      {if: "$key", say: "You unlock it with the key.", else: "The gate is locked."},
      "Birds sing.",
    ]);
    expect(warnings).toEqual([EVERY_BRANCH]);
    // A card reads every branch, as before.
    expect(texts.gate).toBe("You reach the gate. You unlock it with the key. The gate is locked. Birds sing.");
    // Made streamed (all the author has to do), each player hears the branch that holds.
    const {story: streamed, problems} = checkStory({...story, mode: "streamed"}, "gate.yaml");
    expect(problems).toEqual([]);
    const walk = (...buttons: Array<"left" | "right">) => {
      const run = scenesRun(streamed as Story);
      for (const button of buttons) run.press(button);
      return run.scene.audio;
    };
    expect(walk("right")).toEqual({say: "You reach the gate. The gate is locked. Birds sing."});
    expect(walk("left", "left", "right")).toEqual({say: "You reach the gate. You unlock it with the key. Birds sing."});
  });

  it("tells the author when a passage checks a variable before it sets it (the scene's set comes first)", async () => {
    const den = HARLOWE.replace(
      "A path. ",
      "(if: $visited)[Welcome back.](else:)[Hello.] (set: $visited to true)(set: $seen to 1)(if: $seen)[Again.] ",
    );
    const {warnings} = await imported(den);
    expect(warnings).toContain(
      "passage 'Path' checks $visited before it sets it: a scene's set comes first, so a streamed story's check sees the new value; set it in the passages that lead here instead",
    );
    // Set first, then checked, as Harlowe reads it too: nothing to say.
    expect(warnings.filter((w) => w.includes("before it sets"))).toHaveLength(1);
  });

  it("reads else-if chains and unless, and nests a condition inside a branch", async () => {
    const gate = HARLOWE.replace(
      /:: Gate\n.*\n/,
      ":: Gate\n(if: $key)[Open. (unless: $wet)[Dry too.]](else-if: $coins >= 3)[Pay.](elseif: $rope)[Climb.](else:)[Wait.]\n",
    );
    const {scenes, warnings} = await imported(gate);
    expect(scenes.gate?.say).toEqual([
      {
        if: "$key",
        say: ["Open.", {if: "not ($wet)", say: "Dry too."}],
        else: {if: "$coins >= 3", say: "Pay.", else: {if: "$rope", say: "Climb.", else: "Wait."}},
      },
    ]);
    expect(warnings).toEqual([
      "passage 'Gate' reads text only when its conditions hold ($key; not ($wet); $coins >= 3; and 1 more): a card reads every branch, one after another; make the story streamed (mode: streamed) to hear only the branch that holds",
    ]);
  });

  it("reads SugarCube's <<if>>…<<elseif>>…<<else>>…<</if>>, nested", async () => {
    const gate = HARLOWE.replace('"Harlowe"', '"SugarCube"')
      .replace("(set: $key to true)", "<<set $key to true>>")
      .replace(
        /:: Gate\n.*\n/,
        ":: Gate\nThe gate. <<if $key>>It opens.<<if $coins gt 2>> A coin falls.<</if>><<elseif $rope>>You climb.<<else>>It is shut.<</if>>\n",
      );
    const {scenes} = await imported(gate);
    expect(scenes.gate?.say).toEqual([
      "The gate.",
      {
        if: "$key",
        say: ["It opens.", {if: "$coins gt 2", say: "A coin falls."}],
        else: {if: "$rope", say: "You climb.", else: "It is shut."},
      },
    ]);
  });

  it("reads Chapbook's [if], [else], [unless] and [continue]", async () => {
    const gate = `:: StoryData
{"start":"Gate","format":"Chapbook","format-version":"1.2.3"}

:: Gate
You reach the gate.
[if key]
You unlock it.
[else]
It is locked.
[unless tired]
You could climb it.
[continue]
Birds sing.
`;
    const {scenes, warnings} = await imported(gate);
    expect(scenes.gate?.say).toEqual([
      "You reach the gate.",
      {if: "$key", say: "You unlock it.", else: "It is locked."},
      {if: "not ($tired)", say: "You could climb it."},
      "Birds sing.",
    ]);
    expect(warnings).toEqual([
      "passage 'Gate' reads text only when its conditions hold ($key; not ($tired)): a card reads every branch, one after another; make the story streamed (mode: streamed) to hear only the branch that holds",
    ]);
  });

  it("reads a menu passage's text under its conditions before its first choice", async () => {
    const menu = HARLOWE.replace(
      "A path. [[Find the key->Shed]] [[Go on->Gate]]",
      "A path. (if: $key)[The key jingles.] [[Find the key->Shed]] [[Go on->Gate]] [[Rest->Gate2]] [[Sing->Shed2]]\n\n:: Gate2\nRest.\n\n:: Shed2\nLa.",
    );
    const {scenes} = await imported(menu);
    expect(scenes.path?.say).toEqual([
      "A path.",
      {if: "$key", say: "The key jingles."},
      "Choice 1 of 4: Find the key. Press the left button to choose it, the right button for the next choice.",
    ]);
  });

  it("reads text under a condition it cannot read always, saying so, as before", async () => {
    const gate = HARLOWE.replace(
      "(if: $key)[You unlock it with the key.](else:)[The gate is locked.]",
      "(if: (visited: 'Shed'))[You know the way.](else:)[You are lost.]",
    );
    const {scenes, warnings} = await imported(gate);
    expect(scenes.gate?.say).toBe("You reach the gate. You know the way. You are lost. Birds sing.");
    // A hook of links alone under such a condition is named once, for its link.
    const links = await imported(HARLOWE.replace("[[Go on->Gate]]", "(if: (visited: 'Shed'))[[[Go on->Gate]]]"));
    expect(links.warnings.filter((w) => w.includes("cannot"))).toEqual([
      "passage 'Path': the condition of its link to 'Gate' ('(visited: 'Shed')') cannot be read here; the link is always taken",
    ]);
    expect(warnings).toEqual([
      "passage 'Gate' reads text under a condition this import cannot read ((visited: 'Shed')): that text is always read",
      "macro 'visited' (in 'Gate') is not read and never runs",
    ]);
  });

  it("writes the parts but no card warning for a story it makes streamed", async () => {
    const chain = Array.from(
      {length: 120},
      (_, i) => `:: P${i}\n(if: $x)[Step ${i}.]${i < 119 ? `[[P${i + 1}]]` : ""}\n`,
    );
    const {story, warnings} = await imported(`:: StoryData\n{"start":"P0"}\n\n${chain.join("\n")}`);
    expect(story.mode).toBe("streamed");
    expect(story.scenes.p0.say).toEqual([{if: "$x", say: "Step 0."}]);
    expect(warnings).toEqual([
      "the story has 120 scenes, more than a card's 99 chapters: it is streamed (this service serves each next scene)",
    ]);
  });

  it("keeps a passage's text as before where its conditions hold only links", async () => {
    const {scenes, warnings} = await imported(
      HARLOWE.replace("[[Go on->Gate]]", "(if: $key)[ [[Go on->Gate]] ]\n(else:)[[[Back->Shed]]]"),
    );
    expect(scenes.path?.say).toBe("A path.");
    // A branch of links alone, beside one of words: an empty branch.
    const {scenes: more} = await imported(HARLOWE.replace("A path. ", "A path. (if: $key)[[[Gate]]](else:)[Dark.] "));
    expect(more.path?.say).toEqual(["A path.", {if: "$key", say: "", else: "Dark."}]);
    expect(warnings[0]).toBe(
      "passage 'Path' has links inside a condition: a streamed story checks it; a card takes them whatever the condition",
    );
  });
});

describe("links to the same passage", () => {
  it("are one exit with the first link's words, and the author hears of it", async () => {
    const {scenes, warnings} = await imported(
      HARLOWE.replace(
        "[[Find the key->Shed]] [[Go on->Gate]]",
        "[[Find the key->Shed]] [[Search->Shed]] [[Go on->Gate]]",
      ),
    );
    expect(scenes.path).toEqual({
      title: "Path",
      say: "A path.",
      prompts: {left: "Find the key, press the left button.", right: "Go on, press the right button."},
      left: "shed",
      right: "gate",
    });
    expect(warnings).toContain(
      "passage 'Path' has 2 links to 'Shed' ('Find the key'; 'Search'): they are one exit, whose prompt says 'Find the key'",
    );
  });

  it("stay apart under different conditions, and a link with no words keeps its button", async () => {
    const {scenes} = await imported(
      HARLOWE.replace(
        "[[Find the key->Shed]] [[Go on->Gate]]",
        "(if: $key)[[[Open it->Gate]]](else:)[[[Climb->Gate]]] [[|Gate]]",
      ),
    );
    expect(scenes.path).toMatchObject({left: {to: "gate", if: "$key"}, right: "gate", end: "gate"});
    expect(scenes.path?.prompts).toEqual({
      left: "Open it, press the left button.",
      right: "Climb, press the right button.",
    });
  });
});

describe("a Chapbook vars line that is not a plain value", () => {
  it("names the variable and what it is set to (it read '$hoots to '$hoots to hoots + 1'')", async () => {
    const owl = `:: StoryData\n{"start":"Owl","format":"Chapbook","format-version":"1.2.3"}\n\n:: Owl\nhoots: hoots + 1\n--\nThe owl hoots.\n`;
    const {warnings} = await imported(owl);
    expect(warnings).toEqual([
      "passage 'Owl' sets $hoots to 'hoots + 1', which is not a plain value: it is not set while playing",
    ]);
  });
});

describe("reading conditions in passage text stays linear on hostile passages", () => {
  // Each is read at a tenth of its size first: the whole may take no more than 40 times as long.
  const N = 20_000;
  const words = "word ".repeat(200);

  it.each<[string, (n: number) => string, number]>([
    ["if-else chains", (n) => "(if: $a)[x](else:)[y] ".repeat(n), N],
    ["else-if ladders", (n) => `(if: $a)[x]${"(else-if: $b)[y]".repeat(n)}`, N],
    ["deep hooks", (n) => `${"(if: $a)[x ".repeat(n)}${"]".repeat(n)}`, N],
    ["SugarCube branches around blocks", (n) => `<<if $a>>${"<<elseif $b>><<if $c>>z<</if>>".repeat(n)}<</if>>`, N],
    ["unclosed SugarCube", (n) => "<<if $a>>x<<else>>".repeat(n), N],
    ["detached elses", (n) => "(if: $a)[x] and (else:)[y] ".repeat(n), N],
    // As many branches as a scene holds, each long: every step is taken.
    ["long branches", (n) => `(if: $a)[${words}](else:)[${words}] and `.repeat(n), 450],
    ["long detached branches", (n) => `(if: $a)[${words}] and (else:)[${words}] `.repeat(n), 450],
  ])("%s", (_, text, n) => {
    const read = readsInLinearTime(text, passageText, n);
    expect(typeof read.text).toBe("string");
  });

  it("reads no more than a scene holds, saying why", () => {
    expect(passageText("(if: $a)[x](else:)[y] ".repeat(600))).toMatchObject({
      dropped: "more than 1000 branches under conditions",
    });
    expect(passageText("(if: $a)[x](else:)[y] ".repeat(300)).parts).toHaveLength(300);
  });

  it("reads text as before where its conditions cannot be followed, saying why", () => {
    expect(passageText("<span title='(if: $a)[x]'>Hi</span> (if: $b)[there]")).toEqual({
      text: "Hi there",
      conditions: [],
      unread: [],
      checks: [
        {at: 13, condition: "$a"},
        {at: 36, condition: "$b"},
      ],
      dropped: "text under conditions inside other markup (a link, a tag, a macro)",
    });
    expect(passageText("Odd \uE001 (if: $b)[there]").parts).toBeUndefined();
  });

  it("keeps conditions nested 8 deep and reads deeper ones always, saying so", () => {
    const deep = (n: number) => `${"(if: $a)[x ".repeat(n)}${"]".repeat(n)}`;
    expect(passageText(deep(8)).dropped).toBeUndefined();
    expect(passageText(deep(9)).dropped).toBe("conditions nested more than 8 deep");
  });
});
