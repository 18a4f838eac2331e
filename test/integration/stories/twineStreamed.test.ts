import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {importStory, payloadBytes, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;

// A Harlowe story written for this test: the door opens only once the key is found.
const KEY = `:: StoryTitle
The Key

:: StoryData
{"ifid":"5D7F9B1C-3E5A-4C6E-8A0B-2D4F6A8C0E1B","start":"Hall"}

:: Hall
A locked door. (if: $key)[ [[Open the door->Garden]] ] [[Search the hall->Closet]]

:: Closet
A key hangs on a hook. (set: $key to true) [[Back->Hall]]

:: Garden
Flowers everywhere.
`;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

describe("a Twine story streamed by this service", () => {
  it.skipIf(!SPEECH.path)(
    "checks a link's condition and applies a passage's set while playing: the door opens once the key is found",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      const imported = await importStory(t, "key.twee", KEY);
      expect(imported.warnings).toEqual([
        "passage 'Hall' has links inside a condition: a streamed story checks it; a card takes them whatever the condition",
      ]);
      const cardId = await storyCard(t, "the-key", "streamed");
      const living = sim.player(LIVING);
      const step = stepper(living, () => t!.app.stories.session(LIVING)?.scene);
      const heard = async (fetch: number, text: string) =>
        expect(living.fetches[fetch]!.bytes, text).toBe(await payloadBytes(t!, await t!.app.narration.say(text, {})));

      await step(() => living.insertCard(cardId), 1, "hall");
      // No key: the door is not offered, and left leads nowhere (the hall is told again).
      await heard(0, "A locked door.\nSearch the hall, press the right button.");
      await step(() => living.pressLeft(), 2, "hall");
      await step(() => living.pressRight(), 3, "closet");
      expect(t.app.stories.session(LIVING)?.variables).toEqual({key: true});
      await step(() => living.pressLeft(), 4, "hall");
      await heard(3, "A locked door.\nOpen the door, press the left button.\nSearch the hall, press the right button.");
      await step(() => living.pressLeft(), 5, "garden");
      expect(t.app.stories.session(LIVING)?.path).toEqual(["hall", "hall", "closet", "hall", "garden"]);

      // Started from the panel or the API, the story plays from its streamed card (its only card).
      const res = await fetch(`${t.adminUrl}/api/stories/the-key/play`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({player: LIVING}),
      });
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).session).toMatchObject({mode: "streamed", scene: "hall", variables: {key: null}});
      await step(() => undefined, 6, "hall");
    },
    120_000,
  );
});
