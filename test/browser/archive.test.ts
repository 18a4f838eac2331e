import {readFile} from "node:fs/promises";
import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import type {TestApp} from "../helpers/app.js";
import {makeTone} from "../helpers/audio.js";
import {eventually, findChromium, launchBrowser, openPage, overflow} from "../helpers/browser.js";
import {startSimulator} from "../helpers/cloud.js";
import {type ArchiveStack, archiveStack} from "../helpers/familyArchive.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {SHOTS} from "../helpers/panelStack.js";
import {tempDir} from "../helpers/tmp.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let sim: YotoSimulator;
let stack: ArchiveStack;
let t: TestApp;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: the view must not produce any but the ones a test causes. */
const problems: string[] = [];

interface Uploaded {
  /** `yoto:#<sha>`, as the card names it. */
  ref: string;
  bytes: number;
}

/** Real audio, put into the simulated Yoto's store as an upload would. */
async function upload(dir: string, name: string, seconds: number, frequency: number): Promise<Uploaded> {
  const bytes = await readFile(await makeTone(path.join(dir, `${name}.mp3`), {seconds, frequency, bitrate: "128k"}));
  return {ref: `yoto:#${sim.addMedia(bytes)}`, bytes: bytes.length};
}

/** A track as Yoto reads it back, with the file size it knows (the run's per-card total comes from it). */
const audioTrack = (key: string, title: string, audio: Uploaded, duration: number) => ({
  key,
  title,
  trackUrl: audio.ref,
  type: "audio" as const,
  format: "mp3",
  duration,
  fileSize: audio.bytes,
});

/** Each card's audio bytes: what the progress of the card being archived counts up to. */
const cardBytes: number[] = [];

/** The family's own cards: two with audio uploaded to Yoto, and a shop card, which is not archived. */
async function seedCards(dir: string): Promise<void> {
  const [fox, owl, hare, song] = await Promise.all([
    upload(dir, "fox", 30, 330),
    upload(dir, "owl", 25, 440),
    upload(dir, "hare", 20, 550),
    upload(dir, "song", 15, 660),
  ]);
  cardBytes.push(fox.bytes + owl.bytes + hare.bytes, song.bytes);
  sim.addCard({
    cardId: "gran01",
    title: "Grandma's stories",
    content: {
      chapters: [
        {
          key: "01",
          title: "Woodland",
          tracks: [audioTrack("01", "The fox", fox, 30), audioTrack("02", "The owl", owl, 25)],
        },
        {key: "02", title: "Meadow", tracks: [audioTrack("01", "The hare", hare, 20)]},
      ],
    },
  });
  sim.addCard({
    cardId: "trip01",
    title: "Road trip songs",
    content: {chapters: [{key: "01", title: "Songs", tracks: [audioTrack("01", "Wheels", song, 15)]}]},
  });
  sim.addStoreCard({
    cardId: "shop1",
    title: "A shop story",
    content: {chapters: [{key: "01-INT", title: "Intro", tracks: [audioTrack("01-INT", "Intro", fox, 30)]}]},
  });
}

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
    await seedCards(await tempDir("yss-archive-audio-"));
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
    expect(cardBytes).toContain(Number(await cardBar.getAttribute("aria-valuemax")));
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
    const cards = view.getByTestId("archive-cards").locator("button");
    await expect(cards.count()).resolves.toBe(2);
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

  it("opens a card: its chapters and tracks to hear, its history, and plays it as a stream", async () => {
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

    // Play as a stream, named: the Streams view has it.
    const actions = card.locator("yss-archive-actions");
    await actions.getByRole("textbox", {name: "Stream name (optional)"}).fill("grandma");
    await actions.getByRole("button", {name: "Play as a stream"}).click();
    const result = actions.getByTestId("stream-result");
    await result.filter({hasText: "Stream 'grandma' made with 3 tracks"}).waitFor();
    const stream = await api<{items: unknown[]}>("api/streams/grandma");
    expect(stream.items).toHaveLength(3);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "archive-card-360.png"), fullPage: true});
    await result.getByRole("link", {name: "Open Streams"}).click();
    await page.locator("yss-streams-view nav button", {hasText: "grandma"}).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

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
});

/** The view's way of writing a size, as a pattern (its last digit may round either way). */
function sizeRegExp(bytes: number): RegExp {
  const kb = bytes / 1024;
  const unit = kb >= 1024 ? "MB" : "KB";
  const value = unit === "MB" ? kb / 1024 : kb;
  return new RegExp(`${Math.floor(value)}(\\.\\d+)? ${unit}`);
}
