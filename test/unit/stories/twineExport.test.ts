import {describe, expect, it} from "vitest";
import {harloweCondition, harloweText, harloweValue} from "../../../src/stories/export/harlowe.js";
import {storyToTwee} from "../../../src/stories/export/twee.js";
import {ifidOf, passageNames} from "../../../src/stories/export/tweeNames.js";
import {readTwine} from "../../../src/stories/import/twine.js";
import {linksOf, macrosOf} from "../../../src/stories/import/twineText.js";
import {hideVerbatim} from "../../../src/stories/import/verbatim.js";
import {parseCondition} from "../../../src/stories/model/conditions.js";
import {checkStory, type Story} from "../../../src/stories/model/story.js";

/** A story as a story file holds it, checked as the service loads it. */
function story(raw: Record<string, unknown>): Story {
  const {story: checked, problems} = checkStory(raw, "test.yaml");
  if (!checked) throw new Error(problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; "));
  return checked;
}

// The docs' key story, written for these tests with a stream scene, an end exit and a stop button.
const KEY = story({
  id: "the_key",
  title: "The Key",
  start: "hall",
  mode: "streamed",
  variables: {coins: 2, seen: false, name: "Ann"},
  scenes: {
    hall: {
      title: "The hall",
      say: "A locked door.",
      prompts: {left: "Open the door, press the left button.", right: "Search the hall, press the right button."},
      left: {to: "garden", if: "$key eq true && !$wet"},
      right: "closet",
    },
    closet: {
      title: "Closet",
      say: "A key hangs on a hook.",
      prompts: {left: "Take it back to the door, press the left button."},
      set: {key: true, coins: 3},
      left: "hall",
      end: "hall",
    },
    garden: {title: "Garden", audio: {stream: "garden_birds"}, left: "stop", right: "hall"},
  },
});

describe("a story written as Twee 3", () => {
  it("writes its title, StoryData with a stable IFID and the start's name, StoryInit, and a passage per scene", () => {
    expect(storyToTwee(KEY)).toBe(`:: StoryTitle
The Key

:: StoryData
{
  "ifid": "${ifidOf("the_key")}",
  "format": "Harlowe",
  "format-version": "3.3.9",
  "start": "The hall",
  "story-id": "the_key",
  "story-mode": "streamed"
}

:: StoryInit
(set: $coins to 2)
(set: $seen to false)
(set: $name to "Ann")

:: The hall [scene:hall] {"position":"100,100","size":"100,100"}
A locked door.
(if: $key is true and not $wet)[[[Open the door->Garden]]]
[[Search the hall->Closet]]

:: Closet {"position":"250,100","size":"100,100"}
A key hangs on a hook.
(set: $key to true)
(set: $coins to 3)
[[Take it back to the door->The hall]]
[[|]]
[[|The hall]]

:: Garden {"position":"400,100","size":"100,100"}
<!-- plays the stream garden_birds -->
[[|]]
[[|The hall]]
`);
  });

  it("gives each story id its own IFID, the same on every export, shaped as Twine writes one", () => {
    expect(ifidOf("the_key")).toBe(ifidOf("the_key"));
    expect(ifidOf("the_key")).not.toBe(ifidOf("the_lock"));
    expect(ifidOf("the_key")).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it("writes whole prompts as the links' words where they do not end as the import's own, and StoryInit clears the ending", () => {
    const custom = story({
      id: "owl",
      title: "Owl",
      start: "tree",
      scenes: {
        tree: {say: "Hoot.", prompts: {left: "Press left to fly."}, left: "sky"},
        sky: {say: "Stars."},
      },
    });
    const twee = storyToTwee(custom);
    expect(twee).toContain(':: StoryInit\n(set: $lhbTemplate to "")\n');
    expect(twee).toContain("[[Press left to fly.->sky]]");
    const back = readTwine("owl.twee", Buffer.from(twee)).document.story as {
      scenes: Record<string, {prompts?: unknown}>;
    };
    expect(back.scenes.tree?.prompts).toEqual({left: "Press left to fly."});
  });

  it("writes an audio scene as a note Twine does not show; imported again it narrates its title, or its id where it has none", () => {
    const sounds = story({
      id: "sounds",
      title: "Sounds",
      start: "hill",
      scenes: {
        hill: {title: "The hill --> top", audio: ["story/hill.mp3", "story/wind.mp3"], left: "cave"},
        cave: {title: "", audio: "story/cave.mp3"},
      },
    });
    const twee = storyToTwee(sounds);
    expect(twee).toContain(
      ':: The hill -→ top [scene:hill] {"position":"100,100","size":"100,100"}\n<!-- plays story/hill.mp3, story/wind.mp3 -->\n[[|(cave)]]\n',
    );
    expect(twee).toContain(
      ':: (cave) [scene:cave] {"position":"250,100","size":"100,100"}\n<!-- plays story/cave.mp3 -->\ncave\n',
    );
    const back = story(readTwine("sounds.twee", Buffer.from(twee)).document.story);
    expect(back.scenes.map((s) => [s.id, s.title, s.audio])).toEqual([
      ["hill", "The hill -→ top", {say: "The hill -→ top"}],
      ["cave", "", {say: "cave"}],
    ]);
  });

  it("writes a second button to the same scene without words: Twine's two links to one passage are one choice", () => {
    const twice = story({
      id: "twice",
      title: "Twice",
      start: "fork",
      scenes: {
        fork: {
          say: "Both ways lead home.",
          prompts: {left: "Go left, press the left button.", right: "Go right, press the right button."},
          left: "home",
          right: "home",
        },
        home: {say: "Home."},
      },
    });
    const twee = storyToTwee(twice);
    expect(twee).toContain("Both ways lead home.\n[[Go left->home]]\n[[|home]]\n");
    const back = story(readTwine("twice.twee", Buffer.from(twee)).document.story);
    expect(back.scenes[0]).toMatchObject({
      exits: {left: "home", right: "home"},
      prompts: {left: "Go left, press the left button."},
    });
  });

  it("refuses an ink story, saying its .ink file is the story", () => {
    const ink: Story = {...KEY, id: "lantern", scenes: KEY.scenes.slice(0, 1), ink: "/stories/lantern.ink.json"};
    expect(() => storyToTwee(ink)).toThrow(
      "Story 'lantern' is an ink story: it cannot be written as Twee (ink's knots and choices have no Twine form). Its .ink file is the story: edit that in Inky and import it again",
    );
  });
});

describe("passage names", () => {
  const scene = (id: string, title: string) => ({id, title, audio: {say: "Hi."}, exits: {}});

  it("names a passage by its scene's title, telling apart titles two scenes share and Twine's own names", () => {
    const names = passageNames([
      scene("gate", "Gate"),
      scene("gate-2", "Gate"),
      scene("init", "StoryInit"),
      scene("blank", "  "),
      scene("odd", "Left | right -> [up] <- down\tnow"),
      scene("looks", "The end (looks)"),
      scene("hall", "hall"),
    ]);
    expect(Object.fromEntries(names)).toEqual({
      gate: {name: "Gate (gate)", tag: "scene:gate"},
      "gate-2": {name: "Gate (gate-2)", tag: "scene:gate-2"},
      init: {name: "StoryInit (init)", tag: "scene:init"},
      blank: {name: "(blank)", tag: "scene:blank"},
      odd: {name: "Left / right → (up) ← down now", tag: "scene:odd"},
      looks: {name: "The end (looks) (looks)", tag: "scene:looks"},
      hall: {name: "hall"},
    });
  });

  it("escapes Twee's header characters, and the import reads back each scene's id and title", () => {
    const odd = story({
      id: "odd",
      title: "Odd",
      start: "a",
      scenes: {
        a: {title: "Gate", say: "One.", left: "b", right: "c"},
        b: {title: "Gate", say: "Two.", left: "c"},
        c: {title: "Curly {braces} and back\\slash", say: "Three.", left: "d"},
        d: {title: "", say: "Four."},
      },
    });
    const twee = storyToTwee(odd);
    expect(twee).toContain(":: Curly \\{braces\\} and back\\\\slash [scene:c] ");
    const back = story(readTwine("odd.twee", Buffer.from(twee)).document.story);
    expect(back.scenes.map((s) => [s.id, s.title, s.exits])).toEqual([
      ["a", "Gate", {left: "b", right: "c"}],
      ["b", "Gate", {left: "c"}],
      ["c", "Curly {braces} and back\\slash", {left: "d"}],
      ["d", "", {}],
    ]);
  });
});

describe("Harlowe", () => {
  it("writes our conditions in Harlowe's words, read back as the same condition", () => {
    const cases: Array<[string, string]> = [
      ["$key", "$key"],
      ["not $wet", "not $wet"],
      ["$apples is 2", "$apples is 2"],
      ['$name is not "Ann"', '$name is not "Ann"'],
      ["$x >= 3 and $y", "$x >= 3 and $y"],
      ["$x eq 1", "$x is 1"],
      ["$x gt 1 || !$y", "$x > 1 or not $y"],
      ["$a === 2 && $b !== 'it\"s'", "$a is 2 and $b is not 'it\"s'"],
      ["($wet or $lit) and not ($apples lt 2)", "($wet or $lit) and not ($apples < 2)"],
      ["$a and ($b and $c)", "$a and ($b and $c)"],
      ["$a is 1 or 2", "$a is 1 or (2)"],
    ];
    expect(cases.map(([ours]) => [ours, harloweCondition(ours)])).toEqual(cases);
    for (const [ours, harlowe] of cases) expect(parseCondition(harlowe)).toEqual(parseCondition(ours));
  });

  it("writes plain values the import reads back, and nothing for the rest", () => {
    expect([3, -1.5, true, "Ann", 'say "hi"', "a (b) c"].map(harloweValue)).toEqual([
      "3",
      "-1.5",
      "true",
      '"Ann"',
      `'say "hi"'`,
      '"a (b) c"',
    ]);
    expect([null, [1], {a: 1}, 1e21, `both " and '`, "a) b", "x".repeat(401)].map(harloweValue)).toEqual(
      Array(7).fill(undefined),
    );
  });

  it("keeps ordinary prose as it is, and writes what would start a link, a macro, a tag or a printed variable verbatim", () => {
    const prose = 'The owl\'s nest: high up (very high), 3 eggs & a feather; "Hoo!" - she said.\nNext line.';
    expect(harloweText(prose)).toBe(prose);
    const tricky = "[[Not a link]] (print: 1) <<set $x to 1>> <b>bold</b> $coins\n:: Not a passage";
    const written = harloweText(tricky);
    expect(written).toBe(
      "`[[`Not a link`]]` `(`print: 1) `<<`set `$`x to 1>> `<`b>bold`<`/b> `$`coins\n :: Not a passage",
    );
    // Read as the import reads Harlowe, with its verbatim spans hidden: nothing links or runs.
    expect(linksOf(hideVerbatim(written))).toEqual([]);
    expect(macrosOf(hideVerbatim(written))).toEqual([]);
  });
});
