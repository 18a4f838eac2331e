import {afterEach, describe, expect, it} from "vitest";
import type {VirtualPlayer} from "../../../src/sim/player.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {Scene, Story} from "../../../src/stories/model/story.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";
import {importStory, narrated, payloadBytes, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests narrate. */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const BEDROOM = DEMO_PLAYERS[1]!.deviceId;

// A Harlowe story written for this test: the gate's text depends on whether the key was found.
const GATE = `:: StoryTitle
The Garden Gate

:: StoryData
{"ifid":"8A2C4E6F-1B3D-4F5A-9C7E-0D2B4F6A8C1E","start":"Path"}

:: Path
A path. [[Find the key->Shed]] [[Go on->Gate]]

:: Shed
A key on a nail. (set: $key to true) [[Back->Path]]

:: Gate
You reach the gate. (if: $key)[You unlock it with the key.](else:)[The gate is locked.]
`;

const LOCKED = "You reach the gate. The gate is locked.";
const OPENED = "You reach the gate. You unlock it with the key.";

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

describe("a streamed story with (if:)…(else:)", () => {
  it.skipIf(!SPEECH.path)(
    "speaks only the branch that holds for each player: the locked gate to one, the opened gate to the one with the key",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      const imported = await importStory(t, "gate.twee", GATE);
      // Imported as a card story (no state), the author hears that a card reads both branches.
      expect(imported.warnings).toEqual([
        "passage 'Gate' reads text only when $key holds: a card reads every branch, one after another; make the story streamed (mode: streamed) to hear only the branch that holds",
      ]);
      // Narrated ahead of time as a card reads it (every branch); the branches when first heard.
      expect(await narrated(t, "the-garden-gate")).toMatchObject({state: "ready", total: 3, done: 3});
      await storyCard(t, "the-garden-gate", "streamed");
      const story = t.app.stories.get("the-garden-gate");
      const gate = story.scenes.find((s) => s.id === "gate") as Scene;
      // The narration of a text for the gate, if it was made (by a player reaching it, or ahead of time).
      const made = (text: string) => t!.app.narration.cachedItem(story as Story, {...gate, audio: {say: text}});
      /**
       * The gate, fetched in full as the `fetch`th track (from the card's `slot`), speaks `text`. Its variant is narrated as
       * the player asks, and the story ends with the track: no scene to wait for after it.
       */
      const heard = async (player: VirtualPlayer, fetch: number, slot: number, text: string) => {
        await waitFor(
          () => player.fetches.length >= fetch && player.fetches[fetch - 1]!.complete === true,
          `the gate fetched (fetch ${fetch})`,
          30_000,
        );
        expect(player.fetches[fetch - 1]!.url).toContain(`/stories/the-garden-gate/slots/${slot}.mp3`);
        const item = made(text);
        expect(item, `'${text}' was narrated`).toBeDefined();
        expect(player.fetches[fetch - 1]!.bytes, text).toBe(await payloadBytes(t!, item as string));
      };

      // Started from the API: the service begins the player's place itself (a card put in could ask
      // for its first scene before the cloud says which player it is in, and start with none).
      const start = async (playerId: string) => {
        const res = await fetch(`${t!.adminUrl}/api/stories/the-garden-gate/play`, {
          method: "POST",
          headers: {"Content-Type": "application/json"},
          body: JSON.stringify({player: playerId}),
        });
        expect(res.status).toBe(200);
      };

      // No key: the living room's player goes straight to the gate.
      const living = sim.player(LIVING);
      const livingStep = stepper(living, () => t!.app.stories.session(LIVING)?.scene);
      await livingStep(() => start(LIVING), 1, "path");
      expect(living.fetches[0]!.url).toContain("/stories/the-garden-gate/slots/0.mp3");
      living.pressRight();
      await heard(living, 2, 2, LOCKED);
      // Only that branch was made for it: the other is made when a player first needs it.
      expect(made(OPENED)).toBeUndefined();
      living.removeCard();

      // The bedroom's player finds the key first.
      const bedroom = sim.player(BEDROOM);
      const bedroomStep = stepper(bedroom, () => t!.app.stories.session(BEDROOM)?.scene);
      await bedroomStep(() => start(BEDROOM), 1, "path");
      await bedroomStep(() => bedroom.pressLeft(), 2, "shed");
      await bedroomStep(() => bedroom.pressLeft(), 3, "path");
      expect(t.app.stories.session(BEDROOM)?.variables).toEqual({key: true});
      bedroom.pressRight();
      // Left, left, right from the first chapter: the fourth chapter's slot, 0 again.
      await heard(bedroom, 4, 0, OPENED);
      // Neither heard the card's reading, both branches one after another.
      const both = made("You reach the gate. You unlock it with the key. The gate is locked.");
      expect(both).toBeDefined();
      const bytes = await payloadBytes(t, both as string);
      expect([living.fetches[1]!.bytes, bedroom.fetches[3]!.bytes]).not.toContain(bytes);
    },
    120_000,
  );
});
