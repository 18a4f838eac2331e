import {readFile} from "node:fs/promises";
import path from "node:path";
import type {BrowserContext, Locator, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import type {StoryView} from "../../src/shared/api/index.js";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import type {TestApp} from "../helpers/app.js";
import {eventually, findChromium, launchBrowser, openPage, overflow} from "../helpers/browser.js";
import {startSimulator} from "../helpers/cloud.js";
import {jsonOf} from "../helpers/http.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {SHOTS} from "../helpers/panelStack.js";
import {storyPlayApp} from "../helpers/storyPlay.js";
import {systemNeed} from "../helpers/testPrograms.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);
/** The import narrates its scenes (and its card plays them): a local speech engine. */
const SPEECH = systemNeed("speech");

// A story written for this test, edited twice: a new branch, then a new ending.
const FIRST = `:: StoryTitle
Moon Fox

:: StoryData
{"ifid":"6C2F1D3B-4E5A-4B6C-8D7E-9F0A1B2C3D4E","start":"Glade"}

:: Glade
The fox finds berries. [[Share the berries->Share]] [[Keep them->Keep]]

:: Share
The fox shares the berries. Goodnight.

:: Keep
The fox keeps the berries. Goodnight.
`;
const SECOND = FIRST.replace("[[Share the berries->Share]]", "[[Share the berries->Feast]]").replace(
  ":: Share\nThe fox shares the berries. Goodnight.",
  ":: Feast\nAll the foxes come to the feast. Goodnight.",
);
const THIRD = SECOND.replace("The fox keeps the berries. Goodnight.", "The fox keeps them. [[Sleep]]").concat(
  "\n:: Sleep\nThe fox sleeps, full of berries.\n",
);

// A spoken menu of five choices (the import makes a scene per choice), each path ending in bed:
// twelve scenes, one of them with a title too long for its box, one exit under a condition.
const MILL = "The Old Mill by the Whispering Willows";
const POND = `:: StoryTitle
Pond Paths

:: StoryData
{"ifid":"8E4A2C6B-1D3F-4E5A-9B7C-0D1E2F3A4B5C","start":"Bank"}

:: Bank
Where shall we go tonight? [[Reeds]] [[Island]] [[Boat]] [[Hill]] [[${MILL}]]

:: Reeds
Frogs sing in the reeds. [[Bed]]

:: Island
A heron stands still. [[Bed]]

:: Boat
The boat rocks gently. [[Bed]]

:: Hill
Stars over the hill. (if: $stars)[[[Bed]]]

:: ${MILL}
The wheel turns slowly. [[Bed]]

:: Bed
Back in bed. Goodnight.
`;

let sim: YotoSimulator;
let t: TestApp;
let proxy: IngressProxy;
let browser: BrowserContext;
const problems: string[] = [];

async function storyOf(id: string): Promise<StoryView> {
  return (await jsonOf(await fetch(`${t.adminUrl}/api/stories/${id}`))) as StoryView;
}

const faults = (fail5xx: number) =>
  fetch(`${sim.url}/sim/faults`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({fail5xx}),
  });

function choose(page: Page, name: string, text: string) {
  return page
    .locator("yss-story-import")
    .locator('input[type="file"]')
    .setInputFiles({name, mimeType: "", buffer: Buffer.from(text)});
}

/** Import over the story imported before: the view asks first, and Replace does it. */
async function reimport(page: Page, text: string) {
  await choose(page, "moonfox.twee", text);
  await page.locator("yss-story-import").getByRole("button", {name: "Replace"}).click();
  await page.getByTestId("imported").waitFor();
}

/**
 * Controls in the Stories view without a name, or smaller than the panel's 36 px: a button, a
 * summary, a select, a file input's label. Runs in the page, through every shadow root.
 */
const CONTROL_PROBLEMS = `(() => {
  const out = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const control = el.matches("button, summary, select, label.button");
      if (!control) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const name = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || "").trim();
      if (!name) out.push("unnamed " + el.outerHTML.slice(0, 80));
      if (box.height < 36 || box.width < 36) out.push(name + ": " + Math.round(box.width) + "x" + Math.round(box.height));
    }
  };
  walk(document.querySelector("yss-panel").shadowRoot.querySelector("yss-stories-view").shadowRoot);
  return out;
})()`;

type Point = [number, number];
type SvgPath = {getTotalLength(): number; getPointAtLength(at: number): {x: number; y: number}};

/** Each arrow of the graph as drawn: points along its path, 3 px apart (read in the page). */
function arrowsOf(graph: Locator): Promise<Point[][]> {
  return graph.evaluate((root: unknown) =>
    Array.from(
      (root as {shadowRoot: {querySelectorAll(s: string): ArrayLike<SvgPath>}}).shadowRoot.querySelectorAll(
        "g.edge path",
      ),
      (path) => {
        const length = path.getTotalLength();
        const points: Point[] = [];
        for (let at = 0; at < length + 3; at += 3) {
          const p = path.getPointAtLength(Math.min(at, length));
          points.push([p.x, p.y]);
        }
        return points;
      },
    ),
  );
}

/** How many pairs of arrows cross: any segment of one properly crossing any segment of the other. */
function drawnCrossings(arrows: Point[][]): number {
  const side = (p: Point, q: Point, r: Point) =>
    Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const cross = (a: Point, b: Point, c: Point, d: Point) =>
    side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
  let count = 0;
  arrows.forEach((one, i) => {
    for (const other of arrows.slice(i + 1))
      if (
        one.some(
          (p, s) => s > 0 && other.some((q, u) => u > 0 && cross(one[s - 1] as Point, p, other[u - 1] as Point, q)),
        )
      )
        count++;
  });
  return count;
}

describe.skipIf(!chromium.path || !SPEECH.path)("the author's loop in the Stories view", () => {
  beforeAll(async () => {
    sim = await startSimulator();
    // A failed card rewrite is tried again a second later (the service's own waits are minutes).
    ({t} = await storyPlayApp(sim, {app: {stories: {cardRetryMs: [1000]}}}));
    proxy = await startIngressProxy(t.adminUrl);
    browser = await launchBrowser(chromium.path as string);
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
  });

  it("imports a story, makes its card, shows each edit reach it (or why not, and when it is tried again), and picks its icon (360 px)", async () => {
    const page = await openPage(browser, `${proxy.url}#stories`, 360, problems);
    await page.getByText("No stories loaded").waitFor();
    await choose(page, "moonfox.twee", FIRST);
    const banner = page.getByTestId("imported");
    await banner.waitFor();
    expect((await banner.getByRole("status").innerText()).trim()).toBe(
      "Imported “Moon Fox”: 3 scenes, starting at “Glade”",
    );
    expect(await banner.getByRole("list", {name: "The story's cards"}).count()).toBe(0);

    // No card yet: Make card makes one, in the story's mode, up to date.
    const story = page.locator('section[data-story="moon-fox"]');
    const cards = story.locator("yss-story-cards");
    await cards.getByText("No card yet.").waitFor();
    const made = page.waitForResponse((r) => r.url().endsWith("/api/cards") && r.request().method() === "POST");
    await cards.getByRole("button", {name: "Make card"}).click();
    expect((await made).status()).toBe(201);
    const [cardId] = (await storyOf("moon-fox")).cards.map((c) => c.cardId);
    const card = cards.locator(`li[data-card="${cardId}"]`);
    await card.getByTestId("card-state").filter({hasText: "Up to date"}).waitFor();
    expect(await card.locator(".row").innerText()).toMatch(/^Moon Fox\s+interactive\s+Up to date\s+Make again$/);
    await page.screenshot({path: path.join(SHOTS, "stories-card-360.png"), fullPage: true});

    // Yoto refuses the rewrite: the banner says so and when it is tried again; the card is out of
    // date with what changed; once Yoto answers, the retry writes it and the view follows live.
    await faults(1_000_000);
    await reimport(page, SECOND);
    const cardLine = banner.getByRole("list", {name: "The story's cards"}).getByRole("listitem");
    const state = (await storyOf("moon-fox")).cardStates[0];
    expect(state?.error).toBeTruthy();
    await eventually(
      async () => (await cardLine.innerText()).includes("tried again at"),
      "the retry time in the banner",
    );
    expect(await cardLine.innerText()).toMatch(
      /^Card “Moon Fox” could not be rewritten: .+ — tried again at \d\d:\d\d$/,
    );
    await card.getByTestId("card-state").filter({hasText: "Out of date"}).waitFor();
    // What changed grows as the service learns it (a scene's length once its audio is measured): the
    // page shows what the service says, once both have it.
    const shown = () =>
      card.getByRole("list", {name: "What changed on Moon Fox"}).getByRole("listitem").allInnerTexts();
    await eventually(
      async () => JSON.stringify(await shown()) === JSON.stringify((await storyOf("moon-fox")).cardStates[0]?.changes),
      "the page's list of changes as the service has it",
    );
    expect(await shown()).toContain("scene 'feast' added");
    expect(await card.getByTestId("rewrite-error").innerText()).toMatch(
      /^Could not be rewritten: .+ — tried again at \d\d:\d\d$/,
    );
    expect(await overflow(page)).toBe(0);
    await page.screenshot({path: path.join(SHOTS, "stories-card-failed-360.png"), fullPage: true});
    await faults(0);
    await card.getByTestId("card-state").filter({hasText: "Up to date"}).waitFor({timeout: 30_000});
    expect(await card.getByRole("list").count()).toBe(0);

    // An edit that Yoto takes: rewritten in the import, and the banner lists what changed.
    await reimport(page, THIRD);
    expect(await cardLine.innerText()).toMatch(/^Card “Moon Fox” rewritten: .*scene 'sleep' added/);
    await card.getByTestId("card-state").filter({hasText: "Up to date"}).waitFor();

    // Make again: the card written from the story as it is now.
    const again = page.waitForResponse(
      (r) => r.url().endsWith(`/api/cards/${cardId}`) && r.request().method() === "PUT",
    );
    await card.getByRole("button", {name: "Make again: Moon Fox"}).click();
    expect((await again).status()).toBe(200);

    // An icon from Yoto's: the story's cards take it, and the view names it with its picture.
    await cards.getByRole("button", {name: "Choose icon"}).click();
    const moon = cards.locator("yss-icon-picker").getByRole("button", {name: "moon"});
    await moon.waitFor();
    const picked = page.waitForRequest((r) => r.url().endsWith("/api/stories/moon-fox/icon") && r.method() === "PUT");
    await moon.click();
    const ref = (await picked).postDataJSON().icon as string;
    expect(ref).toMatch(/^yoto:#/);
    const icon = cards.getByTestId("card-icon");
    await icon.filter({hasText: "Icon: moon"}).waitFor();
    expect(await icon.locator("img").count()).toBe(1);
    expect((await storyOf("moon-fox")).cardIcon).toBe(ref);
    expect(await cards.locator("yss-icon-picker").count()).toBe(0);
    // And back to the story's own.
    const cleared = page.waitForRequest((r) => r.url().endsWith("/api/stories/moon-fox/icon") && r.method() === "PUT");
    await cards.getByRole("button", {name: "Use the story's own"}).click();
    expect((await cleared).postDataJSON()).toEqual({icon: null});
    await icon.filter({hasText: "Icon: the story's own"}).waitFor();

    // Back to Twine: the link downloads the story as Twee (through the panel's own address).
    const exported = page.waitForEvent("download");
    await story.getByTestId("export").click();
    const download = await exported;
    expect(download.suggestedFilename()).toBe("moon-fox.twee");
    const twee = await readFile((await download.path())!, "utf8");
    expect(twee).toMatch(/^:: StoryTitle\nMoon Fox\n/);
    expect(twee).toContain("[[");

    expect(await overflow(page)).toBe(0);
    expect(await page.evaluate(CONTROL_PROBLEMS)).toEqual([]);
    await page.screenshot({path: path.join(SHOTS, "stories-author-360.png"), fullPage: true});
    // The refusals the test asked for: the same story imported again, each time until Replace.
    expect(problems).toEqual([
      `409 POST ${proxy.url}api/stories/import?filename=moonfox.twee`,
      `409 POST ${proxy.url}api/stories/import?filename=moonfox.twee`,
    ]);
  }, 180_000);

  it.each([1280, 360])(
    "draws a 12-scene menu story with no crossing arrow, and lists every scene (%i px)",
    async (width) => {
      const page = await openPage(browser, `${proxy.url}#stories`, width, problems);
      // Imported through the view by the first width; the second finds it there.
      if ((await storyOf("pond-paths")).id !== "pond-paths") {
        await page.locator("yss-story-import").waitFor();
        await choose(page, "pond.twee", POND);
        expect((await page.getByTestId("imported").getByRole("status").innerText()).trim()).toBe(
          "Imported “Pond Paths”: 12 scenes, starting at “Bank”",
        );
      }
      const story = page.locator('section[data-story="pond-paths"]');
      const graph = story.locator("yss-story-graph");
      await graph.locator("g.node").first().waitFor();
      const {scenes} = await storyOf("pond-paths");
      expect(scenes).toHaveLength(12);
      expect(await graph.locator("g.node").count()).toBe(12);
      const arrows = await arrowsOf(graph);
      expect(arrows.length).toBeGreaterThanOrEqual(20);
      expect(drawnCrossings(arrows)).toBe(0);

      // The long title: cut in its box with "…", whole in its tooltip and in the list.
      const millId = scenes.find((s) => s.title === MILL)?.id as string;
      const mill = graph.locator(`g.node[data-scene="${millId}"]`);
      expect(await mill.locator("title").textContent()).toBe(MILL);
      expect(await mill.locator("text").allTextContents()).toContain("Whispering Willows");

      // The list names every scene with where its buttons lead.
      await story.locator("yss-story-scenes summary").click();
      const list = story.getByRole("list", {name: "Scenes of Pond Paths"});
      const items = list.locator(":scope > li > strong");
      expect(await items.allInnerTexts()).toEqual(scenes.map((s) => s.title));
      expect(await list.getByRole("list", {name: "Buttons of Reeds"}).innerText()).toBe(
        "Left button: “Bed”\nWhen it ends: the story stops",
      );
      // A condition the author wrote, in the author's words.
      expect(await list.getByRole("list", {name: "Buttons of Hill"}).innerText()).toBe(
        "Left button: “Bed”, only if $stars\nWhen it ends: the story stops",
      );
      expect(await overflow(page)).toBe(0);
      expect(await page.evaluate(CONTROL_PROBLEMS)).toEqual([]);
      await page.screenshot({path: path.join(SHOTS, `stories-menu-${width}.png`), fullPage: true});
      expect(problems).toEqual([]);
    },
    90_000,
  );

  it("keeps the stories' narration out of the Library's list, in its own place behind 'Story narration' (360 px)", async () => {
    type Page = {items: Array<{id: string; title: string}>; total: number};
    const list = async (place: string) =>
      (await jsonOf(await fetch(`${t.adminUrl}/api/library?limit=1000&place=${place}`))) as Page;
    await eventually(async () => (await list("narration")).total > 0, "some narration made", 60_000);
    const page = await openPage(browser, `${proxy.url}#library`, 360, problems);
    const view = page.locator("yss-library-view");
    await view.getByText("The library is empty").waitFor();
    expect((await list("library")).total).toBe(0);

    const toggle = view.getByRole("button", {name: "Story narration"});
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    await toggle.click();
    await view.getByRole("heading", {name: "Story narration"}).waitFor();
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    // Narration of the stories imported above may still be being made (a busy machine): the view
    // follows the library's changes, so it is compared with the list as it is each time.
    let narration = await list("narration");
    const rows = view.getByRole("table", {name: "Library items"}).locator("tbody tr");
    await eventually(
      async () => {
        narration = await list("narration");
        return (await rows.count()) === Math.min(200, narration.total);
      },
      "the narration listed",
      30_000,
    );
    expect(await rows.locator("td:first-child").allInnerTexts()).toEqual(
      narration.items.slice(0, 200).map((i) => i.title),
    );
    expect(await overflow(page)).toBe(0);
    await page.screenshot({path: path.join(SHOTS, "library-narration-360.png"), fullPage: true});

    // And back to the library.
    await toggle.click();
    await view.getByText("The library is empty").waitFor();
    expect(problems).toEqual([]);
  }, 90_000);
});
