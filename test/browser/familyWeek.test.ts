import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {ChildWeek} from "../../src/shared/api/index.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {nightNow} from "../helpers/nightNow.js";
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

describe.skipIf(!chromium.path)("a child's week on the Family page", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows a bar a day against the budget and a moon over tonight's wake, without scrolling at 360 px and at 1280 px", async () => {
    const plan = {
      players: ["Bedroom Mini"],
      budget: {minutes: 60, weekdays: {sat: 90}},
      schedule: nightNow(),
      sleep: {sounds: ["stream:demo"], volume: 3, minutes: 20},
    };
    expect((await api("PUT", "api/children/Mia", plan)).status).toBe(200);
    // Up at night: the sleep sound, as a sensor's blueprint starts it; a play refused; one more story asked.
    await eventually(
      async () => (await api<{sleep: unknown}>("GET", "api/children/Mia/shelf")).body.sleep !== null,
      "Mia asleep",
    );
    const started = await api<{outcome: string}>("POST", "api/children/Mia/sleep", {reason: "Mia is up"});
    expect(started.body.outcome).toBe("played");
    expect((await api("POST", "api/children/Mia/shelf/ask")).status).toBe(200);
    const week = await api<ChildWeek>("GET", "api/children/Mia/week");
    const tonight = week.body.days.find((d) => d.night.wakes.length > 0);
    expect(tonight?.night.wakes[0]).toMatchObject({reason: "Mia is up", minutes: 0});

    for (const width of [360, 1280]) {
      const page = await openPage(browser, `${proxy.url}#family`, width, problems);
      const card = page.locator("yss-child-card").first();
      const chart = card.getByTestId("week-chart");
      await chart.waitFor();
      expect(await chart.locator("g[data-date]").count()).toBe(7);
      expect(await chart.locator("path.moon").count()).toBe(1);
      expect(await chart.locator("line.budget").count()).toBe(7);
      const label = (await chart.getAttribute("aria-label")) ?? "";
      expect(label).toMatch(/^Mia's week\. \w+day: 0 of (60|90) minutes/);
      expect(label).toContain("up once at night");
      expect((await card.getByTestId("week-sum").innerText()).trim()).toBe("0 min this week · up one night");
      expect(await overflow(page)).toBe(0);
      await card.getByTestId("week-chart").scrollIntoViewIfNeeded();
      await page.screenshot({path: path.join(SHOTS, `family-week-${width}.png`), fullPage: width === 360});
      // The child's card alone, as docs/family-plan.md shows it.
      await card.screenshot({path: path.join(SHOTS, `family-week-card-${width}.png`)});
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});
