import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {NOTICE_MS} from "../../ui/src/components/fading-notice.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
const problems: string[] = [];

async function api(method: string, pathname: string, body?: object): Promise<{status: number; body: unknown}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return {status: res.status, body: await res.json()};
}

describe.skipIf(!chromium.path)("quiet hours and the sleep timer on the player card", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows 'Quiet until' in the browser's time format on the family's clock at 360 px, and 'End now' gives the volume back", async () => {
    const page = await openPage(browser, `${proxy.url}#players`, 360, problems);
    const card = page.locator("yss-player-card", {has: page.locator("h2", {hasText: "Bedroom Mini"})});
    await card.waitFor();
    await expect(card.getByTestId("quiet").count()).resolves.toBe(0);

    const started = await api("POST", `api/players/${MINI}/quiet`, {until: "07:00"});
    expect(started.status).toBe(200);
    const until = (started.body as {until: string}).until;
    const chip = card.getByTestId("quiet-chip");
    await chip.waitFor();
    // The time on the family's clock as this browser writes it ("7:00 AM" in en-US), worked out
    // in the page itself; in the evening 07:00 is tomorrow's, and the chip says so.
    const {timeZone} = (await api("GET", "api/children")).body as {timeZone: string};
    const [local, tomorrow] = await page.evaluate(
      ([iso, zone]) => {
        const day = (t: Date) => t.toLocaleDateString("en-CA", {timeZone: zone});
        const end = new Date(iso as string);
        return [end.toLocaleTimeString(undefined, {timeStyle: "short", timeZone: zone}), day(end) !== day(new Date())];
      },
      [until, timeZone],
    );
    expect((await chip.innerText()).trim()).toBe(`Quiet until ${tomorrow ? "tomorrow " : ""}${local}`);
    const end = card.getByRole("button", {name: "End now"});
    await expect(end.isVisible()).resolves.toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // The chip and its button inside the card, side by side or wrapped, never cut off.
    const cardBox = await card.boundingBox();
    const endBox = await end.boundingBox();
    expect(endBox!.x + endBox!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width);
    await card.screenshot({path: path.join(SHOTS, "quiet-hours-360.png")});

    await end.click();
    const ended = card.getByTestId("notice").filter({hasText: "Quiet hours ended"});
    await ended.waitFor();
    await card.getByTestId("quiet").waitFor({state: "detached"});
    expect(await api("GET", "api/quiet-hours")).toEqual({status: 200, body: {quiet: []}});
    await eventually(
      async () =>
        ((await api("GET", `api/players/${MINI}`)).body as {settings?: {dayMaxVolume?: number}}).settings
          ?.dayMaxVolume !== 0,
      "the Mini's max volume back",
    );
    // The notice says what just happened, then goes: it must not stand on the card for good.
    await ended.waitFor({state: "detached", timeout: NOTICE_MS + 5000});
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows a sleep timer as the time left while a card plays, and nothing once the player stops", async () => {
    const page = await openPage(browser, `${proxy.url}#players`, 360, problems);
    const card = page.locator("yss-player-card", {has: page.locator("h2", {hasText: "Bedroom Mini"})});
    await card.waitFor();
    expect((await api("POST", `api/players/${MINI}/commands`, {command: "play_card", cardId: "dShp1"})).status).toBe(
      200,
    );
    await card.getByTestId("status").filter({hasText: "Playing"}).waitFor();
    expect((await api("POST", `api/players/${MINI}/commands`, {command: "sleep", seconds: 720})).status).toBe(200);
    const timer = card.getByTestId("sleep-timer");
    // Time left, in words: "12:00" read as a clock time.
    await timer.filter({hasText: "Sleep in 12 min"}).waitFor();
    expect((await timer.innerText()).trim()).toBe("Sleep in 12 min");
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // Stopped, the player has nothing to put to sleep: the timer it still reports is not shown.
    expect((await api("POST", `api/players/${MINI}/commands`, {command: "stop"})).status).toBe(200);
    await card.getByTestId("status").filter({hasText: "Stopped"}).waitFor();
    await timer.waitFor({state: "detached"});
    const {body} = await api("GET", `api/players/${MINI}`);
    expect((body as {sleepTimer: {active: boolean}}).sleepTimer.active).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
