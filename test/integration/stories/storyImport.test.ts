import {readFile} from "node:fs/promises";
import path from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {parse} from "yaml";
import {startApp, type TestApp} from "../../helpers/app.js";
import {jsonOf} from "../../helpers/http.js";

// A three-passage Twee 3 story written for this test.
const OWL = `:: StoryTitle
Owl Night

:: StoryData
{"ifid":"1F2E3D4C-5B6A-4798-8A9B-0C1D2E3F4A5B","start":"Branch"}

:: Branch
The owl looks down. [[Fly->Sky]] [[Sleep]]

:: Sky
Stars everywhere. [[Branch]] [[|]] [[|Sleep]]

:: Sleep
Goodnight, owl.
`;

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});

const post = (query: string, body: string | Buffer) =>
  fetch(`${t.adminUrl}/api/stories/import${query}`, {method: "POST", body});

describe("POST /api/stories/import", () => {
  it("writes the story where stories live, reloads the rules, and answers id, scenes, start and warnings", async () => {
    const res = await post("?filename=owl.twee", OWL);
    expect(res.status).toBe(201);
    expect(await jsonOf(res)).toEqual({
      id: "owl-night",
      title: "Owl Night",
      file: path.join("stories", "owl-night.yaml"),
      start: "branch",
      startTitle: "Branch",
      scenes: [
        {id: "branch", title: "Branch", left: "sky", right: "sleep"},
        {id: "sky", title: "Sky", left: "branch", end: "sleep"},
        {id: "sleep", title: "Sleep"},
      ],
      warnings: [],
      // No card yet, so none was written again.
      cards: [],
      // The reload ran and loaded it: its three scenes are being narrated.
      narration: {state: "narrating", total: 3, done: 0, failed: []},
    });
    const rulesDir = path.join(t.dataDir, "..", "rules");
    const written = parse(await readFile(path.join(rulesDir, "stories", "owl-night.yaml"), "utf8"));
    expect(written.story.start).toBe("branch");
    const rules = await jsonOf(await fetch(`${t.adminUrl}/api/rules`));
    expect(rules.errors).toEqual([]);
    const story = await jsonOf(await fetch(`${t.adminUrl}/api/stories/owl-night`));
    expect(story.scenes[0]).toMatchObject({
      id: "branch",
      audio: {say: "The owl looks down."},
      prompts: {left: "Fly, press the left button.", right: "Sleep, press the right button."},
    });
  });

  it("names a missing passage, asks for the file name, and refuses a file over 5 MB", async () => {
    const broken = await post("?filename=broken.twee", ":: Gate\nOpen. [[Garden]] [[Moon]]\n\n:: Garden\nRoses.\n");
    expect(broken.status).toBe(400);
    expect(await jsonOf(broken)).toEqual({
      error:
        "passage 'Gate' (line 1 of the passage) links to 'Moon', which is not a passage of this story: fix the link or add the passage",
      code: "missing_passage",
    });
    const unnamed = await post("", OWL);
    expect(unnamed.status).toBe(400);
    expect((await jsonOf(unnamed)).error).toBe(
      "Name the file: POST /api/stories/import?filename=<name>.twee (or .html, .ink, .json) with the file as the body",
    );
    const huge = await post("?filename=huge.twee", Buffer.alloc(5 * 1024 * 1024 + 1, 0x61));
    expect(huge.status).toBe(413);
    expect((await jsonOf(huge)).error).toBe("The request body is larger than 5 MB");
  });

  it("answers 409 when the story was imported before, unless replace=true", async () => {
    expect((await post("?filename=owl.twee&replace=true", OWL)).status).toBe(201);
    const again = await post("?filename=owl.twee", OWL);
    expect(again.status).toBe(409);
    expect((await jsonOf(again)).code).toBe("story_exists");
    expect((await post("?filename=owl.twee&replace=true", OWL)).status).toBe(201);
    const odd = await post("?filename=owl.twee&replace=yes", OWL);
    expect(odd.status).toBe(400);
    expect(await jsonOf(odd)).toEqual({
      error: "replace must be true or false: ?replace=true overwrites an earlier import",
      code: "invalid_replace",
    });
  });
});
