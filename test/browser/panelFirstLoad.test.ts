import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {findChromium} from "../helpers/browser.js";
import {type PanelStack, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

/**
 * Runs in the page before its own scripts: every admin API request is written down with how many
 * player cards were on the page when it was asked for, and whether the players view was showing
 * "Loading…" then (drawn when the players' answer takes longer than the panel's 300 ms wait, as
 * it can on a busy machine).
 */
const RECORD_REQUESTS = `(() => {
  const asked = (window.__asked = []);
  const view = () => document.querySelector("yss-panel")?.shadowRoot?.querySelector("yss-players-view")?.shadowRoot;
  const fetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = new URL(String(input), location.href).pathname;
    const cards = view()?.querySelectorAll("yss-player-card").length ?? 0;
    const loading = Boolean(view()?.querySelector("[aria-busy=true]"));
    asked.push({path: url.slice(url.lastIndexOf("api/")), cards, loading});
    return fetch(input, init);
  };
})()`;

interface Frame {
  /** A card's transport buttons can be pressed. */
  controls: boolean;
  /** Its announce box has its form. */
  announce: boolean;
  boxHeight: number;
}

/** Runs in the page before its own scripts: at every frame, what the first card shows. */
const WATCH_FRAMES = `(() => {
  const frames = (window.__frames = []);
  const watch = () => {
    const card = document.querySelector("yss-panel")?.shadowRoot?.querySelector("yss-players-view")?.shadowRoot
      ?.querySelector("yss-player-card")?.shadowRoot;
    const box = card?.querySelector("yss-announce-box");
    if (card?.querySelector(".transport button:not([disabled])"))
      frames.push({
        controls: true,
        announce: Boolean(box?.shadowRoot?.querySelector("form")),
        boxHeight: box?.getBoundingClientRect().height ?? 0,
      });
    if (!frames.some((f) => f.announce)) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})()`;

/** Asked for by the page itself while the panel's code downloads: what the first paint draws. */
const FIRST = ["api/players", "api/virtual"];
/** What the cards show beside the players, asked for once they are painted. */
const LATER = ["api/quiet-hours", "api/account/cards", "api/children"];

let stack: PanelStack;

describe.skipIf(!chromium.path)("the panel's first load: the players first, what sits beside them after", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    // One load first: a service that has just started may answer the first one past the panel's
    // 300 ms wait, and then "Loading…" is drawn first (the second test's case, not this one's).
    const page = await stack.browser.newPage();
    await page.goto(`${stack.proxy.url}#players`);
    await page.locator("yss-player-card h2", {hasText: "Living Room"}).waitFor();
    await page.close();
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("asks for the players (and the demo's hands) before anything is drawn and for the rest once the players are on the page, and shows the rest", async () => {
    const page = await stack.browser.newPage();
    await page.addInitScript(RECORD_REQUESTS);
    await page.goto(`${stack.proxy.url}#players`);
    const living = page.locator("yss-player-card").filter({has: page.locator("h2", {hasText: "Living Room"})});
    // What the later requests bring: the demo players' hands and the family's cards to pick from.
    await living.getByRole("group", {name: "Virtual player controls"}).waitFor();
    await living.getByRole("combobox", {name: "Card"}).waitFor();
    expect(await living.getByRole("option", {name: "Demo stream"}).count()).toBe(1);

    const asked = await page.evaluate<Array<{path: string; cards: number; loading: boolean}>>("window.__asked");
    const apiAsked = asked.filter((a) => !a.path.startsWith("api/account/cards/") && a.path !== "api/events");
    for (const path of FIRST)
      expect(apiAsked.filter((a) => a.path === path)).toEqual([{path, cards: 0, loading: false}]);
    // The rest waits for the first frame: the players' cards, or "Loading…" when the players took
    // longer than the panel waits for them (the last test's case), never nothing drawn yet.
    const firstFrame = apiAsked.some((a) => a.loading) ? {cards: 0, loading: true} : {cards: 2, loading: false};
    for (const path of LATER) expect(apiAsked.filter((a) => a.path === path)).toEqual([{path, ...firstFrame}]);
    await page.close();
  }, 30_000);

  it("draws each card's controls first and its announce box a frame later, in the room kept for it", async () => {
    const page = await stack.browser.newPage();
    await page.setViewportSize({width: 1280, height: 720});
    await page.addInitScript(WATCH_FRAMES);
    await page.goto(`${stack.proxy.url}#players`);
    const living = page.locator("yss-player-card").filter({has: page.locator("h2", {hasText: "Living Room"})});
    await living.locator("yss-announce-box").getByRole("button", {name: "Speak"}).waitFor();
    const frames = await page.evaluate<Frame[]>("window.__frames");
    const first = frames.findIndex((f) => f.controls);
    const drawn = frames.findIndex((f) => f.announce);
    // The first frame with a card's buttons has no announce box in it; a later frame draws it.
    expect([first >= 0, frames[first]?.announce, drawn > first]).toEqual([true, false, true]);
    // The box kept its height meanwhile (one row of options at this width): nothing below it moved.
    const kept = frames[first]?.boxHeight ?? 0;
    const final = (await living.locator("yss-announce-box").boundingBox())?.height ?? 0;
    expect(Math.abs(final - kept)).toBeLessThan(1);
    await page.close();
  }, 30_000);

  it("shows the panel with 'Loading…' when the players are slow to answer, then the players", async () => {
    const page = await stack.browser.newPage();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/players", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${stack.proxy.url}#players`);
    // The tabs and the busy line are drawn while the players' answer is still held back.
    await page.getByRole("link", {name: "Players"}).waitFor({timeout: 5000});
    await page.locator("yss-players-view [aria-busy=true]", {hasText: "Loading…"}).waitFor();
    expect(await page.locator("yss-player-card").count()).toBe(0);
    release();
    await page.locator("yss-player-card h2", {hasText: "Living Room"}).waitFor();
    await page.close();
  }, 30_000);
});
