import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {storyToTwee} from "../../../src/stories/export/twee.js";
import {readTwine} from "../../../src/stories/import/twine.js";
import {parseCondition} from "../../../src/stories/model/conditions.js";
import {checkStory, type Scene, STOP, type Story} from "../../../src/stories/model/story.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

/** A story as the service loads it: a story file's `story:`, or what an import of Twine writes. */
function load(raw: unknown, file = "test.yaml"): Story {
  const {story, problems} = checkStory(raw, file);
  if (!story) throw new Error(problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("; "));
  return story;
}

const imported = (filename: string, bytes: Buffer | string) =>
  load(readTwine(filename, Buffer.from(bytes)).document.story, filename);

/** Export, then import the export. */
const again = (story: Story) => imported(`${story.id}.twee`, storyToTwee(story));

/** What a round trip keeps: the story, its scenes (ids, titles, text), exits, conditions (as read), prompts and sets. */
function shape(story: Story) {
  return {
    id: story.id,
    title: story.title,
    mode: story.mode,
    start: story.start,
    variables: story.variables,
    scenes: story.scenes.map((s) => ({
      id: s.id,
      title: s.title,
      audio: s.audio,
      exits: Object.fromEntries(Object.entries(s.exits).filter(([exit, to]) => !(exit === "end" && to === STOP))),
      conditions: Object.fromEntries(Object.entries(s.conditions ?? {}).map(([e, c]) => [e, parseCondition(c)])),
      prompts: s.prompts,
      set: s.set,
    })),
  };
}

const EXTWEE = path.join(PACKAGE_ROOT, "test", "fixtures", "extwee");

describe("Twine round trip", () => {
  it("imports each of extwee's test stories our importer accepts, writes it back, and imports the same story", () => {
    const accepted: string[] = [];
    for (const file of readdirSync(EXTWEE).filter((f) => /\.(twee|html)$/.test(f))) {
      let first: Story;
      try {
        first = imported(file, readFileSync(path.join(EXTWEE, file)));
      } catch {
        continue;
      }
      accepted.push(file);
      const back = again(first);
      expect(shape(back), file).toEqual(shape(first));
      // Written back again, it is the same file: nothing drifts from one round to the next.
      expect(storyToTwee(back), file).toBe(storyToTwee(first));
    }
    // Every one but the files that are no stories (empty, a lone header, broken StoryData).
    expect(accepted.length).toBe(42);
    expect(readdirSync(EXTWEE).filter((f) => /\.(twee|html)$/.test(f) && !accepted.includes(f))).toEqual([
      "Roundtrip_Files_example1.twee",
      "Twee_TweeParser_storydataerror.twee",
      "Twine1HTML_Twine1HTMLCompiler_engineTest.html",
      "Twine1HTML_Twine1HTMLCompiler_test1.html",
      "Twine1HTML_Twine1HTMLCompiler_test2.html",
    ]);
  });

  it("round-trips the docs' pond and a menu of five links, ids, prompts, sets and variables alike", () => {
    const pond = `:: StoryTitle
The Pond

:: StoryData
{"ifid": "3F1C2B4A-5D6E-4F70-8192-A3B4C5D6E7F8", "start": "Bank"}

:: StoryInit
(set: $frogs to 0)

:: Bank
You sit by the pond. [[Look for frogs->Reeds]] [[Go home->Home]]

:: Reeds
A frog jumps! (set: $frogs to 1) [[Back->Bank]] [[|]] [[|Home]]

:: Home
Back home, you tell everyone about the pond. Goodnight.
`;
    const menu = `:: StoryData
{"ifid": "0A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9", "start": "Gate"}

:: Gate
Where now? (if: $key)[[[Tower]]] [[Cave]] [[Lake]] [[Woods]] [[Home]]

:: Tower
High. [[Home]]

:: Cave
Dark. [[Home]]

:: Lake
Wet. (set: $wet to true) [[Home]]

:: Woods
Green. [[Home]]

:: Home
Goodnight.
`;
    for (const [file, text] of [
      ["pond.twee", pond],
      ["menu.twee", menu],
    ] as const) {
      const first = imported(file, text);
      const back = again(first);
      expect(shape(back), file).toEqual(shape(first));
      expect(storyToTwee(back), file).toBe(storyToTwee(first));
    }
    // The menu's scenes are written as the passage they came from, its five links as written.
    const gate = imported("menu.twee", menu);
    expect(gate.scenes.map((s) => s.id)).toContain("gate-choice-5");
    const twee = storyToTwee(gate);
    expect(twee).toContain(
      ':: Gate {"position":"100,100","size":"100,100"}\nWhere now?\n[[Tower->Tower]]\n[[Cave->Cave]]\n[[Lake->Lake]]\n[[Woods->Woods]]\n[[Home->Home]]\n\n',
    );
    expect(twee).not.toContain("choice");
    // Edited so that another scene leads into the menu, it is written scene by scene: the same story again.
    const led: Story = {
      ...gate,
      scenes: gate.scenes.map((s) => (s.id === "home" ? {...s, exits: {left: "gate-choice-3"}} : s)),
    };
    const ledTwee = storyToTwee(led);
    expect(ledTwee).toContain(":: Gate: choice 3 ");
    expect(shape(imported("gate.twee", ledTwee))).toEqual(shape(led));
  });

  it("round-trips our own stories: the demo's sleepy dragon (audio scenes come back narrating their titles) and the docs' key", () => {
    const dragon = load(
      parse(readFileSync(path.join(PACKAGE_ROOT, "rules", "sleepy-dragon.yaml"), "utf8")).story,
      "sleepy-dragon.yaml",
    );
    const key = load({
      id: "the_key",
      title: "The Key",
      start: "hall",
      mode: "streamed",
      scenes: {
        hall: {
          say: "A locked door.",
          prompts: {left: "Open the door, press the left button.", right: "Search the hall, press the right button."},
          left: {to: "garden", if: "$key"},
          right: "closet",
        },
        closet: {
          say: "A key hangs on a hook.",
          prompts: {left: "Take it back to the door, press the left button."},
          set: {key: true},
          left: "hall",
          end: "hall",
        },
        garden: {say: "Flowers everywhere."},
      },
    });
    for (const story of [dragon, key]) {
      const expected = shape(story);
      // Twine has no audio: a scene that plays some says its title (a recording named after it plays instead).
      for (const scene of expected.scenes)
        if (!("say" in scene.audio)) (scene as {audio: Scene["audio"]}).audio = {say: scene.title};
      // A variable a passage sets is a story variable from the start, empty until set.
      for (const scene of story.scenes)
        for (const name of Object.keys(scene.set ?? {}))
          if (!Object.hasOwn(expected.variables, name)) expected.variables[name] = null;
      expect(shape(again(story)), story.id).toEqual(expected);
    }
  });

  it("round-trips text under conditions: (if:)[…](else:)[…], nested as written, else-ifs and all", () => {
    const moon = load({
      id: "moon",
      title: "Moon",
      start: "sky",
      mode: "streamed",
      variables: {moon: false, stars: 0},
      scenes: {
        sky: {
          say: [
            "The sky is dark.",
            {
              if: "$moon",
              say: "The moon is up.",
              else: {
                if: "$stars >= 3",
                say: ["Stars shine.", {if: "not $cloud", say: "No clouds at all."}],
                else: "Nothing shines.",
              },
            },
            "Goodnight.",
          ],
          left: "sky",
          end: "owl",
        },
        owl: {say: ["Hoo.", {if: "$stars is 2 or $moon", say: "The owl counts (quietly)."}]},
      },
    });
    const twee = storyToTwee(moon);
    expect(twee).toContain(
      "The sky is dark. (if: $moon)[The moon is up.](else:)[(if: $stars >= 3)[Stars shine. (if: not $cloud)[No clouds at all.]](else:)[Nothing shines.]] Goodnight.\n",
    );
    expect(shape(again(moon))).toEqual(shape(moon));
  });

  it("writes and reads back a streamed story of 10,000 scenes, in time that grows linearly", () => {
    const story = walk(10_000);
    // A tenth of the story first; the whole takes no more than 40 times its processor time (a square, 100).
    const twee = readsInLinearTime(walk, storyToTwee, 10_000);
    const back = imported("long_walk.twee", twee);
    expect(shape(back)).toEqual(shape(story));
  }, 120_000);
});

/** A streamed walk of `count` scenes: prompts, sets, conditional exits, and titles shared by every hundredth. */
function walk(count: number): Story {
  const scenes: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const to = (k: number) => `s${Math.min(i + k, count - 1)}`;
    scenes[`s${i}`] =
      i === count - 1
        ? {title: "The end", say: "Goodnight."}
        : {
            title: i % 100 === 0 ? "Crossroads" : `Scene ${i}`,
            say: `Scene ${i}. The path goes on.`,
            prompts: {left: "Go on, press the left button."},
            left: to(1),
            right: i % 2 === 1 ? {to: to(2), if: `$steps >= ${i}`} : to(2),
            set: {steps: i},
          };
  }
  return load({id: "long_walk", title: "The Long Walk", start: "s0", mode: "streamed", variables: {steps: 0}, scenes});
}
