import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {ChildView} from "../../src/shared/api/index.js";
import type {ShelfChoice} from "../../src/shared/api/shelf.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
const problems: string[] = [];

async function api<T>(method: string, pathname: string, body?: object): Promise<{status: number; body: T}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {status: res.status, body: (text ? JSON.parse(text) : undefined) as T};
}

describe.skipIf(!chromium.path)("the shelf editor on the Family page", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    const shelf = ["dShp1", "stream:demo", "story-radio"];
    expect((await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf})).status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("moves an item down and up by keyboard at 360 px, the focus going with it, and offers each thing once", async () => {
    const page = await openPage(browser, `${proxy.url}#family`, 360, problems);
    await page.locator("yss-child-card[data-child=Mia]").getByRole("button", {name: "Edit plan"}).click();
    const editor = page.locator("yss-shelf-editor");
    const rows = editor.getByRole("list", {name: "Mia's shelf"}).locator("li");
    await editor.getByRole("button", {name: "Move The Owl Who Hummed (card) down"}).waitFor();
    const order = async () => (await rows.allInnerTexts()).map((t) => t.trim());
    expect(await order()).toEqual(["The Owl Who Hummed (card)", "Demo (stream)", "Story radio"]);
    // The first has nowhere up to go, the last nowhere down.
    await expect(editor.getByRole("button", {name: "Move The Owl Who Hummed (card) up"}).isDisabled()).resolves.toBe(
      true,
    );
    await expect(editor.getByRole("button", {name: "Move Story radio down"}).isDisabled()).resolves.toBe(true);

    const down = editor.getByRole("button", {name: "Move Demo (stream) down"});
    await down.focus();
    await page.keyboard.press("Enter");
    await eventually(async () => (await order())[2] === "Demo (stream)", "demo moved down");
    expect(await order()).toEqual(["The Owl Who Hummed (card)", "Story radio", "Demo (stream)"]);
    // At the end now: the focus is on its other button, so a second key press moves it back.
    const up = editor.getByRole("button", {name: "Move Demo (stream) up"});
    await eventually(() => up.evaluate((el) => el.matches(":focus")), "the focus on demo's up button");
    await page.keyboard.press("Enter");
    await eventually(async () => (await order())[1] === "Demo (stream)", "demo moved back up");
    await eventually(() => up.evaluate((el) => el.matches(":focus")), "the focus still with demo");
    await page.keyboard.press("Tab");
    await eventually(
      () => editor.getByRole("button", {name: "Move Demo (stream) down"}).evaluate((el) => el.matches(":focus")),
      "Tab to demo's down button",
    );
    await page.keyboard.press("Space");
    await eventually(async () => (await order())[2] === "Demo (stream)", "demo down again, by Space");
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "family-shelf-editor-360.png"), fullPage: true});

    await page.locator("yss-plan-editor").getByRole("button", {name: "Save plan"}).click();
    await page.locator("yss-plan-editor").getByRole("status").filter({hasText: "Saved"}).waitFor();
    expect((await api<ChildView>("GET", "api/children/Mia")).body.plan.shelf).toEqual([
      "dShp1",
      "story-radio",
      "stream:demo",
    ]);

    // What can go on the shelf: each thing once, no story's scene audio or lullaby beside the story.
    const offered = (await api<{choices: ShelfChoice[]}>("GET", "api/shelf/choices?limit=200")).body.choices;
    expect(new Set(offered.map((c) => c.ref)).size).toBe(offered.length);
    const labels = await editor
      .getByRole("list", {name: "What can go on the shelf"})
      .getByRole("button")
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label")));
    expect(new Set(labels).size).toBe(labels.length);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("names a missing item's row and buttons by what it was, never by its bare id", async () => {
    const gone = `library:${"0f".repeat(32)}`;
    const shelf = ["gruffalo", "story:The Lost Tale", "stream:demo", gone];
    expect((await api("PUT", "api/children/Ben", {players: ["Living Room"], shelf})).status).toBe(200);
    const page = await openPage(browser, `${proxy.url}#family`, 360, problems);
    await page.locator("yss-child-card[data-child=Ben]").getByRole("button", {name: "Edit plan"}).click();
    const editor = page.locator("yss-shelf-editor");
    const take = editor.getByRole("button", {name: "Take the missing card 'gruffalo' off the shelf"});
    await take.waitFor();
    await editor.getByRole("button", {name: "Move the missing card 'gruffalo' down"}).waitFor();
    await editor.getByRole("button", {name: "Move the missing story 'The Lost Tale' up"}).waitFor();
    const rows = editor.getByRole("list", {name: "Ben's shelf"}).locator("li");
    expect((await rows.allInnerTexts()).map((t) => t.trim().replace(/\s+/g, " "))).toEqual([
      "card 'gruffalo' missing: is not among the family's cards now (removed from the library, or not linked)",
      "story 'The Lost Tale' missing: is no story now (deleted, or renamed)",
      "Demo (stream)",
      expect.stringMatching(/^library item missing: /),
    ]);
    // A library item gone is named as one, never by its id (a hash).
    await editor.getByRole("button", {name: "Take the missing library item off the shelf"}).waitFor();
    const labels = await editor
      .getByRole("list", {name: "Ben's shelf"})
      .getByRole("button")
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label") ?? ""));
    expect(labels.filter((l) => /\b(gruffalo|The Lost Tale)\b/.test(l) && !l.includes("the missing "))).toEqual([]);
    expect(labels.filter((l) => l.includes("0f0f"))).toEqual([]);
    await take.click();
    await eventually(async () => (await rows.count()) === 3, "gruffalo taken off");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
