import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";
import {storyCard, storyPlayApp} from "../../helpers/storyPlay.js";

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

const FOX = (mode: string) => `story:
  id: fox
  title: The Fox
  mode: ${mode}
  start: den
  scenes:
    den: {say: The fox wakes up., left: wood}
    wood: {say: The wood is quiet.}
`;

async function write(app: TestApp, text: string): Promise<void> {
  const dir = path.join(app.dataDir, "..", "rules", "stories");
  await mkdir(dir, {recursive: true});
  await writeFile(path.join(dir, "fox.yaml"), text);
  expect((await fetch(`${app.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBeLessThan(300);
}

describe("a story turned from a card story into a streamed one and back", () => {
  it("writes its card again in the story's mode each time, and never leaves it on scenes the story lost", async () => {
    sim = await startSimulator();
    ({t} = await storyPlayApp(sim));
    await write(t, FOX("interactive"));
    const cardId = await storyCard(t, "fox");
    const tracks = () => sim!.card(cardId)!.content.chapters.map((c) => new URL(c.tracks[0]!.trackUrl).pathname);
    expect(tracks()).toEqual(["/stories/fox/den.mp3", "/stories/fox/wood.mp3"]);

    await write(t, FOX("streamed"));
    await waitFor(
      () => t!.app.stories.cardUpkeep.states("fox")[0]?.upToDate === true && tracks().length === 4,
      "the card written as a streamed card",
      15_000,
    );
    expect(tracks()).toEqual([0, 1, 2, 3].map((i) => `/stories/fox/slots/${i}.mp3`));
    expect(t.app.stories.cardUpkeep.states("fox")).toEqual([
      {cardId, title: "The Fox", mode: "streamed", upToDate: true, changes: []},
    ]);

    await write(t, FOX("interactive"));
    await waitFor(
      () => t!.app.stories.cardUpkeep.states("fox")[0]?.upToDate === true && tracks().length === 2,
      "the card written as a card story again",
      15_000,
    );
    expect(tracks()).toEqual(["/stories/fox/den.mp3", "/stories/fox/wood.mp3"]);
    expect(t.app.stories.cardUpkeep.states("fox")[0]).toMatchObject({mode: "interactive", upToDate: true});
  }, 60_000);
});
