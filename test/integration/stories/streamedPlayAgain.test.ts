import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";
import {importStory, LANTERN_INK, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";

const LIVING = DEMO_PLAYERS[0]!;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

const slots = (player: {fetches: Array<{url: string}>}) =>
  player.fetches.map((f) => new URL(f.url).pathname.replace("/stories/lantern/slots/", ""));

describe("a streamed story whose player left its card", () => {
  it("reads the first button after the story is played again from its beginning as a button", async () => {
    sim = await startSimulator();
    ({t} = await storyPlayApp(sim));
    await importStory(t, "lantern.ink", LANTERN_INK);
    const cardId = await storyCard(t, "lantern");
    const living = sim.player(LIVING.deviceId);
    const step = stepper(living, () => t!.app.stories.session(LIVING.deviceId)?.scene);
    await step(() => living.insertCard(cardId), 1, "ink-0");
    await step(() => living.pressLeft(), 2, "ink-1");
    // The card taken out: the service notes the player left the story.
    living.removeCard();
    await waitFor(() => t!.app.players.get(LIVING.deviceId).playback.status === "stopped", "the card taken out");
    // Played again from its beginning (the panel, a rule): a new run, nothing to go back to.
    const res = await fetch(`${t.adminUrl}/api/stories/lantern/play`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({player: LIVING.deviceId}),
    });
    expect(res.status).toBe(200);
    await step(() => undefined, 3, "ink-0");
    // The first press of the new run moves it on (it was read as a return to the old run's place).
    await step(() => living.pressLeft(), 4, "ink-1");
    expect(slots(living)).toEqual(["0.mp3", "1.mp3", "0.mp3", "1.mp3"]);
    expect(t.app.stories.session(LIVING.deviceId)).toMatchObject({
      path: ["ink-0", "ink-1"],
      variables: {lantern: true},
    });
  }, 120_000);
});
