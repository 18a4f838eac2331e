import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {jsonOf} from "../../helpers/http.js";

// A two-passage Twee 3 story written for this test.
const LAMP = `:: StoryTitle
Lamp

:: StoryData
{"ifid":"3C5E7A9B-2D4F-4A6C-8E0B-1F3A5C7E9B2D","start":"Dark"}

:: Dark
It is dark. [[Light the lamp->Lit]]

:: Lit
Now you see.
`;

let t: TestApp;
let stories: string;
beforeAll(async () => {
  t = await startApp();
  stories = path.join(t.dataDir, "..", "rules", "stories");
});

const post = (filename: string, body: string, replace = "") =>
  fetch(`${t.adminUrl}/api/stories/import?filename=${encodeURIComponent(filename)}${replace}`, {method: "POST", body});
const ruleErrors = async () => ((await jsonOf(await fetch(`${t.adminUrl}/api/rules`))).errors as unknown[]).length;

describe("hostile story imports", () => {
  it("refuses a file name with a line break, which was written into the story file as YAML", async () => {
    const res = await post("lamp\nnot_a_story: 1\n#.twee", LAMP);
    expect(await jsonOf(res)).toEqual({
      error:
        "The file name 'lamp\\nnot_a_story: 1\\n#.twee' has a control character (a line break?): name the file without one",
      code: "bad_filename",
    });
    expect(res.status).toBe(400);
    expect(await readdir(stories).catch(() => [])).not.toContain("lamp.yaml");
    expect(await ruleErrors()).toBe(0);
  });

  it("refuses a story whose id another story file already has, leaving that story loaded", async () => {
    // A story written by hand, in a file named otherwise, whose id is the one the import makes.
    await mkdir(stories, {recursive: true});
    const mine = "story:\n  id: candle\n  title: My candle\n  start: a\n  scenes:\n    a:\n      say: Mine.\n";
    await writeFile(path.join(stories, "zz-mine.yaml"), mine);
    expect((await post("seed.twee", LAMP.replace("Lamp", "Seed"))).status).toBe(201);
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/stories/candle`))).title).toBe("My candle");

    const res = await post("candle.twee", LAMP.replace("Lamp", "Candle"));
    expect(await jsonOf(res)).toEqual({
      error:
        "A story 'candle' is already in stories/zz-mine.yaml: give the imported story another title (its id comes from the title), or change that story's id",
      code: "story_exists",
    });
    expect(res.status).toBe(409);
    expect(await readdir(stories)).not.toContain("candle.yaml");
    expect(await readFile(path.join(stories, "zz-mine.yaml"), "utf8")).toBe(mine);
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/stories/candle`))).title).toBe("My candle");
    expect(await ruleErrors()).toBe(0);
  });
});
