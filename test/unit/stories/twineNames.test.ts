import {describe, expect, it} from "vitest";
import {readTwine} from "../../../src/stories/import/twine.js";

// Small Twee and Twine 2 HTML stories written for these tests, each with one bad passage name.
const read = (filename: string, text: string) => readTwine(filename, Buffer.from(text));
const html = (...passages: string[]) =>
  `<tw-storydata name="Names" startnode="1" ifid="5A4B3C2D-1E0F-4A9B-8C7D-6E5F4A3B2C1D" format="Harlowe" hidden>${passages
    .map((name, i) => `<tw-passagedata pid="${i + 1}" name="${name}" tags="">Hello. [[End]]</tw-passagedata>`)
    .join("")}<tw-passagedata pid="9" name="End" tags="">Bye.</tw-passagedata></tw-storydata>`;

describe("passage names Twine would refuse", () => {
  it("refuses two passages of one name, naming both lines (the Twee reader would drop the second unsaid)", () => {
    const twee = ':: Gate\nA [[Garden]]\n\n:: Garden\nB\n\n:: Gate [night] {"position":"1,1"}\nC\n';
    expect(() => read("dup.twee", twee)).toThrow(
      "'dup.twee': two passages are named 'Gate' (lines 1 and 7): Twine refuses a story with two passages of one name; rename one of them",
    );
    expect(() => read("dup.html", html("Gate", "Gate"))).toThrow(
      "'dup.html': two passages are named 'Gate' (in the HTML): Twine refuses a story with two passages of one name; rename one of them",
    );
  });

  it("refuses a passage with no name, or only spaces", () => {
    expect(() => read("empty.twee", ":: Start\nHi. [[End]]\n\n:: [tag]\nWho?\n\n:: End\nBye.\n")).toThrow(
      "'empty.twee' line 4: a passage header (::) names no passage: give the passage a name (Twine refuses a passage without one)",
    );
    expect(() => read("spaces.html", html("Start", "   "))).toThrow(
      "'spaces.html': a passage is named '   ', only spaces: give it a name (Twine refuses a passage without one)",
    );
  });

  it("refuses control characters and the marks that split a link, saying what the link would read", () => {
    expect(() => read("tab.twee", ":: Start\tnow\nHi.\n")).toThrow(
      `passage 'Start\\tnow' has a control character ("\\t") in its name: rename it without one`,
    );
    expect(() => read("bar.twee", ":: Left|Right\nHi.\n")).toThrow(
      "passage 'Left|Right': a name with '|' cannot be linked to ([[Left|Right]] is read as a link to 'Right'): rename it without '|'",
    );
    expect(() => read("arrow.twee", ":: Up->Down\nHi.\n")).toThrow(
      "passage 'Up->Down': a name with '->' cannot be linked to ([[Up->Down]] is read as a link to 'Down'): rename it without '->'",
    );
    expect(() => read("back.twee", ":: Up<-Down\nHi.\n")).toThrow(
      "passage 'Up<-Down': a name with '<-' cannot be linked to ([[Up<-Down]] is read as a link to 'Up'): rename it without '<-'",
    );
  });
});

describe("a scene's id kept in a scene: tag", () => {
  it("keeps the tagged id through a rename in Twine, and gives a second passage with the same tag an id of its own", () => {
    const twee = `:: StoryData
{"start": "Front door"}

:: Front door [scene:gate]
Hello. [[Garden]] [[Back garden]]

:: Garden [scene:gate]
Roses. [[Back garden]]

:: Back garden [scene:yard] {"position":"1,1"}
Grass.
`;
    const {document, warnings} = read("tags.twee", twee);
    const scenes = document.story.scenes as Record<string, {title: string; left?: string; right?: string}>;
    expect(Object.entries(scenes).map(([id, s]) => [id, s.title, s.left, s.right])).toEqual([
      ["gate", "Front door", "garden", "yard"],
      ["garden", "Garden", "yard", undefined],
      ["yard", "Back garden", undefined, undefined],
    ]);
    expect(warnings).toEqual([
      "passages 'Front door' and 'Garden' are both tagged scene:gate: 'Garden' gets an id of its own",
    ]);
  });
});

describe("a file with thousands of the same mistake", () => {
  it("is answered with the first ten and how many more, not all of them", async () => {
    const links = Array.from({length: 2001}, (_, i) => `[[Go->Nowhere ${i}]]`).join(" ");
    const twee = `:: StoryTitle\nMany\n\n:: StoryData\n{"ifid": "1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D", "start": "Start"}\n\n:: Start\n${links}\n`;
    const err = await Promise.resolve()
      .then(() => readTwine("many.twee", Buffer.from(twee)))
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^passage 'Start' \(line 1 of the passage\) links to 'Nowhere 0', which is not a passage of this story; .*; and 1991 more like these: fix the link or add the passage$/,
    );
    expect(message.split("which is not a passage").length - 1).toBe(10);
    expect(message.length).toBeLessThan(2000);
  });
});
