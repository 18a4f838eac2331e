import {afterEach, describe, expect, it} from "vitest";
import type {StoryCardRewrite, StoryImported, StoryView} from "../../../src/shared/api/stories.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {STORY_CHANGED_LINE} from "../../../src/stories/goneScenes.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {importStory, narrated, payloadBytes, stepper, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const SPEECH = systemNeed("speech");
const LIVING = DEMO_PLAYERS[0]!.deviceId;
const BEDROOM = DEMO_PLAYERS[1]!.deviceId;

/** The first draft: berries shared or kept. */
const FIRST = `:: StoryTitle
Moon Fox

:: StoryData
{"ifid":"5B1E0C2A-3D4F-4A6B-9C7D-8E9F0A1B2C3D","start":"Glade"}

:: Glade
The fox finds berries. [[Share the berries->Share]] [[Keep them->Keep]]

:: Share
The fox shares the berries. Goodnight.

:: Keep
The fox keeps the berries. Goodnight.
`;

/** The second draft: sharing now leads to a feast, and the old ending is gone. */
const SECOND = FIRST.replace("[[Share the berries->Share]]", "[[Share the berries->Feast]]").replace(
  ":: Share\nThe fox shares the berries. Goodnight.",
  ":: Feast\nAll the foxes come to the feast. Goodnight.",
);

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

async function reimport(app: TestApp, text: string): Promise<StoryImported> {
  const res = await fetch(`${app.adminUrl}/api/stories/import?filename=moonfox.twee&replace=true`, {
    method: "POST",
    body: text,
  });
  const body = await jsonOf(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body as StoryImported;
}

async function storyView(app: TestApp, id: string): Promise<StoryView> {
  return (await jsonOf(await fetch(`${app.adminUrl}/api/stories/${id}`))) as StoryView;
}

const path = (url: string) => new URL(url).pathname.replace("/stories/moon-fox/", "");

describe("an edited story re-imported reaches the child's card", () => {
  it.skipIf(!SPEECH.path)(
    "rewrites the card in the same import; the new branch plays; a player on the old card hears that the story changed and starts again",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      const first = await importStory(t, "moonfox.twee", FIRST);
      expect(first).toMatchObject({title: "Moon Fox", startTitle: "Glade", cards: []});
      await narrated(t, "moon-fox");
      const cardId = await storyCard(t, "moon-fox");
      // Each track has its narration's length and size, as the Yoto app shows them.
      const fox = t.app.stories.get("moon-fox");
      for (const [i, chapter] of sim.card(cardId)!.content.chapters.entries()) {
        const item = t.app.library.get(t.app.narration.cachedItem(fox, fox.scenes[i]!)!)!;
        expect(chapter.tracks[0]).toMatchObject({duration: Math.round(item.duration), fileSize: item.size});
        expect(item.size).toBeGreaterThan(0);
      }
      expect((await storyView(t, "moon-fox")).cardStates).toEqual([
        {cardId, title: "Moon Fox", mode: "interactive", upToDate: true, changes: []},
      ]);

      const player = sim.player(LIVING);
      const step = stepper(player, () => t!.app.stories.session(LIVING)?.scene);
      await step(() => player.insertCard(cardId), 1, "glade");
      // Held here while the story is edited (the scene's end would otherwise stop the story).
      player.pause();

      const second = await reimport(t, SECOND);
      expect(second.cards).toEqual([
        {
          cardId,
          title: "Moon Fox",
          result: "rewritten",
          changes: [
            "scene 'feast' added",
            "scene 'share' removed",
            "scene 'glade': left goes to 'feast' (was goes to 'share')",
          ],
        } satisfies StoryCardRewrite,
      ]);
      // Yoto has the new card: its second chapter plays the feast.
      const written = sim.card(cardId)!.content.chapters.map((c) => path(c.tracks[0]!.trackUrl));
      expect(written.map((u) => u.split("?")[0])).toEqual(["glade.mp3", "feast.mp3", "keep.mp3"]);
      expect((await storyView(t, "moon-fox")).cardStates[0]).toMatchObject({upToDate: true, changes: []});
      await narrated(t, "moon-fox");

      // Another Yoto puts the card in now, as it is: it is on a scene still there, so the old
      // card's trouble below never touches it.
      const other = sim.player(BEDROOM);
      other.insertCard(cardId);
      await waitFor(() => other.fetches[0]?.complete === true, "the other Yoto at the glade", 20_000);
      other.pause();

      // The player still holds the card as it was put in: left leads to the old ending, now gone.
      // It hears the story changed (never a 404), then its card starts again, as it is now.
      player.pressLeft();
      await waitFor(
        () => player.fetches.length >= 3 && path(player.fetches.at(-1)!.url).startsWith("glade.mp3"),
        "the card started again after the line",
        30_000,
      );
      const gone = player.fetches[1]!;
      expect(path(gone.url).split("?")[0]).toBe("share.mp3");
      expect(gone.status).toBe(200);
      const line = t.app.narration.cachedItem(t.app.stories.get("moon-fox"), {
        id: "story-changed",
        title: "",
        audio: {say: STORY_CHANGED_LINE},
        exits: {},
      });
      expect(line, "the line was narrated").toBeDefined();
      expect(gone.bytes).toBe(await payloadBytes(t, line!));
      // Asked for again (a range, a second client): the line again, and no second start.
      const again = await fetch(gone.url, {headers: {Range: "bytes=0-"}});
      expect(again.status).toBeLessThan(300);
      await again.arrayBuffer();
      expect(other.fetches).toHaveLength(1);

      // From the start again, on the new card: left is the new branch.
      await waitFor(() => player.fetches.at(-1)?.complete === true, "the start fetched", 20_000);
      const before = player.fetches.length;
      await step(() => player.pressLeft(), before + 1, "feast");
      expect(path(player.fetches.at(-1)!.url).split("?")[0]).toBe("feast.mp3");
      // The other Yoto was never started again: it is where it was put.
      expect(other.fetches).toHaveLength(1);
      expect(t.app.players.get(BEDROOM).playback.chapterTitle).toBe("Glade");
    },
    180_000,
  );

  it.skipIf(!SPEECH.path)(
    "a streamed story whose saved place is gone starts again with the same line",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      await importStory(t, "moonfox.twee", FIRST);
      await narrated(t, "moon-fox");
      const cardId = await storyCard(t, "moon-fox", "streamed");
      const player = sim.player(LIVING);
      const step = stepper(player, () => t!.app.stories.session(LIVING)?.scene);
      await step(() => player.insertCard(cardId), 1, "glade");
      await step(() => player.pressLeft(), 2, "share");
      // Held here while the story is edited (the scene's end would otherwise ask for the next slot).
      player.pause();

      const second = await reimport(t, SECOND);
      expect(second.cards).toEqual([{cardId, title: "Moon Fox", result: "unchanged", changes: []}]);
      // The next press finds its place gone: the line, then the start, in one track.
      const story = t.app.stories.get("moon-fox");
      const lineScene = {id: "story-changed", title: "", audio: {say: STORY_CHANGED_LINE}, exits: {}};
      // The line is narrated ahead, as the scenes are: a player is never kept waiting for it.
      await waitFor(
        () =>
          t!.app.narration.cachedItem(story, lineScene) !== undefined &&
          story.scenes.every((s) => t!.app.narration.cachedItem(story, s) !== undefined),
        "the new draft and the line narrated",
        60_000,
      );
      await step(() => player.pressRight(), 3, "glade");
      const line = t.app.narration.cachedItem(story, lineScene);
      const glade = t.app.narration.cachedItem(story, story.scenes.find((s) => s.id === "glade")!);
      expect(player.fetches[2]!.bytes).toBe((await payloadBytes(t, line!)) + (await payloadBytes(t, glade!)));
      // From there the new branch.
      await step(() => player.pressLeft(), 4, "feast");
    },
    180_000,
  );

  it.skipIf(!SPEECH.path)(
    "names a card Yoto would not take in the answer, the Stories view and health, and writes it once Yoto takes it again",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim, {app: {stories: {cardRetryMs: [200]}}}));
      await importStory(t, "moonfox.twee", FIRST);
      const cardId = await storyCard(t, "moon-fox");
      await fetch(`${sim.url}/sim/faults`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({fail5xx: 1_000_000}),
      });
      const second = await reimport(t, SECOND);
      expect(second.cards).toHaveLength(1);
      expect(second.cards[0]).toMatchObject({cardId, result: "failed"});
      expect(second.cards[0]!.error).toMatch(/503/);
      const state = (await storyView(t, "moon-fox")).cardStates[0]!;
      expect(state).toMatchObject({upToDate: false, error: second.cards[0]!.error});
      expect(state.changes).toContain("scene 'feast' added");
      expect(Date.parse(state.retryAt!)).toBeGreaterThan(Date.now() - 1000);
      const health = await jsonOf(await fetch(`${t.adminUrl}/api/health`));
      expect(health.status).toBe("degraded");
      expect(health.services.stories).toMatchObject({state: "running", degraded: true});
      expect(health.services.stories.error).toContain(`card 'Moon Fox' (${cardId}) could not be rewritten (`);

      // A draft with a new start, refused too: Start story says why rather than a missing scene.
      const third = await reimport(t, SECOND.replaceAll("Glade", "Clearing"));
      expect(third.cards[0]).toMatchObject({cardId, result: "failed"});
      const play = await fetch(`${t.adminUrl}/api/stories/moon-fox/play`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({player: LIVING}),
      });
      expect(play.status).toBe(503);
      expect((await jsonOf(play)).error).toMatch(
        /^Card 'Moon Fox' still holds the story as it was: Yoto did not take the new version \(.*503.*\); it is tried again at \d{4}-.*, or press Make again$/,
      );

      // Yoto answers again: the next try writes it, and health is clear.
      await fetch(`${sim.url}/sim/faults`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({fail5xx: 0}),
      });
      await waitFor(
        () => t!.app.stories.cardUpkeep.states("moon-fox")[0]?.upToDate === true,
        "the card rewritten on a later try",
        30_000,
      );
      expect(t.app.stories.cardUpkeep.failing()).toEqual([]);
      const written = sim.card(cardId)!.content.chapters.map((c) => path(c.tracks[0]!.trackUrl).split("?")[0]);
      expect(written).toEqual(["clearing.mp3", "feast.mp3", "keep.mp3"]);
    },
    120_000,
  );
});
