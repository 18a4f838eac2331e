import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {storyToTwee} from "../../../src/stories/export/twee.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {bigStoryFile} from "../../helpers/bigStory.js";
import {jsonOf} from "../../helpers/http.js";
import {LANTERN_INK} from "../../helpers/storyPlay.js";

// A Twee 3 story written for this test: a conditional link, a set, a place-holder and a track-end exit.
const OWL = `:: StoryTitle
Owl Night

:: StoryData
{"ifid":"1F2E3D4C-5B6A-4798-8A9B-0C1D2E3F4A5B","start":"Branch"}

:: StoryInit
(set: $moon to false)

:: Branch
The owl looks down. (if: $moon)[[[Fly->Sky]]] [[Sleep]]

:: Sky
Stars everywhere. (set: $moon to true) [[Branch]] [[|]] [[|Sleep]]

:: Sleep
Goodnight, owl.
`;

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t?.stop();
});

const importStory = (filename: string, body: string, replace = false) =>
  fetch(`${t.adminUrl}/api/stories/import?filename=${filename}${replace ? "&replace=true" : ""}`, {
    method: "POST",
    body,
  });
const exportStory = (id: string, query = "?format=twee") => fetch(`${t.adminUrl}/api/stories/${id}/export${query}`);

describe("GET /api/stories/<id>/export", () => {
  it("answers the story as a Twee 3 download that imports again as the same story", async () => {
    const first = await importStory("owl.twee", OWL);
    expect(first.status).toBe(201);
    const imported = await jsonOf(first);
    const res = await exportStory("owl-night");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="owl-night.twee"');
    const twee = await res.text();
    expect(twee).toContain(":: StoryTitle\nOwl Night\n");
    expect(twee).toContain("(if: $moon)[[[Fly->Sky]]]");
    const story = await jsonOf(await fetch(`${t.adminUrl}/api/stories/owl-night`));

    const again = await importStory("owl-night.twee", twee, true);
    expect(again.status).toBe(201);
    const reimported = await jsonOf(again);
    expect(reimported).toMatchObject({id: "owl-night", start: "branch", scenes: imported.scenes});
    const after = await jsonOf(await fetch(`${t.adminUrl}/api/stories/owl-night`));
    expect(after.scenes).toEqual(story.scenes);
    expect(after.variables).toEqual(story.variables);
    // Without a format, Twee is meant; it is the same file as before.
    const plain = await exportStory("owl-night", "");
    expect(await plain.text()).toBe(twee);
  });

  it("keeps an imported story's own IFID: every export says it, so Twine knows the story again", async () => {
    expect((await importStory("owl.twee", OWL, true)).status).toBe(201);
    const ifid = (twee: string) =>
      (JSON.parse(/:: StoryData\n(\{[\s\S]*?\n\})/.exec(twee)?.[1] ?? "{}") as {ifid?: string}).ifid;
    const first = await (await exportStory("owl-night")).text();
    expect(ifid(first)).toBe("1F2E3D4C-5B6A-4798-8A9B-0C1D2E3F4A5B");
    // Kept with the story (in its file), not made at each export: a reload and a second export say the same.
    expect(await readFile(path.join(t.dataDir, "..", "rules", "stories", "owl-night.yaml"), "utf8")).toContain(
      "ifid: 1F2E3D4C-5B6A-4798-8A9B-0C1D2E3F4A5B",
    );
    expect((await fetch(`${t.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBeLessThan(300);
    expect(ifid(await (await exportStory("owl-night")).text())).toBe("1F2E3D4C-5B6A-4798-8A9B-0C1D2E3F4A5B");
  });

  it("names the formats for another, keeps the 404 of an unknown story, and refuses an ink story", async () => {
    const html = await exportStory("owl-night", "?format=html");
    expect(html.status).toBe(400);
    expect(await jsonOf(html)).toEqual({
      error:
        "Cannot export as 'html': a story is exported as twee (Twee 3, for Twine): GET /api/stories/owl-night/export?format=twee",
      code: "unsupported_export_format",
    });
    const ink = await importStory("lantern.ink", LANTERN_INK);
    expect(ink.status).toBe(201);
    const {id} = await jsonOf(ink);
    const refused = await exportStory(id);
    expect(refused.status).toBe(409);
    expect(await jsonOf(refused)).toEqual({
      error: `Story '${id}' is an ink story: it cannot be written as Twee (ink's knots and choices have no Twine form). Its .ink file is the story: edit that in Inky and import it again`,
      code: "ink_story",
    });
    const unknown = await exportStory("nope");
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toEqual({
      error: `No story 'nope' (stories: ${[id, "owl-night"].sort().join(", ")})`,
      code: "unknown_story",
    });
  });

  it("takes a story written in YAML to Twine and back: imported again with replace, it goes over its own file", async () => {
    const rulesDir = path.join(t.dataDir, "..", "rules");
    await writeFile(
      path.join(rulesDir, "fox-tale.yaml"),
      "story:\n  id: fox\n  title: The Fox\n  start: den\n  scenes:\n    den: {say: The fox wakes., left: wood}\n    wood: {say: The wood is still.}\n",
    );
    expect((await fetch(`${t.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBeLessThan(300);
    const twee = await (await exportStory("fox")).text();
    const refused = await importStory("fox.twee", twee);
    expect(refused.status).toBe(409);
    expect((await jsonOf(refused)).error).toBe(
      "A story 'fox' is already in fox-tale.yaml: import with replace to write this one over it (that file is rewritten), or give the imported story another title (its id comes from the title, or from StoryData's story-id), or change that story's id",
    );
    const replaced = await importStory("fox.twee", twee.replace("The wood is still.", "The wood sings."), true);
    expect(replaced.status).toBe(201);
    expect((await jsonOf(replaced)).file).toBe("fox-tale.yaml");
    const fox = t.app.stories.get("fox");
    expect(fox.scenes.map((s) => [s.id, s.audio])).toEqual([
      ["den", {say: "The fox wakes."}],
      ["wood", {say: "The wood sings."}],
    ]);
    expect(await readFile(path.join(rulesDir, "fox-tale.yaml"), "utf8")).toMatch(/^# Imported from fox\.twee\n/);
  });

  it("streams a story of 2,000 scenes whole: the very bytes the export writes at once", async () => {
    // Scenes that play a stream: nothing for the service to narrate while the test runs. JSON is YAML.
    await t.app.streams.replace("quiet", []);
    const file = {story: bigStoryFile(2000, {stream: "quiet", silent: true})};
    await writeFile(path.join(t.dataDir, "..", "rules", "big-quiet.yaml"), JSON.stringify(file));
    expect((await fetch(`${t.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBeLessThan(300);
    const res = await exportStory("big_quiet_forest");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const twee = await res.text();
    expect(twee).toBe(storyToTwee(t.app.stories.get("big_quiet_forest")));
    // After the title: StoryData, StoryInit and a passage per scene.
    expect(twee.split("\n\n:: ").length - 1).toBe(2 + 2000);
  });
});
