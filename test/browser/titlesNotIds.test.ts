import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {eventually, findChromium, openPage} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
const problems: string[] = [];
/** The ids a parent must never read where a title can be: the streams' names, and story radio's. */
const IDS = ["story-radio-ben", "demo-radio"];

async function api(method: string, pathname: string, body?: object): Promise<{status: number; body: unknown}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return {status: res.status, body: await res.json()};
}

/** Whether the page shows the text anywhere (its shadow roots too), options of a select included. */
const shows = async (page: Page, text: string) => (await page.getByText(text, {exact: true}).count()) > 0;

describe.skipIf(!chromium.path)("what plays on a card the service made, as a parent reads it", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    const ben = {players: ["Living Room"], shelf: ["story-radio", "stream:demo"]};
    expect((await api("PUT", "api/children/Ben", ben)).status).toBe(200);
    expect(
      (await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: ["stream:demo-radio"]})).status,
    ).toBe(200);
    // Ben's story radio is written a moment after his plan; then each child plays from the shelf.
    await eventually(async () => {
      const played = await api("POST", "api/children/Ben/shelf/play", {id: "story-radio"});
      return played.status === 200 && (played.body as {outcome: string}).outcome === "played";
    }, "Ben's story radio playing");
    expect((await api("POST", "api/children/Mia/shelf/play", {id: "stream:demo-radio"})).body).toMatchObject({
      outcome: "played",
    });
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("is named by its title in the History view's sessions", async () => {
    const page = await openPage(browser, `${proxy.url}#history`, 1280, problems);
    const sessions = page.locator("yss-history-view ul.sessions li");
    await eventually(async () => {
      await page.locator("yss-history-view").getByRole("button", {name: "7 days"}).click();
      await page.locator("yss-history-view").getByRole("button", {name: "14 days"}).click();
      return (await sessions.count()) >= 2;
    }, "both sessions listed, playing now");
    const titles = await sessions.locator(".what strong").allInnerTexts();
    expect(titles.sort()).toEqual(["Ben's story radio", "Demo radio"]);
    for (const id of IDS) expect(await shows(page, id), id).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("is named by its title on the Players view, in each player's card and in the card picker", async () => {
    const page = await openPage(browser, `${proxy.url}#players`, 1280, problems);
    const living = page.locator("yss-player-card[data-player=y7s9dk3mqp2x8v4n1c6b0zlq]");
    await eventually(async () => (await living.getByTestId("chapter").innerText()) === "Ben's story radio", "Ben's");
    const mini = page.locator("yss-player-card[data-player=y2m8rj5tnw4h9f1g7e3k6aqp]");
    await eventually(async () => (await mini.getByTestId("chapter").count()) > 0, "the Mini's chapter");
    expect(await mini.getByTestId("chapter").innerText()).toBe("Demo radio");
    // Paused from elsewhere: the card is patched from the live event, which names it as the list did.
    expect((await api("POST", "api/players/y7s9dk3mqp2x8v4n1c6b0zlq/commands", {command: "pause"})).status).toBe(200);
    await eventually(async () => (await living.getByTestId("status").innerText()) === "Paused", "paused");
    expect(await living.getByTestId("chapter").innerText()).toBe("Ben's story radio");
    const offered = living.locator("select option");
    await eventually(async () => (await offered.allInnerTexts()).includes("Ben's story radio"), "the cards offered");
    expect(await offered.allInnerTexts()).toContain("Demo radio");
    for (const id of IDS) expect(await shows(page, id), id).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
