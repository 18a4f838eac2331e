import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import type {BrowserContext, Locator, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {makeTone} from "../helpers/audio.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import {taleEpisode as episode, FeedServer} from "../helpers/feedServer.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";
import {tempDir} from "../helpers/tmp.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const STREAM = "tales";
/** A private feed's token: it must never reach the screen. */
const TOKEN = "s3cretT0ken";
const LONG_TITLE =
  "Tale 3: The Extraordinarily Long Journey of the Very Sleepy Dragon Across the Seven Misty Mountains";

let stack: PanelStack;
let proxy: IngressProxy;
let browser: BrowserContext;
let feed: FeedServer;
/** An episode host that holds its answer until the test lets it go: the download is seen under way. */
let slow: http.Server;
let slowUrl: string;
let slowAudio: Buffer;
const slowWaiting: Array<() => void> = [];
let slowOpen = false;
let slowRequested = false;
/** Let the held episode go (and any later request through at once). */
const releaseSlow = () => {
  slowOpen = true;
  for (const send of slowWaiting.splice(0)) send();
};
/** Page errors and failed requests: the panel must not produce any but the ones a test asks for. */
const problems: string[] = [];

async function openStreams(width: number): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#streams`, width, problems);
  await page.locator("yss-stream-editor h2").first().waitFor();
  return page;
}

const box = (page: Page): Locator => page.locator("yss-feed-box");

async function episodeTitles(page: Page): Promise<string[]> {
  return (await box(page).locator(".episode .title").allInnerTexts()).map((t) => t.trim());
}

async function showsEpisodes(page: Page, titles: string[], what: string, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => JSON.stringify(await episodeTitles(page)) === JSON.stringify(titles),
    `${what}: ${titles.join(", ")}`,
    timeoutMs,
  );
}

/** The text a component shows, through its shadow roots (innerText stops at them), without its styles. */
async function shownText(locator: Locator): Promise<string> {
  // Runs in the page; the tests are compiled without DOM types, hence the loose node type.
  type Node = {
    nodeType: number;
    nodeName: string;
    textContent: string | null;
    shadowRoot?: Node | null;
    childNodes: ArrayLike<Node>;
  };
  const text = await locator.evaluate((root: unknown) => {
    let out = "";
    const stack: Node[] = [root as Node];
    while (stack.length) {
      const n = stack.pop() as Node;
      if (n.nodeType === 3) out += n.textContent ?? "";
      else if (n.nodeName !== "STYLE") stack.push(...Array.from((n.shadowRoot ?? n).childNodes).reverse());
    }
    return out;
  });
  return text.replace(/\s+/g, " ").trim();
}

describe.skipIf(!chromium.path)("podcast feeds in the panel, in Chromium", () => {
  beforeAll(async () => {
    feed = new FeedServer();
    await feed.start();
    const dir = await tempDir("yss-feed-panel-");
    for (const n of [1, 3, 4])
      feed.files.set(
        `/audio/${n}.mp3`,
        await makeTone(path.join(dir, `${n}.mp3`), {seconds: 1, frequency: 300 + n * 100}),
      );
    feed.files.set("/audio/page.html", Buffer.from("<html><body>Our new episode is out!</body></html>"));
    slowAudio = await readFile(await makeTone(path.join(dir, "slow.mp3"), {seconds: 1, frequency: 900}));
    slow = http.createServer((_req, res) => {
      slowRequested = true;
      const send = () => res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(slowAudio);
      if (slowOpen) send();
      else slowWaiting.push(send);
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow.mp3`;

    stack = await startPanelStack(chromium.path as string);
    ({proxy, browser} = stack);
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    releaseSlow();
    slow?.closeAllConnections();
    await new Promise((resolve) => slow?.close(resolve));
    await feed?.stop();
    expect(await stack?.stop()).toBe(0);
  });

  it("follows a feed from the form (1280 px), shows its episodes, and refreshes with a progress bar", async () => {
    feed.episodes = [
      episode(1),
      episode(2, {title: "Not audio", path: "/audio/page.html"}),
      episode(3, {title: LONG_TITLE}),
    ];
    feed.bump();
    const page = await openStreams(1280);
    await page.locator("summary", {hasText: "Follow a podcast"}).click();
    const form = page.locator("yss-feed-follow");
    await form.getByLabel("Stream name").fill(STREAM);
    await form.getByLabel("Feed address").fill(`${feed.url}/feed.xml?token=${TOKEN}`);
    await form.getByLabel("Keep").fill("4");
    await form.getByLabel("Order").selectOption({label: "Newest first"});
    await form.getByRole("button", {name: "Follow"}).click();

    // The new stream is selected, and its episodes arrive live (no reload of the page).
    await page.locator("yss-stream-editor h2", {hasText: STREAM}).waitFor();
    await box(page).locator("h3", {hasText: "Bedtime Tales"}).waitFor({timeout: 30_000});
    await showsEpisodes(page, [LONG_TITLE, "Tale 1"], "the first episodes");
    const text = await shownText(box(page));
    expect(text).toContain(`${feed.url}/feed.xml`);
    expect(text).toContain("Keeps the newest 4 · Newest first · looks every 1 h");
    expect(text).toMatch(/Last refreshed just now · last checked just now/);
    expect(text).toMatch(/Nov \d+, 2026 · 10:00/);
    // The page that is not audio is listed with its reason, and said in the alert.
    await box(page).locator(".skipped li", {hasText: "Not audio"}).waitFor();
    expect(await box(page).getByRole("alert").innerText()).toMatch(/^1 episode could not be added: 'Not audio'/);
    const editor = await shownText(page.locator("yss-stream-editor"));
    expect(editor).not.toContain(TOKEN);
    expect(editor).not.toMatch(/newest_first|oldest_first|uploads\/|feeds\//);
    expect(await shownText(page.locator("yss-streams-view nav"))).toMatch(/tales \(2\)\s*podcast/);

    // The same at phone width: the long title and the skipped episode's reason wrap.
    await page.setViewportSize({width: 360, height: 900});
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "streams-feed-skipped-360.png"), fullPage: true});
    await page.setViewportSize({width: 1280, height: 900});

    // A new episode, held on its way: the button is busy and the bar says what is downloading. (The
    // page that is not audio leaves the feed: it would be tried again alongside.)
    feed.episodes = [episode(1), episode(3, {title: LONG_TITLE}), episode(4)];
    feed.feedBody = feed.rss().replace(`${feed.url}/audio/4.mp3`, slowUrl);
    feed.bump();
    await box(page).getByRole("button", {name: "Refresh now"}).click();
    await box(page).getByRole("button", {name: "Refreshing…"}).waitFor();
    expect(await box(page).getByRole("button", {name: "Refreshing…"}).getAttribute("aria-busy")).toBe("true");
    const bar = box(page).getByRole("progressbar", {name: "Downloading 1 of 1: Tale 4"});
    await bar.waitFor({timeout: 15_000});
    expect(slowRequested).toBe(true);
    expect(await bar.getAttribute("max")).toBe("1");
    await page.screenshot({path: path.join(SHOTS, "streams-feed-progress-1280.png"), fullPage: true});
    releaseSlow();
    await showsEpisodes(page, ["Tale 4", LONG_TITLE, "Tale 1"], "the new episode first");
    await box(page).getByRole("button", {name: "Refresh now"}).waitFor();
    await bar.waitFor({state: "detached"});
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "streams-feed-1280.png"), fullPage: true});
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);

  it("works on a phone (360 px) by keyboard: a failing feed says why and keeps its episodes, form errors in the API's words", async () => {
    const page = await openStreams(360);
    const pick = page.locator("yss-streams-view nav button", {hasText: STREAM});
    await pick.focus();
    await page.keyboard.press("Enter");
    await box(page).locator("h3", {hasText: "Bedtime Tales"}).waitFor();
    await showsEpisodes(page, ["Tale 4", LONG_TITLE, "Tale 1"], "the episodes");

    // The feed breaks: the refresh says why, in the alert, and the episodes stay.
    feed.feedStatus = 500;
    feed.bump();
    await box(page).getByRole("button", {name: "Refresh now"}).focus();
    await page.keyboard.press("Enter");
    await box(page)
      .getByRole("alert")
      .filter({hasText: `${feed.url}/feed.xml answered 500`})
      .waitFor({timeout: 30_000});
    await box(page).getByRole("button", {name: "Refresh now"}).waitFor();
    expect(await episodeTitles(page)).toEqual(["Tale 4", LONG_TITLE, "Tale 1"]);
    expect(await shownText(box(page))).not.toContain(TOKEN);
    expect(await shownText(box(page))).toMatch(/Last refreshed (just now|1 minute ago) · last checked just now/);

    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const rect = await box(page).boundingBox();
    expect(rect && rect.x >= 0 && rect.x + rect.width <= 360).toBe(true);
    await page.screenshot({path: path.join(SHOTS, "streams-feed-360.png"), fullPage: true});
    await box(page).screenshot({path: path.join(SHOTS, "streams-feed-box-360.png")});

    // Seen without opening the stream (issue 35): the list marks it, and the Health page lists it
    // as a problem with what to check, instead of "Everything is working".
    const failure = `${feed.url}/feed.xml answered 500`;
    await pick.getByTestId("feed-error").filter({hasText: failure}).waitFor();
    expect(await pick.locator(".chip.bad").innerText()).toBe("feed failing");
    const health = await openPage(browser, `${proxy.url}#health`, 360, problems);
    const view = health.locator("yss-health-view");
    await view.getByTestId("attention").waitFor();
    expect(await view.getByTestId("status").innerText()).toBe("Working, with problems");
    expect((await view.getByTestId("attention").innerText()).split("\n")).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^The podcast feed of stream '${STREAM}' has failed for (less than a minute|\\d+ minutes?): ${failure.replaceAll(".", "\\.")}\\. The podcast's server has a problem: the feed is tried again at every refresh\\.$`,
        ),
      ),
    );
    const row = view.getByTestId("feeds").locator(`[data-feed="${STREAM}"]`);
    expect((await row.innerText()).split("\n").map((l) => l.trim())).toEqual([
      STREAM,
      expect.stringMatching(/^Failing since (just now|\d+ minutes? ago)$/),
      failure,
      "The podcast's server has a problem: the feed is tried again at every refresh.",
    ]);
    expect(await shownText(view)).not.toContain(TOKEN);
    expect(await overflow(health)).toBeLessThanOrEqual(0);
    await health.screenshot({path: path.join(SHOTS, "health-failing-feed-360.png"), fullPage: true});
    await health.close();

    // The follow form, by keyboard: the service's refusal as it words it.
    const summary = page.locator("summary", {hasText: "Follow a podcast"});
    await summary.focus();
    await page.keyboard.press("Enter");
    const form = page.locator("yss-feed-follow");
    await form.getByLabel("Stream name").fill("more-tales");
    await form.getByLabel("Feed address").fill("ftp://example.com/feed.xml");
    await form.getByLabel("Feed address").press("Enter");
    await form.getByRole("alert").filter({hasText: "feed.url must be the feed's http(s) address"}).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.locator("yss-streams-view nav").screenshot({path: path.join(SHOTS, "streams-feed-follow-360.png")});
    await page.close();
    // The refused follow's 400 is the only failed request.
    expect(problems.filter((p) => !p.startsWith("400 PUT"))).toEqual([]);
    feed.feedStatus = undefined;
  }, 90_000);

  it("hides an episode from its queue row, lists it as hidden, and brings it back with Unhide", async () => {
    problems.length = 0;
    const page = await openStreams(1280);
    await page.locator("yss-streams-view nav button", {hasText: STREAM}).click();
    await showsEpisodes(page, ["Tale 4", LONG_TITLE, "Tale 1"], "the episodes");
    const queue = page.locator("yss-queue-editor");
    await queue.getByRole("button", {name: "Hide episode Tale 1"}).click();
    const hidden = box(page).getByRole("list", {name: "Hidden episodes"});
    await hidden.getByText("Tale 1").waitFor();
    await showsEpisodes(page, ["Tale 4", LONG_TITLE], "the episodes without the hidden one");
    expect(await queue.getByRole("button", {name: /^Hide episode /}).count()).toBe(2);
    await page.screenshot({path: path.join(SHOTS, "streams-feed-hidden-1280.png"), fullPage: true});

    await box(page).getByRole("button", {name: "Unhide Tale 1"}).click();
    await showsEpisodes(page, ["Tale 4", LONG_TITLE, "Tale 1"], "the episode back");
    await hidden.waitFor({state: "detached"});
    await queue.getByRole("button", {name: "Hide episode Tale 1"}).waitFor();
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);
});
