import {mkdir, rm, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
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

    // The story's file deleted: its card plays nothing now, and health says so.
    await rm(path.join(t.dataDir, "..", "rules", "stories", "fox.yaml"));
    expect((await fetch(`${t.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBeLessThan(300);
    const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
    expect(health.services.stories).toMatchObject({
      degraded: true,
      error: `card 'The Fox' (${cardId}) plays story 'fox', which is not loaded: put the story back, or delete the card`,
    });
  }, 60_000);

  it("two imports of the same story at once: each answers, and the card ends on the story as loaded last", async () => {
    sim = await startSimulator();
    ({t} = await storyPlayApp(sim));
    const draft = (to: string) =>
      `:: StoryTitle\nRace\n\n:: StoryData\n{"ifid":"1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D","start":"Start"}\n\n:: Start\nGo. [[On->${to}]]\n\n:: ${to}\nThe end.\n`;
    const post = (text: string) =>
      fetch(`${t!.adminUrl}/api/stories/import?filename=race.twee&replace=true`, {method: "POST", body: text});
    expect((await post(draft("Hill"))).status).toBe(201);
    const cardId = await storyCard(t, "race");
    const answers = await Promise.all([post(draft("Cave")), post(draft("Lake"))]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(
      answers.map((r) => r.status),
      bodies.join("\n"),
    ).toEqual([201, 201]);
    // Imports take turns: each answer says what its own import did to the card (its own ending
    // added), whichever went first.
    const said = bodies.map((b) => (JSON.parse(b) as {cards: Array<{result: string; changes: string[]}>}).cards[0]!);
    expect(said.map((c) => c.result)).toEqual(["rewritten", "rewritten"]);
    expect(said[0]!.changes).toContain("scene 'cave' added");
    expect(said[1]!.changes).toContain("scene 'lake' added");
    const story = t.app.stories.get("race");
    const ending = story.scenes[1]!.id;
    expect(["cave", "lake"]).toContain(ending);
    await waitFor(
      () => t!.app.stories.cardUpkeep.states("race")[0]?.upToDate === true,
      "the card on the last story",
      15_000,
    );
    const tracks = sim.card(cardId)!.content.chapters.map((c) => new URL(c.tracks[0]!.trackUrl).pathname);
    expect(tracks).toEqual(["/stories/race/start.mp3", `/stories/race/${ending}.mp3`]);
  }, 60_000);
});
