import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

/** The demo's players. */
const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
const LIVING = "y7s9dk3mqp2x8v4n1c6b0zlq";

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: the views must not produce any. */
const problems: string[] = [];

async function putMia(plan: object): Promise<void> {
  const res = await fetch(`${demo.panelUrl}api/children/Mia`, {
    method: "PUT",
    headers: {"content-type": "application/json"},
    body: JSON.stringify(plan),
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

/** The History view filtered to one player (by the name its option shows). */
async function historyOf(width: number, player: string): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#history`, width, problems);
  const select = page.locator("yss-history-view").getByRole("combobox", {name: "Player"});
  await select.locator("option", {hasText: player}).waitFor({state: "attached"});
  await select.selectOption({label: player});
  return page;
}

describe.skipIf(!chromium.path)("a child's minutes beside their players", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    await putMia({players: ["Bedroom Mini"], budget: {minutes: 60}});
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows the child's minutes on their player's card, follows a new budget, and fits 360 px", async () => {
    const page = await openPage(browser, `${proxy.url}#players`, 360, problems);
    const mini = page.locator(`yss-player-card[data-player=${MINI}]`);
    const chip = mini.getByTestId("child-chip");
    await chip.filter({hasText: "Mia: 0 of 60 min"}).waitFor();
    expect((await chip.textContent())?.replace(/\s+/g, " ").trim()).toBe("Mia: 0 of 60 min");
    // Another child's player, or nobody's, has no chip.
    await page.locator(`yss-player-card[data-player=${LIVING}]`).getByTestId("online").waitFor();
    expect(await page.locator(`yss-player-card[data-player=${LIVING}]`).getByTestId("child-chip").count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "players-child-360.png"), fullPage: true});

    // Changed elsewhere (the API, Home Assistant): the card follows family.changed without a reload.
    await putMia({players: ["Bedroom Mini"], budget: {minutes: 45}});
    await chip.filter({hasText: "Mia: 0 of 45 min"}).waitFor();
    // Without a budget, the minutes alone.
    await putMia({players: ["Bedroom Mini"]});
    await chip.filter({hasText: "Mia: 0 min today"}).waitFor();
    await putMia({players: ["Bedroom Mini"], budget: {minutes: 60}});
    await chip.filter({hasText: "Mia: 0 of 60 min"}).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("draws the child's budget on the History chart filtered to their player, on the chart's scale", async () => {
    const page = await historyOf(360, "Bedroom Mini");
    const view = page.locator("yss-history-view");
    const chart = view.locator("yss-history-chart");
    const line = chart.getByRole("img", {name: "Mia's budget (60 min)"});
    await line.waitFor();
    await expect(line.getAttribute("data-minutes")).resolves.toBe("60");
    // One line over every day, at the top of an axis raised to it (nothing has played: it would be 1 min).
    expect(await line.locator("line").count()).toBe(1);
    await expect(line.locator("line").getAttribute("y1")).resolves.toBe("0");
    expect((await chart.locator(".y span").last().innerText()).trim()).toBe("1 h");
    await view.getByTestId("budget-legend").filter({hasText: "Mia's budget (60 min)"}).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "history-budget-360.png"), fullPage: true});

    // Every player, or a player of no child: no budget.
    await view.getByRole("combobox", {name: "Player"}).selectOption({label: "All players"});
    await view.getByTestId("history-empty").waitFor();
    expect(await chart.count()).toBe(0);
    await view.getByRole("combobox", {name: "Player"}).selectOption({label: "Living Room"});
    await view.getByTestId("history-empty").filter({hasText: "Nothing played on Living Room"}).waitFor();
    expect(await view.getByTestId("budget-legend").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("draws each weekday's own budget when the plan gives weekdays other minutes", async () => {
    await putMia({players: ["Bedroom Mini"], budget: {minutes: 60, weekdays: {sat: 90, sun: 90}}});
    const page = await historyOf(1280, "Bedroom Mini");
    const chart = page.locator("yss-history-view yss-history-chart");
    const line = chart.getByRole("img", {name: "Mia's budget (60 min; Sat, Sun 90 min)"});
    await line.waitFor();
    // Fourteen days hold both weekends' worth of 90 and the weekdays' 60.
    const levels = await line
      .locator("line")
      .evaluateAll((lines) =>
        lines.map((l) => [l.getAttribute("data-budget-minutes"), Number(l.getAttribute("y1")).toFixed(1)]),
      );
    expect(new Set(levels.map(([m, y]) => `${m}@${y}`))).toEqual(new Set(["60@33.3", "90@0.0"]));
    expect((await chart.locator(".y span").last().innerText()).trim()).toBe("1 h 30 min");
    await eventually(
      async () =>
        (await page.getByTestId("budget-legend").innerText()).includes("Mia's budget (60 min; Sat, Sun 90 min)"),
      "the budget in the legend",
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
