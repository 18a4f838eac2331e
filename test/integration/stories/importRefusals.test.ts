import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {fillDisk} from "../../helpers/fullDisk.js";
import {jsonOf} from "../../helpers/http.js";
import {canMountDisks, mountSmallDisk} from "../../helpers/smallDisk.js";

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
        "A story 'candle' is already in stories/zz-mine.yaml: import with replace to write this one over it (that file is rewritten), or give the imported story another title (its id comes from the title, or from StoryData's story-id), or change that story's id",
      code: "story_exists",
    });
    expect(res.status).toBe(409);
    expect(await readdir(stories)).not.toContain("candle.yaml");
    expect(await readFile(path.join(stories, "zz-mine.yaml"), "utf8")).toBe(mine);
    expect((await jsonOf(await fetch(`${t.adminUrl}/api/stories/candle`))).title).toBe("My candle");
    expect(await ruleErrors()).toBe(0);
  });

  it("refuses a story that makes a file over the rules folder's 1 MB, naming both sizes, and keeps nothing", async () => {
    // 1.5 MB of text in 300 passages: under the 5 MB an import may be, over what a story file may be.
    const passages = Array.from(
      {length: 300},
      (_, i) => `:: P${i}\n${"The river runs on and on. ".repeat(200)}${i < 299 ? `[[On->P${i + 1}]]` : ""}\n`,
    );
    const big = `:: StoryTitle\nLong River\n\n:: StoryData\n{"start":"P0"}\n\n${passages.join("\n")}`;
    const res = await post("river.twee", big);
    expect(await jsonOf(res)).toEqual({
      error:
        "'river.twee' makes a story file of 1.7 MB, and a story file loads up to 1.0 MB: split the story in two (each part its own story), or shorten its passages. Nothing was imported",
      code: "story_too_large",
    });
    expect(res.status).toBe(413);
    expect(await readdir(stories).catch(() => [])).not.toContain("long-river.yaml");
    expect((await fetch(`${t.adminUrl}/api/stories/long-river`)).status).toBe(404);
    expect(await ruleErrors()).toBe(0);
  });

  it.skipIf(!canMountDisks)(
    "answers 507 naming the folder on a full disk, leaving no part of the story behind",
    async () => {
      await mkdir(stories, {recursive: true});
      const disk = await mountSmallDisk(stories, 256);
      try {
        const filled = await fillDisk(stories);
        const res = await post("wick.twee", LAMP.replace("Lamp", "Wick"));
        expect(await jsonOf(res)).toEqual({
          error: `The disk holding '${stories}' is full: free some space and retry`,
          code: "disk_full",
        });
        expect(res.status).toBe(507);
        expect((await readdir(stories)).filter((f) => f !== "filler.bin")).toEqual([]);
        await filled.free();
        expect((await post("wick.twee", LAMP.replace("Lamp", "Wick"))).status).toBe(201);
        expect((await jsonOf(await fetch(`${t.adminUrl}/api/stories/wick`))).title).toBe("Wick");
      } finally {
        await disk.unmount();
      }
    },
  );
});
