import path from "node:path";
import type {BrowserContext} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import {DmrLikeDevice, trackServer} from "../helpers/dmrDevice.js";
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

describe.skipIf(!chromium.path)("what a renderer's queue plays, on the Players view", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows each track's title on the player's card as it starts, at 360 and 1280 px", async () => {
    // The renderer's address as the welcome gives it (the demo answers on this machine only).
    const port = /DLNA renderers: port (\d+)/.exec(demo.printed)?.[1];
    expect(port).toBeDefined();
    const tracks = await trackServer({moon: {seconds: 3}, star: {seconds: 3}});
    const pages = await Promise.all(
      [360, 1280].map((width) => openPage(browser, `${proxy.url}#players`, width, problems)),
    );
    // The cast's track is the card's title line, where a card's chapter is: never the relay card's "Announcement".
    const songOf = (page: (typeof pages)[number]) =>
      page.locator("yss-player-card", {has: page.locator("h2", {hasText: "Bedroom Mini"})}).getByTestId("chapter");

    const dmr = await DmrLikeDevice.open(`http://127.0.0.1:${port}/upnp/${MINI}`);
    await dmr.setUri(tracks.url("moon"), "Moon Song", 3);
    await dmr.play();
    await dmr.setNext(tracks.url("star"), "Star Song", 3);
    for (const page of pages)
      await eventually(
        async () =>
          (await songOf(page)
            .innerText()
            .catch(() => "")) === "Moon Song",
        "the first title",
      );
    for (const page of pages)
      await eventually(
        async () =>
          (await songOf(page)
            .innerText()
            .catch(() => "")) === "Star Song",
        "the next title",
        15_000,
      );
    for (const [i, page] of pages.entries()) {
      expect(await overflow(page)).toBe(0);
      await page.screenshot({path: path.join(SHOTS, `cast-title-${i === 0 ? 360 : 1280}.png`)});
    }
    await dmr.ok("Stop");
    expect(problems).toEqual([]);
  }, 90_000);
});
