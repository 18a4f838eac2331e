import {rm} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {LibraryItem} from "../../../src/shared/api/library.js";
import type {StoryView} from "../../../src/shared/api/stories.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {importStory, narrated, storyCard, storyPlayApp} from "../../helpers/storyPlay.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const SPEECH = systemNeed("speech");

const DRAFT = (ending: string) => `:: StoryTitle
Owl Night

:: StoryData
{"ifid":"6C2F1D3B-4E5A-4B7C-8D9E-0F1A2B3C4D5E","start":"Branch"}

:: Branch
An owl sits on a branch. [[Fly->Sky]]

:: Sky
${ending}
`;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

async function library(app: TestApp, query = ""): Promise<{status: number; body: Record<string, unknown>}> {
  const res = await fetch(`${app.adminUrl}/api/library?limit=1000${query}`);
  return {status: res.status, body: await jsonOf(res)};
}

const narrations = async (app: TestApp) =>
  ((await library(app, "&place=narration")).body.items as LibraryItem[]).map((i) => i.id).sort();

async function putIcon(app: TestApp, body: unknown): Promise<{status: number; body: Record<string, unknown>}> {
  const res = await fetch(`${app.adminUrl}/api/stories/owl-night/icon`, {
    method: "PUT",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  return {status: res.status, body: await jsonOf(res)};
}

describe("story narration has a place of its own, and goes when no story says it", () => {
  it.skipIf(!SPEECH.path)(
    "keeps narration out of the Library's list, lists it under place=narration, and removes what an edit or a deleted story left",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      await importStory(t, "owl.twee", DRAFT("The stars are bright."));
      await narrated(t, "owl-night");
      const first = await narrations(t);
      expect(first).toHaveLength(2);
      expect((await library(t)).body).toMatchObject({items: [], total: 0});
      expect(await library(t, "&place=shelf")).toEqual({
        status: 400,
        body: expect.objectContaining({
          error:
            "place must be 'library' (the family's audio, the default) or 'narration' (the stories' narration), not 'shelf'",
        }),
      });

      // The ending rewritten: its old narration goes, the branch's stays.
      const res = await fetch(`${t.adminUrl}/api/stories/import?filename=owl.twee&replace=true`, {
        method: "POST",
        body: DRAFT("The moon is round."),
      });
      expect(res.status).toBe(201);
      await narrated(t, "owl-night");
      await waitFor(() => t!.app.library.list({place: "narration"}).total === 2, "the old ending removed", 10_000);
      const second = await narrations(t);
      expect(second.filter((id) => first.includes(id))).toHaveLength(1);

      // The story deleted: nothing it said is kept.
      await rm(path.join(t.dataDir, "..", "rules", "stories", "owl-night.yaml"));
      expect((await fetch(`${t.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBeLessThan(300);
      await waitFor(
        () => t!.app.library.list({place: "narration"}).total === 0,
        "the story's narration removed",
        10_000,
      );
    },
    120_000,
  );

  it.skipIf(!SPEECH.path)(
    "an edit while the story is still being narrated leaves nothing of the old text behind",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim));
      const long = "The stars are bright tonight, and the owl counts every one of them, slowly. ".repeat(6);
      await importStory(t, "owl.twee", DRAFT(long));
      // Scenes are narrated in order: once the branch is made, the long ending is being spoken.
      const first = t.app.stories.get("owl-night");
      await waitFor(
        () => t!.app.narration.cachedItem(first, first.scenes[0]!) !== undefined,
        "the branch narrated",
        60_000,
      );
      const res = await fetch(`${t.adminUrl}/api/stories/import?filename=owl.twee&replace=true`, {
        method: "POST",
        body: DRAFT("The moon is round."),
      });
      expect(res.status).toBe(201);
      const story = t.app.stories.get("owl-night");
      await waitFor(
        () => story.scenes.every((s) => t!.app.narration.cachedItem(story, s) !== undefined),
        "the second draft narrated",
        60_000,
      );
      const wanted = story.scenes.map((s) => t!.app.narration.cachedItem(story, s)!).sort();
      await waitFor(
        () =>
          JSON.stringify(
            t!.app.library
              .list({place: "narration"})
              .items.map((i) => i.id)
              .sort(),
          ) === JSON.stringify(wanted),
        `only the second draft's narration kept (${t!.app.library.list({place: "narration"}).total} items)`,
        30_000,
      );
    },
    120_000,
  );

  it.skipIf(!SPEECH.path)(
    "chooses the icon of a story's cards, which a rewrite keeps; refuses it before the card",
    async () => {
      sim = await startSimulator();
      ({t} = await storyPlayApp(sim, {app: {stories: {cardRetryMs: [200]}}}));
      await importStory(t, "owl.twee", DRAFT("The stars are bright."));
      expect(await putIcon(t, {icon: "yoto:#abcdefgh1"})).toEqual({
        status: 409,
        body: expect.objectContaining({
          error:
            'Story \'owl-night\' has no card yet: make its card first (Make card, or POST /api/cards {"from": "story", "story": "owl-night"}), then choose its icon',
        }),
      });
      const cardId = await storyCard(t, "owl-night");
      // Made before its narration was: once that is made, the card is written with each track's length.
      await narrated(t, "owl-night");
      await waitFor(
        () => sim!.card(cardId)!.content.chapters.every((c) => (c.tracks[0]?.duration ?? 0) > 0),
        "the card's tracks given their lengths",
        20_000,
      );
      await waitFor(() => t!.app.stories.cardUpkeep.states("owl-night")[0]?.upToDate === true, "up to date", 5000);
      const hint =
        'Send {"icon": "yoto:#<mediaId>"} (an icon of GET /api/icons), or {"icon": null} for the story\'s own';
      for (const bad of [{}, {icon: 3}, {icon: "no spaces allowed"}])
        expect(await putIcon(t, bad)).toEqual({status: 400, body: expect.objectContaining({error: hint})});

      const chosen = await putIcon(t, {icon: "yoto:#abcdefgh1"});
      expect(chosen.status).toBe(200);
      const view = chosen.body as unknown as StoryView;
      expect(view.cardIcon).toBe("yoto:#abcdefgh1");
      expect(view.cardStates).toEqual([{cardId, title: "Owl Night", mode: "interactive", upToDate: true, changes: []}]);
      const icons = () => sim!.card(cardId)!.content.chapters.map((c) => c.display?.icon16x16 ?? null);
      expect(icons()).toEqual(["yoto:#abcdefgh1", "yoto:#abcdefgh1"]);

      // A re-import rewrites the card and keeps the icon chosen for it.
      const res = await fetch(`${t.adminUrl}/api/stories/import?filename=owl.twee&replace=true`, {
        method: "POST",
        body: DRAFT("The moon is round.").replace("[[Fly->Sky]]", "[[Fly->Sky]] [[Sleep->Nest]]\n\n:: Nest\nZzz."),
      });
      expect(((await jsonOf(res)).cards as Array<{result: string}>).map((c) => c.result)).toEqual(["rewritten"]);
      expect(icons()).toEqual(["yoto:#abcdefgh1", "yoto:#abcdefgh1", "yoto:#abcdefgh1"]);

      // Back to the story's own: this one has none, and Yoto keeps an icon a card is written without
      // (as one the family set in the Yoto app), so the card shows the last one until another is chosen.
      const back = await putIcon(t, {icon: null});
      expect(back.status).toBe(200);
      expect((back.body as unknown as StoryView).cardIcon).toBeUndefined();
      expect((back.body as unknown as StoryView).cardStates[0]).toMatchObject({upToDate: true});
      expect(icons()).toEqual(["yoto:#abcdefgh1", "yoto:#abcdefgh1", "yoto:#abcdefgh1"]);

      // Yoto refuses the card: the answer says so, and the icon is kept for the next try.
      const faults = (fail5xx: number) =>
        fetch(`${sim!.url}/sim/faults`, {
          method: "POST",
          headers: {"Content-Type": "application/json"},
          body: JSON.stringify({fail5xx}),
        });
      await faults(1_000_000);
      const refused = await putIcon(t, {icon: "yoto:#zyxwvuts9"});
      expect(refused.status).toBe(502);
      expect(String(refused.body.error)).toMatch(
        new RegExp(
          `^Card 'Owl Night' \\(${cardId}\\) could not be written with the icon \\(.*503.*\\): the icon is kept, and the card is tried again at \\d{4}-`,
        ),
      );
      const refusedState = t.app.stories.cardUpkeep.states("owl-night")[0]!;
      expect(refusedState.upToDate).toBe(false);
      // The icon, and any lengths narration has made since, wait for the next try.
      expect(refusedState.changes).toContain("icon changed");
      await faults(0);
      await waitFor(() => icons().every((i) => i === "yoto:#zyxwvuts9"), "the icon written on a later try", 20_000);
      await waitFor(() => t!.app.stories.cardUpkeep.states("owl-night")[0]?.upToDate === true, "up to date", 5000);
    },
    120_000,
  );
});
