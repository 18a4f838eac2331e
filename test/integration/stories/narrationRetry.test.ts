import {mkdir} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {startApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {fakeHaCore, SUPERVISOR_TOKEN} from "../../helpers/fakeHaCore.js";
import {jsonOf} from "../../helpers/http.js";
import {importStory, narrated} from "../../helpers/storyPlay.js";

// A Twee story written for this test: two of its four passages speak of the storm.
const HARBOUR = `:: StoryData
{"ifid":"2B4D6F8A-1C3E-4A5B-9D7F-0E2C4A6B8D1F","start":"Quay"}

:: Quay
Boats bob at the quay. [[Sail->Storm]] [[Wait->Calm]]

:: Storm
A storm rolls in. [[Home]]

:: Calm
The sea is flat. [[Home]]

:: Home
Safe at home, the storm far away.
`;

describe("narration with an engine that fails partway", () => {
  it("keeps the story, lists the scenes it could not narrate with the engine's reason, and a retry narrates only those", async () => {
    let stormy = true;
    const core = await fakeHaCore(["tts.piper"], {
      fail: (body) => (stormy && String(body.message).includes("storm") ? "the voice model crashed" : undefined),
    });
    const t = await startApp([], {homeAssistant: true, supervisor: {url: core.url, token: SUPERVISOR_TOKEN}});
    await importStory(t, "harbour.twee", HARBOUR);
    const failed = "Home Assistant's text-to-speech 'tts.piper' failed: it answered 500 (the voice model crashed)";
    expect(await narrated(t, "harbour")).toEqual({
      state: "failed",
      total: 4,
      done: 2,
      failed: [
        {scene: "storm", title: "Storm", error: failed},
        {scene: "home", title: "Home", error: failed},
      ],
    });
    // The story is kept and listed, its failure shown with it.
    const listed = await jsonOf(await fetch(`${t.adminUrl}/api/stories/harbour`));
    expect(listed.narration.failed.map((f: {scene: string}) => f.scene)).toEqual(["storm", "home"]);
    expect(t.app.narration.health()).toEqual({
      status: "degraded",
      message: "Narration failed for stories harbour: retry from Stories",
    });

    stormy = false;
    const asked = core.asked.length;
    const retry = await fetch(`${t.adminUrl}/api/stories/harbour/narrate`, {method: "POST"});
    expect(retry.status).toBe(202);
    expect((await jsonOf(retry)).narration).toMatchObject({state: "narrating", total: 4});
    expect(await narrated(t, "harbour")).toEqual({state: "ready", total: 4, done: 4, failed: []});
    // Only the two failed scenes were spoken again: the others came from the cache.
    expect(core.asked.slice(asked).map((a) => a.message)).toEqual([
      "A storm rolls in.\nHome, press the left button.",
      "Safe at home, the storm far away.",
    ]);
  }, 60_000);

  it("uses a recording beside the story (audio/<passage name>.mp3) instead of speaking that scene", async () => {
    const core = await fakeHaCore(["tts.piper"]);
    const t = await startApp([], {homeAssistant: true, supervisor: {url: core.url, token: SUPERVISOR_TOKEN}});
    const audio = path.join(t.dataDir, "..", "rules", "stories", "harbour", "audio");
    await mkdir(audio, {recursive: true});
    await makeTone(path.join(audio, "Calm.mp3"), {seconds: 3});
    await importStory(t, "harbour.twee", HARBOUR);
    expect(await narrated(t, "harbour")).toEqual({state: "ready", total: 4, done: 4, failed: []});
    expect(core.asked.map((a) => String(a.message).split("\n")[0])).toEqual([
      "Boats bob at the quay.",
      "A storm rolls in.",
      "Safe at home, the storm far away.",
    ]);
    const story = t.app.stories.get("harbour");
    const calm = await t.app.narration.audioFor(story, story.scenes.find((s) => s.id === "calm")!);
    expect(t.app.library.get(calm)?.duration).toBeCloseTo(3, 0);
  }, 60_000);
});
