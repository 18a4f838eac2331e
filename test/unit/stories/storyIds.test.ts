import {describe, expect, it} from "vitest";
import {readInk} from "../../../src/stories/import/inkImport.js";
import {readTwine} from "../../../src/stories/import/twine.js";

const twee = (title: string) => `:: StoryTitle
${title}

:: StoryData
{"ifid":"6A8C0E2F-4B6D-4F8A-9C1E-3D5F7A9B1C3E","start":"Start"}

:: Start
Once upon a time.
`;

describe("story ids from titles in other scripts", () => {
  it("names a story after its file when its title has no a-z or 0-9 (two such stories were both 'passage')", () => {
    expect(readTwine("tanuki.twee", Buffer.from(twee("たぬきの話"))).id).toBe("tanuki");
    expect(readTwine("kitsune.twee", Buffer.from(twee("きつねの話"))).id).toBe("kitsune");
    // The title is kept as the story's title.
    expect(readTwine("tanuki.twee", Buffer.from(twee("たぬきの話"))).document.story.title).toBe("たぬきの話");
  });

  it("calls a story with neither 'story'", async () => {
    expect(readTwine("物語.twee", Buffer.from(twee("たぬきの話"))).id).toBe("story");
    expect((await readInk("物語.ink", Buffer.from("Once upon a time.\n"))).id).toBe("story");
  });
});
