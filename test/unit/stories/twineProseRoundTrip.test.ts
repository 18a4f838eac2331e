import {parseTwee} from "extwee";
import {describe, expect, it} from "vitest";
import {storyToTwee} from "../../../src/stories/export/twee.js";
import {readTwine} from "../../../src/stories/import/twine.js";
import {checkStory, STOP, type Story} from "../../../src/stories/model/story.js";

/**
 * Prose that looks like markup (link brackets, `//`, emphasis marks, macros, tags, printed
 * variables, backticks) exported and imported back is the same story, scene by scene: nothing of
 * it becomes a link, a macro or a dropped mark.
 */

function load(raw: unknown, file: string): Story {
  const {story, problems} = checkStory(raw, file);
  if (!story) throw new Error(problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; "));
  return story;
}

const imported = (filename: string, text: string) =>
  load(readTwine(filename, Buffer.from(text)).document.story, filename);

/**
 * Each format the export offers (`GET /api/stories/<id>/export?format=twee`), as it reaches the
 * import again: the Twee file itself, and the same story as Twine saves it after opening the file
 * (Twine 2 HTML, written here by extwee, which the import reads Twine through).
 */
const EXPORTS: Record<string, (story: Story) => {filename: string; text: string}> = {
  twee: (story) => ({filename: `${story.id}.twee`, text: storyToTwee(story)}),
  "twee, saved by Twine as HTML": (story) => {
    const twine = parseTwee(storyToTwee(story)) as unknown as {toTwine2HTML(): string};
    return {filename: `${story.id}.html`, text: twine.toTwine2HTML()};
  },
};

/** What a scene is: its title, what it says (parts and all), its exits, conditions, prompts and sets. */
function scenesOf(story: Story) {
  return story.scenes.map((s) => ({
    id: s.id,
    title: s.title,
    audio: s.audio,
    exits: Object.fromEntries(Object.entries(s.exits).filter(([exit, to]) => !(exit === "end" && to === STOP))),
    conditions: s.conditions ?? {},
    prompts: s.prompts,
    set: s.set,
  }));
}

/** Prose the import would read as markup, were it written as it is. */
const TRICKY = [
  "[[not a link]] and [[Home]] and [[a->Home]] and [[b|Home]]",
  "a // b, //italic// and http://example.com/path",
  "*bold*, **strong**, _under_, snake_case, ~~struck~~, ^sup^ and ''quoted''",
  "(print: $coins) (set: $coins to 99) (if: $moon)[hidden] (goto: 'Home')",
  "<<set $coins to 5>> <<if $moon>>night<</if>> <b>bold</b> <!-- note --> <script>x()</script>",
  "$coins and $_name and _temp, {braces} and a lone ] or [ and ]] or [[",
  "`ticks`, ``double``, a lone ` and ``` three `` mixed ` ones",
  "A line\n:: Not a passage\n(set: $a to 1)",
];

function trickyStory(): Story {
  const scenes: Record<string, unknown> = {};
  TRICKY.forEach((say, i) => {
    scenes[`s${i}`] = {title: `Scene ${i}`, say, left: i < TRICKY.length - 1 ? `s${i + 1}` : "home"};
  });
  scenes.home = {
    title: "Home",
    say: [
      "Back [home].",
      {if: "$moon", say: "The moon [is] up // ] so (if: $x)[no].", else: "No moon: *dark* `night`."},
      "Goodnight $coins.",
    ],
    set: {coins: 3},
    prompts: {left: "Again, press the left button."},
    left: {to: "s0", if: "$coins >= 3"},
  };
  return load(
    {
      id: "tricky",
      title: "Tricky [[Prose]]",
      start: "s0",
      mode: "streamed",
      variables: {coins: 0, moon: false},
      scenes,
    },
    "tricky.yaml",
  );
}

describe("Twine round trip of prose that looks like markup", () => {
  it("imports every export of the story back as the same story, scene by scene", () => {
    const story = trickyStory();
    for (const [format, exported] of Object.entries(EXPORTS)) {
      const {filename, text} = exported(story);
      const back = imported(filename, text);
      expect([back.title, back.variables], format).toEqual([story.title, story.variables]);
      expect(back.start, format).toBe(story.start);
      const before = scenesOf(story);
      const after = scenesOf(back);
      expect(
        after.map((s) => s.id),
        format,
      ).toEqual(before.map((s) => s.id));
      for (const [i, scene] of before.entries()) expect(after[i], `${format}: ${scene.id}`).toEqual(scene);
    }
  });

  it("writes markup in prose as Harlowe's verbatim markup, which Twine shows as it is", () => {
    const twee = storyToTwee(trickyStory());
    expect(twee).toContain("\n`[[`not a link`]]` and `[[`Home`]]` and `[[`a->Home`]]` and `[[`b|Home`]]`\n");
    expect(twee).toContain("\na `//` b, `//`italic`//` and http:`//`example.com/path\n");
    expect(twee).toContain("\n`` ` ``ticks`` ` ``, ``` `` ```double``` `` ```, a lone `` ` `` and ");
    expect(twee).toContain("\nA line\n :: Not a passage\n`(`set: `$`a to 1)\n");
    // The only links in the passages are the exits'.
    const passages = twee.slice(twee.indexOf(":: StoryData"));
    expect(passages.match(/(?<!`)\[\[/g)).toHaveLength(TRICKY.length + 1);
  });

  it("reads Harlowe's verbatim markup as words, and backticks as text in other formats", () => {
    const story = (format: string, text: string) => `:: StoryData
{"ifid": "0A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9", "format": "${format}", "start": "Gate"}

:: Gate
${text} [[Home]]

:: Home
Goodnight.
`;
    const said = (format: string, text: string) => {
      const gate = imported("gate.twee", story(format, text)).scenes[0];
      return [gate?.audio && "say" in gate.audio ? gate.audio.say : undefined, gate?.exits.left];
    };
    // A span closes at the next run of as many backticks; an opener never closed is plain text.
    expect(said("Harlowe", "A `[[Cave]]` and ``a `tick` //here//`` and ` lone")).toEqual([
      "A [[Cave]] and a `tick` //here// and ` lone",
      "home",
    ]);
    // A backtick at a span's edge is written with a space inside each guard, which is not read.
    expect(said("Harlowe", "Say `` ` `` and ``` `` ```.")).toEqual(["Say ` and ``.", "home"]);
    // SugarCube has no verbatim backticks: they are read as they are, and the link inside is a link.
    expect(() => said("SugarCube", "A `[[Cave]]`.")).toThrow(
      "passage 'Gate' (line 1 of the passage) links to 'Cave', which is not a passage of this story: fix the link or add the passage",
    );
  });
});
