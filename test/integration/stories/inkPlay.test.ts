import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {freePort} from "../../helpers/ports.js";
import {importStory, LANTERN_INK, payloadBytes, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

const LANTERN = LANTERN_INK;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

/** The bytes a scene saying `text` plays: its narration, made when the scene was served. */
async function narrationBytes(app: TestApp, text: string): Promise<number> {
  return payloadBytes(app, await app.app.narration.say(text, {}));
}

const slots = (player: {fetches: Array<{url: string}>}) =>
  player.fetches.map((f) => new URL(f.url).pathname.replace("/stories/lantern/slots/", ""));

describe("an ink story played on players", () => {
  it.skipIf(!SPEECH.path)(
    "runs in inkle's runtime: each choice point a scene on the next slot, its variable changing what comes next, the end stops the player",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      const imported = await importStory(t, "lantern.ink", LANTERN);
      expect(imported).toMatchObject({id: "lantern", start: "ink", warnings: [], narration: null});
      const cardId = await storyCard(t, "lantern");
      expect(sim.card(cardId)!.content.chapters.map((c) => c.tracks[0]!.events)).toEqual(
        ["02", "03", "04", "01"].map((_, i, keys) => ({
          onLhb: {cmd: "goto", params: {chapterKey: keys[i], trackKey: keys[i]}},
          onRhb: {cmd: "goto", params: {chapterKey: keys[(i + 1) % 4], trackKey: keys[(i + 1) % 4]}},
          onEnd: {cmd: "goto", params: {chapterKey: keys[(i + 2) % 4], trackKey: keys[(i + 2) % 4]}},
        })),
      );

      const living = sim.player(LIVING);
      const scene = (id: string) => () => t!.app.stories.session(id)?.scene;
      const step = stepper(living, scene(LIVING));
      await step(() => living.insertCard(cardId), 1, "ink-0");
      expect(living.fetches[0]!.bytes).toBe(
        await narrationBytes(
          t,
          "You stand at the mouth of a cave.\nPress the left button to Take the lantern, the right button to Go in as you are.",
        ),
      );
      await step(() => living.pressLeft(), 2, "ink-1");
      expect(t.app.stories.session(LIVING)?.variables).toEqual({lantern: true});
      await step(() => living.pressLeft(), 3, "ink-2");
      expect(living.fetches[2]!.bytes).toBe(await narrationBytes(t, "By lantern light you see a sleeping bat."));
      // The story has ended: the track's end stops the player, and its place is forgotten.
      living.finishTrack();
      await waitFor(
        () => t!.app.players.get(LIVING).playback.status === "stopped" && !t!.app.stories.session(LIVING),
        "the player stopped",
      );
      // Left goes one slot on, right two, the end three (round the four).
      expect(slots(living)).toEqual(["0.mp3", "1.mp3", "2.mp3", "1.mp3"]);

      // Without the lantern, the water tells another story.
      const mini = sim.player(MINI);
      const miniStep = stepper(mini, scene(MINI));
      await miniStep(() => mini.insertCard(cardId), 1, "ink-0");
      await miniStep(() => mini.pressRight(), 2, "ink-1");
      expect(t.app.stories.session(MINI)?.variables).toEqual({lantern: false});
      await miniStep(() => mini.pressLeft(), 3, "ink-2");
      expect(mini.fetches[2]!.bytes).toBe(await narrationBytes(t, "It is too dark: you stumble back out."));

      // Played again from the panel or a rule: from its beginning, its variables fresh.
      const res = await fetch(`${t.adminUrl}/api/stories/lantern/play`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({player: "Bedroom Mini"}),
      });
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).session).toMatchObject({
        story: "lantern",
        mode: "streamed",
        scene: "ink-0",
        path: ["ink-0"],
      });
      await miniStep(() => undefined, 4, "ink-0");
      expect(slots(mini).at(-1)).toBe("0.mp3");
      await miniStep(() => mini.pressLeft(), 5, "ink-1");
      expect(t.app.stories.session(MINI)?.variables).toEqual({lantern: true});
    },
    120_000,
  );

  it.skipIf(!SPEECH.path)(
    "goes on where the player was after the service restarts mid-story",
    async () => {
      sim = await startSimulator();
      const audioPort = await freePort();
      const first = await storyPlayApp(sim, {audioPort});
      t = first.t;
      await importStory(t, "lantern.ink", LANTERN);
      const cardId = await storyCard(t, "lantern");
      const living = sim.player(LIVING);
      await stepper(living, () => t!.app.stories.session(LIVING)?.scene)(() => living.insertCard(cardId), 1, "ink-0");
      await stepper(living, () => t!.app.stories.session(LIVING)?.scene)(() => living.pressLeft(), 2, "ink-1");
      await t.stop();

      ({t} = await storyPlayApp(sim, {root: first.root, audioPort}));
      await stepper(living, () => t!.app.stories.session(LIVING)?.scene)(() => living.pressLeft(), 3, "ink-2");
      // The lantern taken before the restart still lights the cave.
      expect(t.app.stories.session(LIVING)).toMatchObject({
        story: "lantern",
        mode: "streamed",
        path: ["ink-0", "ink-1", "ink-2"],
        variables: {lantern: true},
      });
      expect(living.fetches[2]!.bytes).toBe(await narrationBytes(t, "By lantern light you see a sleeping bat."));
    },
    120_000,
  );

  it.skipIf(!SPEECH.path)(
    "goes on where the player was when its card comes back, whatever chapter the card starts at",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      await importStory(t, "lantern.ink", LANTERN);
      const cardId = await storyCard(t, "lantern");
      const living = sim.player(LIVING);
      const step = stepper(living, () => t!.app.stories.session(LIVING)?.scene);
      await step(() => living.insertCard(cardId), 1, "ink-0");
      await step(() => living.pressLeft(), 2, "ink-1");
      living.removeCard();
      await waitFor(() => t!.app.players.get(LIVING).playback.status === "stopped", "the card taken out");
      // In again: the card starts at its first chapter, which is not a button from the second.
      await step(() => living.insertCard(cardId), 3, "ink-1");
      expect(slots(living)).toEqual(["0.mp3", "1.mp3", "0.mp3"]);
      expect(living.fetches[2]!.bytes).toBe(living.fetches[1]!.bytes);
      await step(() => living.pressLeft(), 4, "ink-2");
      expect(living.fetches[3]!.bytes).toBe(await narrationBytes(t, "By lantern light you see a sleeping bat."));
    },
    120_000,
  );
});
