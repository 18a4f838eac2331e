import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import type {ChildrenList, ChildShelf, ChildView, PlayersList} from "../../src/shared/api/index.js";
import {eventually, findChromium, overflow} from "../helpers/browser.js";
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

/** The demo's Bedroom Mini, Mia's player here. */
const MINI = "y2m8rj5tnw4h9f1g7e3k6aqp";
const SIZES = [
  [1280, 800],
  [800, 1280],
  [360, 740],
] as const;
/** What the shelf holds: two cards, the demo's stream, story radio, and a card that is gone. */
const SHELF = ["dShp1", "dFam1", "stream:demo", "story-radio", "A card given away"];
const TITLES = ["The Owl Who Hummed", "Grandma's songs", "Demo", "Story radio"];

async function api<T>(method: string, pathname: string, body?: object): Promise<{status: number; body: T}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {status: res.status, body: (text ? JSON.parse(text) : undefined) as T};
}

const mini = async () => (await api<PlayersList>("GET", "api/players")).body.players.find((p) => p.id === MINI);

/** "HH:MM" on the family's clock, `ms` from now. */
async function familyClock(ms: number): Promise<string> {
  const {timeZone} = (await api<ChildrenList>("GET", "api/children")).body;
  return new Intl.DateTimeFormat("en-GB", {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone}).format(
    Date.now() + ms,
  );
}

/** The child's page through the ingress-like proxy, at a size; speech is recorded, not spoken. */
async function openChild(name: string, [width, height]: readonly [number, number], query = ""): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({width, height});
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    if (res.status() >= 400 && res.status() !== 429)
      problems.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  await page.addInitScript(RECORD_SPEECH);
  await page.goto(`${proxy.url}child/${encodeURIComponent(name)}${query}`);
  return page;
}

/** Every control in the page's shadow roots, with the name a screen reader would give it, and its size. */
function controls(page: Page): Promise<Array<{tag: string; name: string; width: number; height: number}>> {
  return page.evaluate(`(() => {
    const found = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (!["BUTTON", "A", "INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) continue;
        const img = el.querySelector("img");
        const name = el.getAttribute("aria-label") ?? img?.getAttribute("alt") ?? el.textContent.trim();
        const box = el.getBoundingClientRect();
        found.push({tag: el.tagName, name, width: box.width, height: box.height});
      }
    };
    walk(document);
    return found;
  })()`);
}

/** Speech as the page asks for it, recorded in \`window.spoken\` rather than said. */
const RECORD_SPEECH = `(() => {
  const spoken = [];
  window.spoken = spoken;
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: class { constructor(text) { this.text = text; } }, configurable: true});
  Object.defineProperty(window, "speechSynthesis", {value: {speak: (u) => spoken.push(u.text), cancel: () => undefined}, configurable: true});
})()`;

const spoken = (page: Page) => page.evaluate<string[]>("window.spoken");

describe.skipIf(!chromium.path)("the child's page", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    const saved = await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: SHELF});
    expect(saved.status).toBe(200);
    expect((await api("PUT", "api/children/Ben", {players: ["Living Room"], shelf: ["dShp1"]})).status).toBe(200);
    await eventually(async () => {
      const shelf = (await api<ChildShelf>("GET", "api/children/Mia/shelf")).body;
      return shelf.items.length === 4;
    }, "Mia's shelf with its story radio");
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("shows only the child's items as covers that load, every control named and big, at three sizes", async () => {
    for (const size of SIZES) {
      const page = await openChild("Mia", size);
      const tiles = page.locator("yss-child-page li button.tile");
      await eventually(async () => (await tiles.count()) === 4, "Mia's four tiles");
      const alts = await page
        .locator("yss-child-page li img")
        .evaluateAll((imgs) => imgs.map((img) => img.getAttribute("alt")));
      expect(alts).toEqual(TITLES);
      await eventually(
        () =>
          page
            .locator("yss-child-page li img")
            .evaluateAll((imgs) => imgs.every((img) => (img as unknown as {naturalWidth: number}).naturalWidth > 0)),
        "every cover loaded",
      );
      const all = await controls(page);
      expect(all.filter((c) => c.tag !== "BUTTON")).toEqual([]);
      expect(all.filter((c) => c.name === "")).toEqual([]);
      expect(all.filter((c) => c.width > 0 && (c.width < 96 || c.height < 96))).toEqual([]);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({path: path.join(SHOTS, `child-shelf-${size[0]}x${size[1]}.png`)});
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 90_000);

  it("plays a tapped cover on the child's player, says a held one's title, and shows what plays live", async () => {
    const page = await openChild("Mia", SIZES[2]);
    const owl = page.getByRole("button", {name: "The Owl Who Hummed"});
    await owl.waitFor();
    // Held: the title is said, nothing is played.
    const box = await owl.boundingBox();
    await page.mouse.move((box?.x ?? 0) + 40, (box?.y ?? 0) + 40);
    await page.mouse.down();
    await eventually(async () => (await spoken(page)).includes("The Owl Who Hummed"), "the title said");
    await page.mouse.up();
    expect((await mini())?.playback.cardId).not.toBe("dShp1");

    // Tapped (a toddler's double tap): it plays, once.
    await owl.click({clickCount: 2});
    await eventually(async () => (await mini())?.playback.cardId === "dShp1", "the owl card on the Bedroom Mini");
    await page.locator("yss-child-now").getByRole("button", {name: "Pause"}).waitFor();
    await eventually(
      async () => (await owl.getAttribute("aria-pressed")) === "true",
      "the owl's cover marked as playing",
    );
    await page.locator("yss-child-now").getByRole("button", {name: "Pause"}).click();
    await eventually(async () => (await mini())?.playback.status === "paused", "paused from the page");
    await page.locator("yss-child-now").getByRole("button", {name: "Play"}).waitFor();
    // Its cover paused (a broken ring); a tap on it goes on, a tap while it plays pauses it: the same card, never restarted.
    await eventually(async () => /\bpaused\b/.test((await owl.getAttribute("class")) ?? ""), "the owl's cover paused");
    const tapUntil = (status: string) =>
      eventually(async () => {
        // A tap within the cool-down of the last is "busy" and does nothing: tap again until it is taken.
        if ((await mini())?.playback.status === status) return true;
        await owl.click();
        return false;
      }, `the owl ${status} by a tap on its cover`);
    await tapUntil("playing");
    await tapUntil("paused");
    expect((await mini())?.playback.cardId).toBe("dShp1");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("says a Yoto that is off with a picture, and comes back when it is on", async () => {
    const simUrl = demo.printed.match(/Yoto cloud simulator: (\S+)/)?.[1] ?? "";
    const page = await openChild("Mia", SIZES[2]);
    await page.locator("yss-child-page li button.tile").first().waitFor();
    const power = (online: boolean) =>
      fetch(`${simUrl}/sim/players/${MINI}/online`, {method: "POST", body: JSON.stringify({online})});
    expect((await power(false)).status).toBe(200);
    await page.getByRole("img", {name: "The Yoto is off"}).waitFor();
    expect(await page.locator("yss-child-page li").count()).toBe(0);
    expect((await power(true)).status).toBe(200);
    await page.locator("yss-child-page li button.tile").first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("turns to sleep at bedtime, and one more story waits for the parent's Allow on the Family page", async () => {
    const page = await openChild("Mia", SIZES[0]);
    await page.locator("yss-child-page li button.tile").first().waitFor();
    // Bedtime a minute ago, until an hour ago tomorrow: the open page goes to sleep by itself.
    const night = {bedtime: await familyClock(-60_000), wake: await familyClock(-3_600_000)};
    const schedule = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
    expect((await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: SHELF, schedule})).status).toBe(
      200,
    );
    const sleep = page.locator("yss-child-sleep section");
    await sleep.waitFor();
    expect(await sleep.getAttribute("aria-label")).toBe(`Sleeping until ${night.wake.replace(/^0/, "")}`);
    expect(await page.locator("yss-child-page li").count()).toBe(0);
    // One screen: nothing to scroll to.
    expect(
      await page.evaluate<number>("document.documentElement.scrollHeight - window.innerHeight"),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "child-sleep-1280x800.png")});

    await page.getByRole("button", {name: "One more story"}).click();
    await page.getByRole("button", {name: "Asked for one more story: waiting"}).waitFor();
    // The hourglass shows from the press; the request is there once the service has answered it.
    await eventually(
      async () => (await api<ChildView>("GET", "api/children/Mia")).body.request !== null,
      "the request",
    );
    expect((await api<ChildView>("GET", "api/children/Mia")).body.request).toMatchObject({
      child: "Mia",
      reason: "bedtime",
    });

    // The parent answers on the Family page; the child's page comes back to the shelf without a reload.
    const family = await browser.newPage();
    await family.goto(`${proxy.url}#family`);
    const request = family.locator("yss-child-card[data-child=Mia]").getByTestId("request");
    await request.getByRole("button", {name: "Allow"}).click();
    await page.locator("yss-child-page li button.tile").first().waitFor({timeout: 15_000});
    expect((await api<ChildView>("GET", "api/children/Mia")).body.bonus).not.toBeNull();
    await family.close();
    expect((await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: SHELF})).status).toBe(200);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("is edited on the Family page: what is gone marked with why, a search adds, the order kept on save", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({width: 360, height: 740});
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await page.goto(`${proxy.url}#family`);
    await page.locator("yss-child-card[data-child=Mia]").getByRole("button", {name: "Edit plan"}).click();
    const shelf = page.locator("yss-shelf-editor");
    await shelf.getByRole("list", {name: "Mia's shelf"}).locator("li").nth(4).waitFor();
    await shelf.getByText("missing: is not among the family's cards now", {exact: false}).waitFor();
    await shelf.getByRole("button", {name: "Take the missing card 'A card given away' off the shelf"}).click();
    await shelf.getByRole("button", {name: "Move Demo (stream) up"}).click();
    await shelf.getByLabel("Search what to put on the shelf").fill("sleepy");
    await shelf.getByRole("button", {name: "Put The Sleepy Dragon (story) on the shelf"}).first().click();
    await page.locator("yss-plan-editor").getByRole("button", {name: "Save plan"}).click();
    await page.locator("yss-plan-editor").getByRole("status").filter({hasText: "Saved"}).waitFor();
    const saved = (await api<ChildView>("GET", "api/children/Mia")).body.plan.shelf ?? [];
    expect(saved.slice(0, 4)).toEqual(["dShp1", "stream:demo", "dFam1", "story-radio"]);
    expect(saved).toHaveLength(5);
    expect(saved[4]).toBe("story:sleepy_dragon");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    expect((await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf: SHELF})).status).toBe(200);
    await page.close();
  }, 60_000);

  it("keeps a tablet locked to one child, away from the panel, until a parent unlocks it", async () => {
    const page = await openChild("Mia", SIZES[1], "?lock");
    await page.locator("yss-child-page li button.tile").first().waitFor();
    expect(new URL(page.url()).search).toBe("");
    for (const elsewhere of ["", "child/Ben", "child/"]) {
      await page.goto(`${proxy.url}${elsewhere}`);
      await page.waitForURL((url) => url.pathname.endsWith("/child/Mia"));
      await page.locator("yss-child-page li button.tile").first().waitFor();
    }
    await page.goto(`${proxy.url}child/Mia?unlock`);
    // Ben's shelf emptied: a picture that says so, not a blank page.
    expect((await api("PUT", "api/children/Ben", {players: ["Living Room"]})).status).toBe(200);
    await page.goto(`${proxy.url}child/Ben`);
    await page.getByRole("img", {name: "Nothing on the shelf yet"}).waitFor();
    await page.goto(`${proxy.url}child/Nobody`);
    // Not locked: a name that is nobody offers the children there are, by their faces.
    await page.getByRole("link", {name: "Mia"}).waitFor();
    await page.goto(proxy.url);
    await page.locator("yss-panel").waitFor();
    expect(new URL(page.url()).pathname.endsWith("/child/Mia")).toBe(false);
    expect(problems.filter((p) => !p.includes("/api/children/Nobody/shelf"))).toEqual([]);
    await page.close();
  }, 60_000);
});
