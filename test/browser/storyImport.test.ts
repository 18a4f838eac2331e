import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {StoryView} from "../../src/shared/api/index.js";
import {startApp, type TestApp} from "../helpers/app.js";
import {eventually, findChromium, launchBrowser, openPage, overflow} from "../helpers/browser.js";
import {jsonOf} from "../helpers/http.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {SHOTS} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

// A three-scene Twee 3 story written for this test: an unread macro, a script in a passage's text,
// and a passage nobody reaches whose name is markup (it comes back in a warning).
const FOX = `:: StoryTitle
Fox Den

:: StoryData
{"ifid":"2A3B4C5D-6E7F-4081-9A2B-3C4D5E6F7A8B","start":"Den"}

:: Den
The fox wakes. <<playsound "owl">> [[Out->Meadow]] [[Stay]]

:: Meadow
<script>alert(1)</script> Grass and bees. [[Den]]

:: Stay
Warm and cosy.

:: <script>alert(2)</script> Lost
Nobody comes here.
`;

// A story whose voice espeak-ng does not have: every scene's narration fails, with the engine's reason.
const NO_VOICE = `story:
  id: no-voice
  title: No voice
  start: gate
  narration: {engine: espeak-ng, language: zz-nope}
  scenes:
    gate: {say: "Knock knock.", left: yard}
    yard: {title: "<b>Yard</b>", say: "Who is there?"}
`;

let t: TestApp;
let proxy: IngressProxy;
let browser: BrowserContext;

async function storyOf(id: string): Promise<StoryView | undefined> {
  const {stories} = (await jsonOf(await fetch(`${t.adminUrl}/api/stories`))) as {stories: StoryView[]};
  return stories.find((s) => s.id === id);
}

function choose(page: Page, name: string, text: string) {
  return page
    .locator("yss-story-import")
    .locator('input[type="file"]')
    .setInputFiles({name, mimeType: "", buffer: Buffer.from(text)});
}

describe.skipIf(!chromium.path)("importing a Twine story in the Stories view", () => {
  beforeAll(async () => {
    t = await startApp();
    proxy = await startIngressProxy(t.adminUrl);
    browser = await launchBrowser(chromium.path as string);
    await mkdir(SHOTS, {recursive: true});
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
  });

  it("shows the story made, every warning as text, the story's narration until ready, and replaces on asking", async () => {
    const problems: string[] = [];
    const dialogs: string[] = [];
    const page = await openPage(browser, `${proxy.url}#stories`, 360, problems);
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.getByText("No stories loaded").waitFor();
    await choose(page, "fox.twee", FOX);

    const imported = page.getByTestId("imported");
    await imported.waitFor();
    expect((await imported.getByRole("status").innerText()).trim()).toBe(
      "Imported “Fox Den”: 3 scenes, starting at “Den”",
    );
    // The markup in the unreached passage's name is text on the page, not an element.
    expect(await page.getByRole("list", {name: "Import warnings"}).getByRole("listitem").allInnerTexts()).toEqual([
      "passages '<script>alert(2)</script> Lost' cannot be reached from 'Den' and were left out",
      "macro 'playsound' (in 'Den') is not read and never runs",
    ]);
    expect(
      await page.locator("yss-story-import").evaluate((el) => el.shadowRoot?.querySelectorAll("script").length),
    ).toBe(0);

    // In the list at once, narrated for real: the count moves on live until it is gone at "ready".
    const card = page.locator('section[data-story="fox-den"]');
    await card.getByRole("heading", {name: "Fox Den"}).waitFor();
    expect(await card.getByText("3 scenes · interactive").count()).toBe(1);
    const narration = card.getByTestId("narration");
    const seen = new Set<string>();
    await eventually(
      async () => {
        // Read without waiting: the count can go between asking whether it is there and reading it.
        for (const text of await narration.allInnerTexts()) seen.add(text.trim());
        return (await storyOf("fox-den"))?.narration?.state === "ready" && (await narration.count()) === 0;
      },
      "the story narrated and its count gone",
      60_000,
    );
    for (const text of seen) expect(text).toMatch(/^Narrating [0-3] of 3 scenes$/);
    expect(await overflow(page)).toBe(0);
    await page.screenshot({path: path.join(SHOTS, "stories-import-360.png"), fullPage: true});

    // The same story again: the service's sentence, and Replace imports it over the first.
    await choose(page, "fox.twee", FOX.replace("Warm and cosy.", "Warm, cosy and asleep."));
    const refused = page.locator("yss-story-import yss-alert").first();
    const replace = refused.getByRole("button", {name: "Replace"});
    await replace.waitFor();
    expect((await refused.getByRole("alert").innerText()).trim()).toBe(
      "A story 'fox-den' was already imported (stories/fox-den.yaml); import with replace to overwrite it",
    );
    expect(await imported.count()).toBe(0);
    await replace.click();
    await imported.waitFor();
    expect(await replace.count()).toBe(0);
    const stay = (await storyOf("fox-den"))?.scenes.find((s) => s.id === "stay");
    expect(stay?.audio).toEqual({say: "Warm, cosy and asleep."});

    // A file the service cannot read: its sentence as it came, and nothing to replace.
    await choose(page, "gate.twee", ":: Gate\nOpen. [[Garden]] [[Moon]]\n\n:: Garden\nRoses.\n");
    await eventually(
      async () => (await imported.count()) === 0 && (await refused.getByRole("alert").innerText()).trim() !== "",
      "the refusal",
    );
    expect((await refused.getByRole("alert").innerText()).trim()).toBe(
      "passage 'Gate' (line 1 of the passage) links to 'Moon', which is not a passage of this story: fix the link or add the passage",
    );
    expect(await replace.count()).toBe(0);

    expect(dialogs).toEqual([]);
    expect(problems).toEqual([
      `409 POST ${proxy.url}api/stories/import?filename=fox.twee`,
      `400 POST ${proxy.url}api/stories/import?filename=gate.twee`,
    ]);
  }, 120_000);

  it("lists the scenes that could not be narrated with why, and narrates them again on asking", async () => {
    await mkdir(path.join(t.dataDir, "..", "rules", "stories"), {recursive: true});
    await writeFile(path.join(t.dataDir, "..", "rules", "stories", "no-voice.yaml"), NO_VOICE);
    const problems: string[] = [];
    const page = await openPage(browser, `${proxy.url}#stories`, 360, problems);
    expect((await fetch(`${t.adminUrl}/api/rules/reload`, {method: "POST"})).status).toBe(200);
    const card = page.locator('section[data-story="no-voice"]');
    const failed = card.getByRole("list", {name: "Scenes not narrated"}).getByRole("listitem");
    await eventually(async () => (await failed.count()) === 2, "the failed scenes, live", 30_000);
    const error = "Text-to-speech with 'espeak-ng' failed: Error: The specified espeak-ng voice does not exist.";
    expect((await storyOf("no-voice"))?.narration?.failed.map((f) => f.error)).toEqual([error, error]);
    expect(await card.getByTestId("narration").locator("p").innerText()).toBe("2 of 2 scenes could not be narrated:");
    // The scene's title is markup from the author's file: shown as text.
    expect(await failed.allInnerTexts()).toEqual([`gate: ${error}`, `<b>Yard</b>: ${error}`]);
    await page.screenshot({path: path.join(SHOTS, "stories-narration-failed-360.png"), fullPage: true});

    const asked = page.waitForResponse((r) => r.url().endsWith("/api/stories/no-voice/narrate"));
    await card.getByRole("button", {name: "Narrate again"}).click();
    expect((await asked).status()).toBe(202);
    // The same voice fails again: the list comes back, with no error of the view's own.
    await eventually(async () => (await failed.count()) === 2, "the scenes failed again", 30_000);
    expect(await card.locator(":scope > yss-alert").getByRole("alert").innerText()).toBe("");
    expect(await overflow(page)).toBe(0);
    expect(problems).toEqual([]);
  }, 90_000);
});
