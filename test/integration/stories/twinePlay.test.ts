import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {importStory, narrated, payloadBytes, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;

// A Twee 3 story written for this test: a dock, a sea with only a track-end exit, an island with
// four paths (a spoken menu), and a bed at the end of every path.
const MOON_BOAT = `:: StoryTitle
Moon Boat

:: StoryData
{"ifid":"7A3C2B1D-4E5F-4A6B-8C7D-9E0F1A2B3C4D","start":"Dock"}

:: Dock
A little boat waits by the dock.
[[Row out->Sea]]
[[Stay home->Bed]]

:: Sea
The waves rock the boat until it bumps onto sand. [[|]] [[|]] [[|Island]]

:: Island
Four paths lead away from the shore. [[Cave]] [[Beach]] [[Hill]] [[Bed]]

:: Cave
It is dark and cool. [[Bed]]

:: Beach
The sand is warm. [[Bed]]

:: Hill
The wind sings. [[Bed]]

:: Bed
Back in bed, the moon says goodnight.
`;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

describe("a Twine story imported and played on a player", () => {
  it.skipIf(!SPEECH.path)(
    "plays each passage's narration; left, right and the track's end follow the links; the island's menu is read and taken",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      const imported = await importStory(t, "moon.twee", MOON_BOAT);
      expect(imported.narration).toMatchObject({state: "narrating", total: 11});
      expect(await narrated(t, "moon-boat")).toEqual({state: "ready", total: 11, done: 11, failed: []});
      const cardId = await storyCard(t, "moon-boat");

      const player = sim.player(LIVING);
      const step = stepper(player, () => t!.app.stories.session(LIVING)?.scene);
      await step(() => player.insertCard(cardId), 1, "dock");
      await step(() => player.pressLeft(), 2, "sea");
      await step(() => player.finishTrack(), 3, "island");
      // The menu: right reads the next path, left takes the one read.
      await step(() => player.pressRight(), 4, "island-choice-2");
      await step(() => player.pressRight(), 5, "island-choice-3");
      await step(() => player.pressLeft(), 6, "hill");
      await step(() => player.pressLeft(), 7, "bed");

      expect(player.fetches.map((f) => new URL(f.url).pathname.replace("/stories/moon-boat/", ""))).toEqual([
        "dock.mp3",
        "sea.mp3",
        "island.mp3",
        "island-choice-2.mp3",
        "island-choice-3.mp3",
        "hill.mp3",
        "bed.mp3",
      ]);
      // Each scene played its own narration, whole.
      const story = t.app.stories.get("moon-boat");
      for (const [i, fetched] of player.fetches.entries()) {
        const sceneId = new URL(fetched.url).pathname.split("/").at(-1)!.replace(".mp3", "");
        const item = t.app.narration.cachedItem(story, story.scenes.find((s) => s.id === sceneId)!);
        expect(item, `scene ${sceneId} narrated`).toBeDefined();
        expect(fetched.bytes, `fetch ${i}`).toBe(await payloadBytes(t, item!));
      }
      expect(story.scenes.find((s) => s.id === "dock")).toMatchObject({
        audio: {say: "A little boat waits by the dock."},
        prompts: {left: "Row out, press the left button.", right: "Stay home, press the right button."},
      });
      expect(story.scenes.find((s) => s.id === "island-choice-3")!.audio).toEqual({
        say: "Choice 3 of 4: Hill. Press the left button to choose it, the right button for the next choice.",
      });
      expect(t.app.stories.session(LIVING)?.path).toEqual([
        "dock",
        "sea",
        "island",
        "island-choice-2",
        "island-choice-3",
        "hill",
        "bed",
      ]);
    },
    120_000,
  );
});
