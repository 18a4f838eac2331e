import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../src/paths.js";
import {VOLUME_PERCENTS} from "../../src/yoto/playerModel.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const SHOTS = path.join(PACKAGE_ROOT, "test-artifacts", "screenshots");
const VIEWS = ["players", "streams", "library", "rules", "stories", "account"] as const;
const LIVING = "y7s9dk3mqp2x8v4n1c6b0zlq";
const SHOP_CARD = "dShp1";

/**
 * Machine values the API sends that must reach people as words: enum values (run results, cloud
 * and link states, play modes, power sources, trigger types, feed orders), MIME types, icon refs
 * and folder paths.
 */
const RAW = [
  /\bcondition_failed\b/,
  /\bwaiting_for_account\b/,
  /\bneeds_relink\b/,
  /\bshuffle_loop\b/,
  /\busb-c\b/,
  /\bstream_requested\b/,
  /\btime_pattern\b/,
  /\b(oldest|newest)_first\b/,
  /\baudio\/[a-z0-9.+-]+/,
  /yoto:#/,
  /\.uploads?\//,
  /\w+\.(yaml|yml):\d+/,
];

/** Every text node of the page, shadow roots included, as a person (or a screen reader) gets it. Runs in the page. */
const PAGE_TEXT = `(() => {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === 3) { out.push(node.textContent); return; }
    if (node.nodeType !== 1 && node.nodeType !== 11) return;
    if (node.nodeName === "STYLE" || node.nodeName === "SCRIPT") return;
    if (node.getAttribute?.("aria-label")) out.push(node.getAttribute("aria-label"));
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  return out.join(" ").replace(/\\s+/g, " ");
})()`;

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
const problems: string[] = [];

async function api<T>(pathname: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, init);
  if (!res.ok) throw new Error(`${res.status} ${pathname}: ${await res.text()}`);
  return res.json() as Promise<T>;
}

const command = (player: string, body: object) =>
  api(`api/players/${player}/commands`, {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify(body),
  });

type Player = {
  id: string;
  volume: {level?: number; percent?: number};
  playback: {cardId: string | null; position?: number};
};
const player = async (id: string) => (await api<Player>(`api/players/${id}`)) as Player;

const openPanel = (view: string, width = 1280): Promise<Page> =>
  openPage(browser, `${proxy.url}#${view}`, width, problems);

describe.skipIf(!chromium.path)("the panel looks and behaves like Home Assistant", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    await import("node:fs/promises").then((fs) => fs.mkdir(SHOTS, {recursive: true}));
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows every view at 360 and 1280 px with nothing sideways and no machine values in the text", async () => {
    // Something in every state that has a raw name: a run whose condition failed, a podcast-less
    // stream in shuffle-and-loop, a coloured night light.
    await api("api/streams/demo/mode", {
      method: "PUT",
      headers: {"content-type": "application/json"},
      body: JSON.stringify({mode: "shuffle_loop"}),
    });
    await command(LIVING, {command: "ambient", color: "#ff8800"});
    const page = await openPanel("players");
    const ready: Record<(typeof VIEWS)[number], () => Promise<unknown>> = {
      players: () => page.locator("yss-player-card h2", {hasText: "Bedroom Mini"}).waitFor(),
      streams: () => page.locator("yss-queue-editor li").first().waitFor(),
      library: () => page.locator("yss-library-view tbody tr").first().waitFor(),
      rules: () => page.locator("yss-rules-view .rule").first().waitFor(),
      stories: () => page.locator("yss-story-graph g.node").first().waitFor(),
      account: () => page.locator('[data-testid="account-state"]', {hasText: "Linked"}).waitFor(),
    };
    for (const width of [360, 1280]) {
      await page.setViewportSize({width, height: 900});
      for (const view of VIEWS) {
        const tab = page.getByRole("link", {name: new RegExp(`^${view}$`, "i")});
        // Every tab in sight, whatever the width.
        const box = await tab.boundingBox();
        expect([view, (box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width]).toEqual([view, true]);
        await tab.click();
        await ready[view]();
        if (view === "streams")
          await page
            .getByRole("combobox", {name: "Play mode"})
            .locator("option:checked", {hasText: "Shuffle and loop"})
            .waitFor({state: "attached"});
        expect(await overflow(page), `${view} at ${width}px`).toBeLessThanOrEqual(0);
        const text = await page.evaluate<string>(PAGE_TEXT);
        for (const raw of RAW) expect([view, width, text.match(raw)?.[0]]).toEqual([view, width, undefined]);
        await page.screenshot({path: path.join(SHOTS, `${view}-${width}.png`), fullPage: true});
      }
    }
    // The words are there instead.
    await page.getByRole("link", {name: /^account$/i}).click();
    expect(await page.locator('[data-testid="cloud-state"]').innerText()).toBe("Connected");
    await page.getByRole("link", {name: /^players$/i}).click();
    const swatch = page.locator(`yss-player-card[data-player="${LIVING}"] .swatch`);
    await eventually(async () => (await swatch.count()) === 1, "night light swatch");
    expect(
      await swatch.evaluate(
        (el) =>
          (globalThis as unknown as {getComputedStyle(e: unknown): {backgroundColor: string}}).getComputedStyle(el)
            .backgroundColor,
      ),
    ).toBe("rgb(255, 136, 0)");
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it("plays a card with its artwork and a moving progress bar, and the volume slider sends one snapped step on release", async () => {
    const page = await openPanel("players", 360);
    const card = page.locator(`yss-player-card[data-player="${LIVING}"]`);
    await card.getByRole("combobox", {name: "Card"}).selectOption(SHOP_CARD);
    await card.getByRole("button", {name: "Play card"}).click();
    await card.locator('[data-testid="status"]', {hasText: "Playing"}).waitFor();
    await card.locator('[data-testid="chapter"]', {hasText: "Introduction"}).waitFor();

    // The cover Yoto has for the card, loaded (the same address the bridge gives Home Assistant).
    const {image} = await api<{image?: string}>(`api/account/cards/${SHOP_CARD}`);
    expect(image).toMatch(/\/covers\/demoOwlCover\.png$/);
    const wrong = await fetch(`${demo.panelUrl}api/account/cards/not-a-card`);
    expect([wrong.status, await wrong.json()]).toEqual([
      400,
      {error: "'not-a-card' is not a card id: use letters and digits, up to 40", code: "bad_card_id"},
    ]);
    const art = card.locator('img[data-testid="artwork"]');
    await art.waitFor();
    expect(await art.getAttribute("src")).toBe(image);
    await eventually(
      () => art.evaluate((img) => (img as unknown as {naturalWidth: number}).naturalWidth > 0),
      "artwork loaded",
    );
    expect(await card.locator('[data-testid="card-title"]').innerText()).toBe("The Owl Who Hummed");

    // Position and length under the bar; the position moves on between the player's reports.
    const progress = card.locator('[data-testid="progress"]');
    await progress.waitFor();
    const seconds = async () => {
      const [pos, len] = (await progress.innerText()).split(/\s+/);
      const s = (t = "") => t.split(":").reduce((acc, n) => acc * 60 + Number(n), 0);
      return {pos: s(pos), len: s(len)};
    };
    const first = await seconds();
    expect(first.len).toBe(40);
    await eventually(async () => (await seconds()).pos >= first.pos + 2, "position ticking", 4000);
    const bar = card.getByRole("progressbar", {name: "Position"});
    expect(Number(await bar.getAttribute("aria-valuemax"))).toBe(40);
    await page.screenshot({path: path.join(SHOTS, "players-playing-360.png"), fullPage: true});

    // The volume: a real drag with the mouse; nothing is sent until the button is let go.
    const sent: Array<{percent?: number}> = [];
    page.on("request", (req) => {
      if (req.method() === "POST" && req.url().endsWith(`/api/players/${LIVING}/commands`))
        sent.push(req.postDataJSON());
    });
    const slider = card.getByRole("slider", {name: "Volume"});
    const box = (await slider.boundingBox()) as {x: number; y: number; width: number; height: number};
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    for (const f of [0.55, 0.62, 0.7, 0.78, 0.8]) await page.mouse.move(box.x + box.width * f, y, {steps: 3});
    const level = Number(await slider.inputValue());
    expect(level).toBeGreaterThan(8);
    // While dragging, the step's percent shows and nothing went out.
    expect(await card.locator('[data-testid="volume"]').innerText()).toBe(`${VOLUME_PERCENTS[level]}%`);
    expect(sent).toEqual([]);
    await page.mouse.up();
    await eventually(async () => sent.length === 1, "one volume command");
    expect(sent).toEqual([{command: "volume", percent: VOLUME_PERCENTS[level]}]);
    // The simulated player takes that step and says so; the panel shows what it reported.
    await eventually(async () => (await player(LIVING)).volume.level === level, `player at level ${level}`);
    await page.waitForTimeout(300);
    expect(sent.length).toBe(1);
    expect(await slider.inputValue()).toBe(String(level));
    expect(await card.locator('[data-testid="volume"]').innerText()).toBe(`${VOLUME_PERCENTS[level]}%`);
    // The keyboard moves it one step at a time.
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await eventually(async () => (await player(LIVING)).volume.level === level - 1, "one step down");
    expect(sent.at(-1)).toEqual({command: "volume", percent: VOLUME_PERCENTS[level - 1]});
    await command(LIVING, {command: "stop"});
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("reorders the queue with a finger on a phone, and the service's queue changes", async () => {
    const page = await openPanel("streams", 360);
    const ids = async () => (await api<{items: Array<{id: string}>}>("api/streams/demo")).items.map((i) => i.id);
    const before = await ids();
    await page.locator('yss-queue-editor li[data-index="3"]').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setTouchEmulationEnabled", {enabled: true, maxTouchPoints: 2});
    const centre = async (selector: string) => {
      const b = (await page.locator(selector).boundingBox()) as {x: number; y: number; width: number; height: number};
      return {x: b.x + b.width / 2, y: b.y + b.height / 2};
    };
    const from = await centre('yss-queue-editor li[data-index="0"] button.handle');
    const to = await centre('yss-queue-editor li[data-index="2"]');
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", p?: {x: number; y: number}) =>
      cdp.send("Input.dispatchTouchEvent", {type, touchPoints: p ? [{x: p.x, y: p.y, id: 1}] : []});
    await touch("touchStart", from);
    for (let i = 1; i <= 8; i++) await touch("touchMove", {x: from.x, y: from.y + ((to.y - from.y) * i) / 8});
    // The row follows the finger and the place it would land is marked.
    expect(await page.locator("yss-queue-editor li.dragging").getAttribute("data-index")).toBe("0");
    expect(await page.locator("yss-queue-editor li.drop-after").getAttribute("data-index")).toBe("2");
    await touch("touchEnd");
    // The first track takes the third one's place.
    const expected = [before[1], before[2], before[0], ...before.slice(3)];
    await eventually(async () => JSON.stringify(await ids()) === JSON.stringify(expected), "touch move saved");
    await page.locator("yss-queue-editor [role=status]", {hasText: "to position 3 of"}).waitFor();
    // A swipe over a row that is not on its handle leaves the queue alone (it scrolls the page).
    const title = await centre('yss-queue-editor li[data-index="0"] .title');
    await touch("touchStart", title);
    for (let i = 1; i <= 6; i++) await touch("touchMove", {x: title.x, y: title.y + i * 20});
    await touch("touchEnd");
    await page.waitForTimeout(300);
    expect(await ids()).toEqual(expected);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("zooms the story graph with its buttons and ctrl + wheel, scrolling inside its frame on a phone", async () => {
    const page = await openPanel("stories", 360);
    const graph = page.locator("yss-story-graph svg[role=img]");
    await graph.waitFor();
    const width = () =>
      graph.evaluate(
        (el) => (el as unknown as {getBoundingClientRect(): {width: number}}).getBoundingClientRect().width,
      );
    const natural = await width();
    await page.getByRole("button", {name: "Zoom in"}).click();
    expect(await width()).toBeCloseTo(natural * 1.25, 0);
    expect(await page.locator('yss-story-graph [data-testid="zoom"]').innerText()).toBe("125%");
    await page.getByRole("button", {name: "Zoom out"}).click();
    await page.getByRole("button", {name: "Zoom out"}).click();
    expect(await width()).toBeCloseTo(natural * 0.8, 0);
    // Ctrl + wheel (a trackpad's pinch) zooms the graph, not the page.
    const frame = (await page.locator("yss-story-graph .frame").boundingBox()) as {x: number; y: number};
    await page.mouse.move(frame.x + 20, frame.y + 20);
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -200);
    await page.keyboard.up("Control");
    await eventually(async () => (await width()) > natural * 0.8 + 5, "zoomed in by the wheel");
    await page.getByRole("button", {name: "Actual size"}).click();
    expect(await width()).toBeCloseTo(natural, 0);
    // At actual size the graph is wider than a phone: its frame scrolls, the page does not.
    const frameScroll = await page.locator("yss-story-graph .frame").evaluate((el) => {
      const e = el as unknown as {scrollWidth: number; clientWidth: number};
      return e.scrollWidth - e.clientWidth;
    });
    expect(frameScroll).toBeGreaterThan(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
