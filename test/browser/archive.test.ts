import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import type {TestApp} from "../helpers/app.js";
import {addGrandmasStories, audioTrack, type PanelCards, seedPanelCards, uploadTone} from "../helpers/archiveCards.js";
import {eventually, findChromium, launchBrowser, openPage, overflow} from "../helpers/browser.js";
import {startSimulator} from "../helpers/cloud.js";
import {type ArchiveStack, archiveStack} from "../helpers/familyArchive.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {SHOTS} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let sim: YotoSimulator;
let stack: ArchiveStack;
let cards: PanelCards;
let t: TestApp;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: the view must not produce any but the ones a test causes. */
const problems: string[] = [];

async function openArchive(width: number): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#archive`, width, problems);
  await page.locator("yss-archive-view").getByTestId("archive-totals").waitFor();
  return page;
}

async function api<T>(route: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${t.adminUrl}/${route}`, init);
  expect(res.ok, `${route}: ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

describe.skipIf(!chromium.path)("the Archive view", () => {
  beforeAll(async () => {
    sim = await startSimulator();
    cards = await seedPanelCards(sim);
    stack = await archiveStack(["--archive_nightly", "02:30"], {sim});
    t = stack.t;
    proxy = await startIngressProxy(t.adminUrl);
    browser = await launchBrowser(chromium.path as string);
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await stack?.stop();
    await sim?.stop();
  });

  it("archives the family's cards from 'Archive now' with a progress bar, then lists them with their sizes", async () => {
    const page = await openArchive(360);
    const view = page.locator("yss-archive-view");
    await view.getByTestId("archive-totals").filter({hasText: "0 cards"}).waitFor();
    await expect(view.getByTestId("not-archived").innerText()).resolves.toMatch(/\w/);
    await view.getByTestId("archive-schedule").filter({hasText: "every night at 02:30"}).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // Slow enough to see the run under way; sped up again once it has been seen.
    sim.mediaBytesPerSecond = 64 * 1024;
    await view.getByRole("button", {name: "Archive now"}).click();
    const bar = view.getByRole("progressbar", {name: "Cards archived"});
    await bar.waitFor();
    await eventually(async () => (await bar.getAttribute("aria-valuemax")) === "2", "two cards to look at");
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBeGreaterThanOrEqual(0);
    await view.getByTestId("archive-current").waitFor();
    const cardBar = view.getByRole("progressbar", {name: "This card's files"});
    expect(cards.cardBytes).toContain(Number(await cardBar.getAttribute("aria-valuemax")));
    await eventually(
      async () => /[1-9][\d.]* (KB|MB) downloaded/.test(await view.getByTestId("archive-progress").innerText()),
      "bytes downloaded shown",
    );
    await expect(view.getByRole("button", {name: "Archiving…"}).getAttribute("aria-disabled")).resolves.toBe("true");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "archive-running-360.png"), fullPage: true});
    sim.mediaBytesPerSecond = undefined;

    // Done: the progress gives way to the last run, and the cards are listed with their sizes.
    await view.getByTestId("last-run-state").filter({hasText: "Done"}).waitFor({timeout: 30_000});
    await bar.waitFor({state: "detached"});
    await view.getByTestId("archive-totals").filter({hasText: "2 cards"}).waitFor();
    const rows = view.getByTestId("archive-cards").locator("button");
    await expect(rows.count()).resolves.toBe(2);
    const gran = view.locator("button[data-card=gran01]");
    const granText = (await gran.innerText()).replace(/\s+/g, " ");
    expect(granText).toContain("Grandma's stories");
    expect(granText).toMatch(/ · \d[\d.]* (KB|MB) · /);
    expect(granText).toMatch(/2 chapters, 3 tracks, 1:1[45]/);
    // Only the family's own cards: the shop card is not archived.
    expect(await view.locator("button[data-card=shop1]").count()).toBe(0);
    const {cards: listed, totalBytes} = await api<{cards: Array<{cardId: string; bytes: number}>; totalBytes: number}>(
      "api/archive",
    );
    expect(listed.map((c) => c.cardId).sort()).toEqual(["gran01", "trip01"]);
    await view
      .getByTestId("archive-totals")
      .filter({hasText: sizeRegExp(totalBytes)})
      .waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("opens a card: its chapters and tracks to hear, its history, and plays it from the archive", async () => {
    const page = await openArchive(360);
    const view = page.locator("yss-archive-view");
    await view.locator("button[data-card=gran01]").click();
    const card = view.locator("yss-archive-card");
    await card.getByRole("heading", {name: "Grandma's stories"}).waitFor();
    await card.getByTestId("archive-chapters").waitFor();
    await expect(card.getByRole("list", {name: "Tracks of Woodland"}).locator("li").count()).resolves.toBe(2);
    await card.getByTestId("archive-history").filter({hasText: "New"}).waitFor();

    // The archived audio is heard from home, with byte ranges.
    await card.getByRole("button", {name: "Hear The fox"}).click();
    const audio = card.getByRole("list", {name: "Tracks of Woodland"}).locator("audio");
    const src = await audio.getAttribute("src");
    expect(src).toMatch(/^api\/archive\/files\/[0-9a-f]{64}$/);
    const ranged = await fetch(new URL(src as string, proxy.url), {headers: {Range: "bytes=0-1"}});
    await ranged.arrayBuffer();
    expect(ranged.status).toBe(206);
    await eventually(
      () =>
        audio.evaluate((a) => {
          const seconds = (a as unknown as {duration: number}).duration;
          return Number.isFinite(seconds) && seconds > 25;
        }),
      "the preview's length read from the archived file",
    );
    await card.getByRole("button", {name: "Stop The fox"}).click();
    await audio.waitFor({state: "detached"});

    // Played from the archive, unnamed: the stream is named after the card, and the answer comes
    // before any track is made; they come in under it, live, and the Streams view has it.
    const actions = card.locator("yss-archive-actions");
    await actions.getByRole("heading", {name: "Play from the archive"}).waitFor();
    expect(await actions.getByRole("button", {name: "Play as a stream"}).count()).toBe(0);
    await actions.getByText("Left unnamed, it is named after the card.").waitFor();
    await actions.getByRole("button", {name: "Make it playable"}).click();
    const result = actions.getByTestId("stream-result");
    await result
      .filter({
        hasText:
          "Stream 'grandmas-stories' made with 3 tracks. Its tracks join it as they are made; a player that starts it now waits for the first.",
      })
      .waitFor();
    const adding = result.getByRole("status").filter({hasText: /Adding tracks: \d of 3/});
    await adding.waitFor();
    // Each is an ffmpeg pass, slow on a busy machine: the bar goes when the last is in.
    await adding.waitFor({state: "detached", timeout: 45_000});
    // All in: the answer no longer says they are on their way.
    expect(await result.locator("yss-alert span").innerText()).toBe("Stream 'grandmas-stories' made with 3 tracks.");
    type Made = {items: unknown[]; adding: {under_way: boolean; failed: unknown[]} | null};
    const made = await api<Made>("api/streams/grandmas-stories");
    expect(made.adding?.failed ?? []).toEqual([]);
    expect(made.items).toHaveLength(3);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "archive-card-360.png"), fullPage: true});
    await result.getByRole("link", {name: "Open Streams"}).click();
    await page.locator("yss-streams-view nav button", {hasText: "grandmas-stories"}).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("restores a card as a new card, shows it working, then Yoto's copy checked against the archive", async () => {
    const page = await openArchive(1280);
    const view = page.locator("yss-archive-view");
    await view.locator("button[data-card=trip01]").click();
    const actions = view.locator("yss-archive-actions");
    await actions.getByRole("radio", {name: "As a new card"}).check();
    await actions.getByRole("radio", {name: "Uploaded to Yoto"}).check();
    await actions.getByRole("button", {name: "Restore"}).click();
    await actions.getByRole("button", {name: "Restoring…"}).waitFor();
    const result = actions.getByTestId("restore-result");
    await result.filter({hasText: "Yoto's copy matches the archive: 1 chapter, 1 track"}).waitFor({timeout: 60_000});
    const cardId = await result.getAttribute("data-card");
    expect(cardId).toBeDefined();
    expect(cardId).not.toBe("trip01");
    expect(sim.card(cardId as string)?.title).toBe("Road trip songs");

    // Over the card it came from asks first; saying no sends nothing.
    let asked = "";
    page.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await actions.getByRole("radio", {name: "Over the card it came from"}).check();
    await actions.getByRole("button", {name: "Restore"}).click();
    await eventually(async () => asked.includes("Road trip songs"), "the confirmation");
    await expect(actions.getByRole("button", {name: "Restore"}).getAttribute("aria-disabled")).resolves.toBe("false");
    await page.screenshot({path: path.join(SHOTS, "archive-restored.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("shows what a later run found: changes in words, a card deleted at Yoto kept and marked, a card it could not fetch", async () => {
    // The family edits Grandma's stories (a track added, one renamed), deletes the road trip card,
    // and makes a card whose audio Yoto serves damaged.
    const [bear, tape] = await Promise.all([uploadTone(sim, "bear", 10, 770), uploadTone(sim, "tape", 5, 880)]);
    addGrandmasStories(sim, cards, "The old owl", [audioTrack("01", "The bear", bear, 10)]);
    sim.removeCard("trip01");
    sim.addCard({
      cardId: "tape01",
      title: "Lost tapes",
      content: {chapters: [{key: "01", title: "Tapes", tracks: [audioTrack("01", "Side A", tape, 5)]}]},
    });
    sim.corruptMedia(tape.sha);

    const page = await openArchive(360);
    const view = page.locator("yss-archive-view");
    const before = await api<{lastRun?: {startedAt: string}}>("api/archive");
    await view.getByRole("button", {name: "Archive now"}).click();
    await eventually(
      async () => {
        const {lastRun, running} = await api<{lastRun?: {startedAt: string}; running?: unknown}>("api/archive");
        return !running && lastRun !== undefined && lastRun.startedAt !== before.lastRun?.startedAt;
      },
      "the run to end",
      30_000,
    );
    const {lastRun} = await api<{lastRun: {state: string; changes: Array<{title: string; summary: string}>}}>(
      "api/archive",
    );
    expect(lastRun.state).toBe("partial");
    await view.getByTestId("last-run-state").filter({hasText: "Done, with problems"}).waitFor();
    const changes = view.getByTestId("run-changes");
    for (const change of lastRun.changes)
      await changes.locator("li", {hasText: `${change.title}: ${change.summary}`}).waitFor();
    const granChange = lastRun.changes.find((c) => c.title === "Grandma's stories")?.summary;
    expect(granChange).toMatch(/1 track added.*1 renamed/);
    await view.getByTestId("run-problems").locator("li", {hasText: "Lost tapes"}).waitFor();

    // The list follows: Grandma's stories says what changed last; the road trip card is kept, marked.
    await view.locator("button[data-card=gran01]", {hasText: `Last change: ${granChange}`}).waitFor();
    const trip = view.locator("button[data-card=trip01]");
    await trip.locator(".chip", {hasText: /^Deleted at Yoto on /}).waitFor();
    expect(await view.locator("button[data-card=tape01]").count()).toBe(0);
    await trip.click();
    const card = view.locator("yss-archive-card");
    await card.getByRole("heading", {name: "Road trip songs"}).waitFor();
    await card.getByTestId("archive-history").locator("li", {hasText: "Deleted at Yoto"}).waitFor();
    // There is no card at Yoto to write over any more.
    await expect(card.getByRole("radio", {name: /Over the card it came from/}).isDisabled()).resolves.toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "archive-changes-360.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("says a card that only streams is streamed, with no size or length it does not have", async () => {
    // A card of the family's whose one track streams from a web address: nothing to fetch, no length.
    sim.addCard({
      cardId: "live01",
      title: "Kitchen radio",
      content: {
        chapters: [
          {
            key: "01",
            title: "Live",
            tracks: [{key: "01", title: "Live", trackUrl: "https://radio.example.org/live.mp3", type: "stream"}],
          },
        ],
      },
    });
    const {run} = await api<{run: {state: string}}>("api/archive/run?wait=true", {method: "POST"});
    // The damaged tape of the test before is still refused: the run is partial, not failed.
    expect(run.state).toBe("partial");
    const page = await openArchive(360);
    const view = page.locator("yss-archive-view");
    const row = view.locator("button[data-card=live01]");
    await row.waitFor();
    expect((await row.locator(".facts").first().innerText()).trim()).toBe(
      "Archived just now · streamed · 1 chapter, 1 track",
    );
    await row.click();
    const card = view.locator("yss-archive-card");
    await card.getByRole("heading", {name: "Kitchen radio"}).waitFor();
    expect((await card.getByTestId("archive-facts").innerText()).trim()).toBe(
      "Archived just now · streamed · 1 chapter, 1 track",
    );
    const track = card.getByRole("list", {name: "Tracks of Live"}).locator("li");
    expect((await track.innerText()).replace(/\s+/g, " ").trim()).toBe("Live streamed");
    // A card with archived audio keeps its size and length.
    expect((await view.locator("button[data-card=gran01] .facts").first().innerText()).trim()).toMatch(
      / · \d[\d.]* (KB|MB) · 3 chapters, 4 tracks, 1:2\d$/,
    );
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});

/** The view's way of writing a size, as a pattern (its last digit may round either way). */
function sizeRegExp(bytes: number): RegExp {
  const kb = bytes / 1024;
  const unit = kb >= 1024 ? "MB" : "KB";
  const value = unit === "MB" ? kb / 1024 : kb;
  return new RegExp(`${Math.floor(value)}(\\.\\d+)? ${unit}`);
}
