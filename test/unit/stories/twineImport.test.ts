import {readFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {StoryImporter} from "../../../src/stories/import/importer.js";
import {linksOf} from "../../../src/stories/import/twineText.js";
import {tempDir} from "../../helpers/tmp.js";

// Stories written for these tests: a fox's walk in Twee 3 (Harlowe) and a lighthouse in Twine 2 HTML (SugarCube).
const FOX = `:: StoryTitle
Fox Walk

:: StoryData
{"ifid":"6C1F3A52-0C7B-4E0C-9B3D-1E3A6B2C9D11","start":"Den","format":"Harlowe","format-version":"3.3.8"}

:: StoryInit
(set: $acorns to 2)

:: Styles [stylesheet]
body { color: red; }

:: Den
The fox wakes up. (print: $acorns) <script>alert("hi")</script>
[[Go out->Meadow]] [[River<-Swim]] [[|]]

:: Meadow
Sunny. [[Den]] [[|]] [[|Home]]

:: River
Wet. (set: $wet to true) [[Home]] [[Back|Den]] [[Meadow]] [[Pond]]

:: Pond
[[Home]]

:: Home
The end.

:: Lost
Nobody comes here. [[Home]]
`;

const LIGHTHOUSE = `<html><body>
<tw-storydata name="The Lighthouse" startnode="2" creator="hand" ifid="0B6A5F7E-8C1D-4F2A-9E3B-7D6C5A4B3F21" format="SugarCube" format-version="2.36.1" hidden>
<tw-passagedata pid="1" name="Lamp" tags="">The lamp shines. &lt;&lt;set $lit to true&gt;&gt;&lt;&lt;audio "waves" play&gt;&gt; [[Down|Stairs]]</tw-passagedata>
<tw-passagedata pid="2" name="Stairs" tags="">A hundred steps. [[Climb|Lamp]] [[Leave-&gt;Shore]] &lt;&lt;if $lit&gt;&gt;[[Wave|Shore]]&lt;</if>&gt;</tw-passagedata>
<tw-passagedata pid="3" name="Shore" tags="">Goodnight, sea.</tw-passagedata>
</tw-storydata></body></html>`;

async function importer() {
  const rulesDir = await tempDir("yss-import-");
  return {rulesDir, importer: new StoryImporter({rulesDir})};
}

describe("Twine links", () => {
  it("reads every link form in order, with empty place-holders", () => {
    const links = linksOf("[[A]] [[to b|B]] [[to c->C]] [[D<-to d]] [[|]] [[|E]] [[go|F][$x to 1]]");
    expect(links.map((l) => [l.text, l.target, l.placeholder])).toEqual([
      ["A", "A", false],
      ["to b", "B", false],
      ["to c", "C", false],
      ["to d", "D", false],
      ["", "", true],
      ["", "E", false],
      ["go", "F", false],
    ]);
  });
});

describe("importing Twine", () => {
  it("makes a story file from Twee 3: passages as scenes, links in order on left, right and end", async () => {
    const {rulesDir, importer: imp} = await importer();
    const result = await imp.import("fox.twee", Buffer.from(FOX));
    expect(result.id).toBe("fox-walk");
    expect(result.start).toBe("den");
    const scenes = Object.fromEntries(result.scenes.map((s) => [s.id, s]));
    expect(scenes.den).toEqual({id: "den", title: "Den", left: "meadow", right: "river"});
    expect(scenes.meadow).toEqual({id: "meadow", title: "Meadow", left: "den", end: "home"});
    expect(scenes.pond).toEqual({id: "pond", title: "Pond", left: "home"});
    // Special passages are not scenes; the unreachable one is left out and named.
    expect(result.scenes.map((s) => s.title)).not.toContain("StoryInit");
    expect(result.scenes.map((s) => s.title)).not.toContain("Styles");
    expect(result.scenes.map((s) => s.title)).not.toContain("Lost");
    expect(result.warnings).toContain("passages 'Lost' cannot be reached from 'Den' and were left out");
    expect(result.warnings).toContain("macro 'print' (in 'Den') is not read and never runs");
    const written = parse(await readFile(path.join(rulesDir, "stories", "fox-walk.yaml"), "utf8"));
    // StoryInit's values start the story; a passage's set is its scene's, applied as a player enters it.
    expect(written.story.variables).toEqual({acorns: 2, wet: null});
    expect(written.story.scenes.river.set).toEqual({wet: true});
    // Each scene says its text, which the service narrates; the links are read as the buttons' prompts.
    expect(written.story.scenes.den).toEqual({
      title: "Den",
      say: "The fox wakes up.",
      prompts: {left: "Go out, press the left button.", right: "Swim, press the right button."},
      left: "meadow",
      right: "river",
    });
  });

  it("turns more than three links into a spoken menu: left takes a choice, right reads the next, the end repeats", async () => {
    const {importer: imp} = await importer();
    const read = await imp.read("fox.twee", Buffer.from(FOX));
    const scenes = read.document.story.scenes as Record<string, Record<string, string>>;
    expect(scenes.river).toMatchObject({left: "home", right: "river-choice-2", end: "river-choice-1"});
    expect(scenes["river-choice-2"]).toMatchObject({left: "den", right: "river-choice-3", end: "river-choice-1"});
    expect(scenes["river-choice-4"]).toMatchObject({left: "pond", right: "river-choice-1", end: "river-choice-1"});
    // Read again once from the first choice; left alone a second time, the story stops.
    expect(scenes["river-choice-1"]).toEqual({
      title: "River: choice 1",
      say: "Choice 1 of 4: Home. Press the left button to choose it, the right button for the next choice.",
      left: "home",
      right: "river-choice-2",
    });
    expect(read.texts.river).toBe(
      "Wet.\nChoice 1 of 4: Home. Press the left button to choose it, the right button for the next choice.",
    );
    expect(read.texts["river-choice-2"]).toBe(
      "Choice 2 of 4: Back. Press the left button to choose it, the right button for the next choice.",
    );
    // No markup or script in what will be spoken.
    expect(read.texts.den).toBe("The fox wakes up.\nGo out, press the left button.\nSwim, press the right button.");
  });

  it("reads a Twine 2 HTML file: start from startnode, SugarCube set, conditional links and unread macros warned", async () => {
    const {rulesDir, importer: imp} = await importer();
    const result = await imp.import("lighthouse.html", Buffer.from(LIGHTHOUSE));
    expect(result.id).toBe("the-lighthouse");
    expect(result.start).toBe("stairs");
    expect(result.scenes).toEqual([
      {id: "stairs", title: "Stairs", left: "lamp", right: "shore", end: "shore"},
      {id: "lamp", title: "Lamp", left: "stairs"},
      {id: "shore", title: "Shore"},
    ]);
    expect(result.warnings).toEqual([
      "passage 'Stairs' has links inside a condition: a streamed story checks it; a card takes them whatever the condition",
      "macro 'audio' (in 'Lamp') is not read and never runs",
    ]);
    // The link inside <<if $lit>> is taken only while $lit holds (when streamed); the lamp sets it.
    const written = parse(await readFile(path.join(rulesDir, "stories", "the-lighthouse.yaml"), "utf8")).story;
    expect(written.scenes.stairs.end).toEqual({to: "shore", if: "$lit"});
    expect(written.scenes.lamp.set).toEqual({lit: true});
  });

  it("narrates a printed variable as its starting value, and names an ink story from its title tag", async () => {
    const {importer: imp} = await importer();
    const hello =
      ':: StoryData\n{"start":"Door"}\n\n:: StoryInit\n(set: $name to "Ann")\n\n:: Door\nHello $name, and $ghost!\n';
    const read = await imp.read("hello.twee", Buffer.from(hello));
    expect(read.texts.door).toBe("Hello Ann, and!");
    expect(read.warnings).toContain(
      "passage 'Door' prints $name, $ghost: narrated as the starting value (or left out)",
    );
    const ink = await imp.read("x.ink", Buffer.from("# title: The Moth\nA moth circles the lamp.\n-> END\n"));
    expect(ink.document.story).toEqual({id: "the-moth", title: "The Moth", ink: "the-moth.ink.json"});
  });

  it("reads Chapbook's vars sections, inserts and modifiers as variables, printed values and conditions", async () => {
    const {importer: imp} = await importer();
    const burrow = `:: StoryData
{"start":"Burrow","format":"Chapbook","format-version":"1.2.3"}

:: Burrow
carrots: 2
--
A rabbit counts {carrots} carrots.
[if carrots > 1]
[[Share one->Friend]]
[continue]
[[Nap]]
[note]
Remember to add a fox.
[after 2s]
A bird sings.

:: Friend
The friend smiles.

:: Nap
Zzz.
`;
    const read = await imp.read("burrow.twee", Buffer.from(burrow));
    const scenes = read.document.story.scenes as Record<string, Record<string, unknown>>;
    expect(scenes.burrow).toEqual({
      title: "Burrow",
      say: "A rabbit counts 2 carrots.\nA bird sings.",
      prompts: {left: "Share one, press the left button.", right: "Nap, press the right button."},
      set: {carrots: 2},
      left: {to: "friend", if: "$carrots > 1"},
      right: "nap",
    });
    expect(read.warnings).toEqual([
      "passage 'Burrow' has modifiers [after 2s]: not read, its text always read",
      "passage 'Burrow' prints $carrots: narrated as the starting value (or left out)",
      "passage 'Burrow' has links inside a condition: a streamed story checks it; a card takes them whatever the condition",
    ]);
  });

  it("names a link to a passage that does not exist", async () => {
    const {importer: imp} = await importer();
    const broken = ':: StoryData\n{"start":"Gate"}\n\n:: Gate\nOpen it.\n[[Garden]] [[Tower]]\n\n:: Garden\nRoses.\n';
    await expect(imp.import("broken.twee", Buffer.from(broken))).rejects.toThrow(
      "passage 'Gate' (line 2 of the passage) links to 'Tower', which is not a passage of this story: fix the link or add the passage",
    );
  });

  it("refuses a loop with no way out, and a file that is not Twine", async () => {
    const {importer: imp} = await importer();
    const loop = ':: StoryData\n{"start":"Ping"}\n\n:: Ping\n[[|]] [[|]] [[|Pong]]\n\n:: Pong\n[[|]] [[|]] [[|Ping]]\n';
    await expect(imp.import("loop.twee", Buffer.from(loop))).rejects.toThrow(
      "'loop.twee' does not make a playable story: scenes.ping: scenes 'ping', 'pong' loop with no way out",
    );
    await expect(imp.import("notes.twee", Buffer.from("just some notes"))).rejects.toThrow(
      "'notes.twee' is not a Twine story: expected Twee 3 text (passages start with '::') or a published Twine 2 HTML file",
    );
    await expect(imp.import("story.docx", Buffer.from(FOX))).rejects.toThrow(
      "Cannot import 'story.docx': the file name must end in .twee, .tw, .tw2, .html, .htm, .ink, .json",
    );
  });

  it("makes a story over a card's 99 chapters streamed, and refuses more than 10,000 passages", async () => {
    const {importer: imp} = await importer();
    const chain = (count: number) =>
      `:: StoryData\n{"start":"P0"}\n\n${Array.from({length: count}, (_, i) => `:: P${i}\nStep ${i}. ${i + 1 < count ? `[[P${i + 1}]]` : ""}\n`).join("\n")}`;
    const long = await imp.read("long.twee", Buffer.from(chain(120)));
    expect(long.document.story.mode).toBe("streamed");
    expect(long.warnings).toEqual([
      "the story has 120 scenes, more than a card's 99 chapters: it is streamed (this service serves each next scene)",
    ]);
    await expect(imp.read("huge.twee", Buffer.from(chain(10_001)))).rejects.toThrow(
      "The story has 10001 passages; at most 10000 can be imported",
    );
  });

  it("says clearly when StoryData is not valid JSON", async () => {
    const {importer: imp} = await importer();
    const bad = ':: StoryData\n{"start": "Gate",}\n\n:: Gate\nHello.\n';
    await expect(imp.import("bad-data.twee", Buffer.from(bad))).rejects.toThrow(
      /^'bad-data\.twee': StoryData is not valid JSON \(.+\); write it as \{"ifid": "…", "start": "<passage name>"\}$/,
    );
  });

  it("says an empty story is empty, with no start passage, and how to fix it", async () => {
    const {importer: imp} = await importer();
    const twee =
      ':: StoryTitle\nNothing Yet\n\n:: StoryData\n{"ifid": "0B6A5F7E-8C1D-4F2A-9E3B-7D6C5A4B3F21"}\n\n:: StoryInit\n(set: $lamp to true)\n';
    await expect(imp.import("empty.twee", Buffer.from(twee))).rejects.toMatchObject({
      code: "invalid_story",
      message:
        '\'empty.twee\' is an empty story: it has only \'StoryInit\', a setting, not a story passage, so there is no start passage. To fix it, add the first passage (a line ":: Start" with the story\'s text under it) and name it in StoryData ({"start": "Start"}), then import again',
    });
    const html =
      '<tw-storydata name="Nothing Yet" ifid="0B6A5F7E-8C1D-4F2A-9E3B-7D6C5A4B3F21" format="Harlowe" hidden></tw-storydata>';
    await expect(imp.import("empty.html", Buffer.from(html))).rejects.toMatchObject({
      code: "invalid_story",
      message:
        "'empty.html' is an empty story: it has no passages at all, so there is no start passage. To fix it, open it in Twine, write the story's first passage, set it as the start (Start Story Here), publish to file again and import that",
    });
  });

  it("will not overwrite an earlier import unless asked to", async () => {
    const {importer: imp} = await importer();
    await imp.import("fox.twee", Buffer.from(FOX));
    await expect(imp.import("fox.twee", Buffer.from(FOX))).rejects.toThrow(
      "A story 'fox-walk' was already imported (stories/fox-walk.yaml); import with replace to overwrite it",
    );
    await expect(imp.import("fox.twee", Buffer.from(FOX), {replace: true})).resolves.toMatchObject({id: "fox-walk"});
  });
});
