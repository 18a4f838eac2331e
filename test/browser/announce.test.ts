import path from "node:path";
import type {BrowserContext, Locator, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

/** Living Room, as the demo's simulator names it. */
const LIVING = "Living Room";
const MINI = "Bedroom Mini";

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
let storyCard: string;
/** Page errors and failed requests: the panel must not produce any but the ones a test asks for. */
const problems: string[] = [];

interface PlayerView {
  id: string;
  name: string;
  playback: {status: string; cardId?: string};
}

async function players(): Promise<PlayerView[]> {
  return ((await (await fetch(`${demo.panelUrl}api/players`)).json()) as {players: PlayerView[]}).players;
}

async function player(name: string): Promise<PlayerView> {
  const found = (await players()).find((p) => p.name === name);
  if (!found) throw new Error(`no player '${name}'`);
  return found;
}

/** The story card on a player, straight through the admin API, and wait until it plays. */
async function playStory(name: string): Promise<void> {
  const {id} = await player(name);
  const res = await fetch(`${demo.panelUrl}api/players/${id}/commands`, {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-Requested-With": "yoto-smart-stream"},
    body: JSON.stringify({command: "play_card", cardId: storyCard}),
  });
  expect(res.status).toBe(200);
  await eventually(async () => {
    const pb = (await player(name)).playback;
    return pb.cardId === storyCard && pb.status === "playing";
  }, `the story playing on ${name}`);
}

async function openPlayers(width: number): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#players`, width, problems);
  await page.locator("yss-player-card h2", {hasText: LIVING}).waitFor();
  return page;
}

/** One player's announce box. */
function box(page: Page, name: string): Locator {
  return page
    .locator("yss-player-card")
    .filter({has: page.locator("h2", {hasText: name})})
    .locator("yss-announce-box");
}

describe.skipIf(!chromium.path)("announcing from a player's card in Chromium", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    storyCard = demo.printed.match(/Story card: .*\((\w{5})\)/)?.[1] ?? "";
    expect(storyCard).not.toBe("");
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("speaks a message over a story (1280 px): busy while it runs, then says where the story went back to", async () => {
    await playStory(LIVING);
    const page = await openPlayers(1280);
    const living = box(page, LIVING);
    const field = living.getByRole("textbox", {name: `Message to say on ${LIVING}`});
    await field.fill("Dinner is ready");
    await living.getByRole("checkbox", {name: "Chime first"}).check();
    await living.getByRole("combobox", {name: "Volume while announcing"}).selectOption("50");
    await living.getByRole("button", {name: "Speak"}).click();
    // The service answers only once the announcement is over: meanwhile the button says so.
    await living.getByRole("button", {name: "Speaking…"}).waitFor();
    expect(await living.getByRole("button", {name: "Speaking…"}).getAttribute("aria-busy")).toBe("true");

    const result = living.locator('[data-testid="announce-result"]');
    await result.filter({hasText: /^Said on/}).waitFor({timeout: 30_000});
    const said = (await result.innerText()).trim();
    // Words, not the API's values: the card's title and chapter (or the chapter's title, while the
    // account's card list has yet to show a card made moments ago) and a m:ss position.
    expect(said).toMatch(
      /^Said on Living Room, then back to (The Sleepy Dragon chapter \S+|The dragon's hill)( at \d+:\d\d)?$/,
    );
    expect(said).not.toMatch(/played|only_if_idle|resumed|\/|[a-z0-9]{24}/);
    await living.getByRole("button", {name: "Speak"}).waitFor();
    expect(await field.inputValue()).toBe("");
    // And the story really is back on the player.
    await eventually(async () => (await player(LIVING)).playback.cardId === storyCard, "the story back");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "players-announce-1280.png"), fullPage: true});
    await page.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it("works on a phone (360 px) by keyboard: Enter speaks, only-if-idle skips a playing player, errors in words", async () => {
    await playStory(LIVING);
    const page = await openPlayers(360);
    const living = box(page, LIVING);
    const field = living.getByRole("textbox", {name: `Message to say on ${LIVING}`});

    // Nothing typed: a word about it, and nothing sent.
    await field.focus();
    await page.keyboard.press("Enter");
    await living.getByRole("alert").filter({hasText: "Type what to say first."}).waitFor();

    // Only if idle, on a playing player: skipped, and the words stay for later.
    await living.getByRole("checkbox", {name: "Only if idle"}).check();
    await field.fill("Bath time");
    await field.press("Enter");
    const result = living.locator('[data-testid="announce-result"]');
    await result.filter({hasText: "Skipped: Living Room is playing"}).waitFor({timeout: 30_000});
    expect((await result.innerText()).trim()).toBe("Skipped: Living Room is playing");
    expect(await living.getByRole("alert").innerText()).toBe("");
    expect(await field.inputValue()).toBe("Bath time");
    expect((await player(LIVING)).playback.cardId).toBe(storyCard);

    // An idle player says it, and nothing was playing to go back to.
    const mini = box(page, MINI);
    const miniField = mini.getByRole("textbox", {name: `Message to say on ${MINI}`});
    await miniField.fill("Lights out in five minutes");
    await miniField.press("Enter");
    await mini.getByRole("button", {name: "Speaking…"}).waitFor();
    const miniResult = mini.locator('[data-testid="announce-result"]');
    await miniResult.filter({hasText: /^Said on/}).waitFor({timeout: 30_000});
    expect((await miniResult.innerText()).trim()).toBe("Said on Bedroom Mini");

    // The service's error sentence, as it came (here a player gone offline meanwhile).
    await page.route("**/announce", (route) =>
      route.fulfill({
        status: 409,
        contentType: "application/json",
        body: JSON.stringify({
          error: "'Living Room' is offline, so it cannot announce anything",
          code: "player_offline",
        }),
      }),
    );
    await field.press("Enter");
    await living
      .getByRole("alert")
      .filter({hasText: "'Living Room' is offline, so it cannot announce anything"})
      .waitFor();
    expect(await living.locator('[data-testid="announce-result"]').innerText()).toBe("");
    expect(await living.innerText()).not.toContain("player_offline");

    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // Every part of both boxes inside the screen.
    for (const b of [living, mini]) {
      const rect = await b.boundingBox();
      expect(rect && rect.x >= 0 && rect.x + rect.width <= 360).toBe(true);
    }
    await page.screenshot({path: path.join(SHOTS, "players-announce-360.png"), fullPage: true});
    await page
      .locator("yss-player-card")
      .filter({has: page.locator("h2", {hasText: LIVING})})
      .screenshot({path: path.join(SHOTS, "players-announce-card-360.png")});
    await page.close();
    // The stand-in 409 is the only failed request.
    expect(problems.filter((p) => !p.startsWith("409 POST"))).toEqual([]);
  }, 90_000);

  it("stops an announcement with the Stop button (360 px): the story comes back and the line says what was stopped", async () => {
    await playStory(LIVING);
    const page = await openPlayers(360);
    const living = box(page, LIVING);
    await living
      .getByRole("textbox", {name: `Message to say on ${LIVING}`})
      .fill("This is a long message about tidying up the toys before bedtime, said slowly so there is time to stop it");
    await living.getByRole("button", {name: "Speak"}).click();
    await living.getByRole("button", {name: "Speaking…"}).waitFor();
    // Stop once the player is really on the announcement.
    await eventually(
      async () => (await player(LIVING)).playback.cardId !== storyCard,
      "the announcement on the player",
    );
    await living.getByRole("button", {name: `Stop announcements on ${LIVING}`}).click();
    const result = living.locator('[data-testid="announce-result"]');
    await result.filter({hasText: /^Stopped the one playing on Living Room$/}).waitFor({timeout: 30_000});
    await living.getByRole("button", {name: "Speak"}).waitFor({timeout: 30_000});
    expect((await result.innerText()).trim()).toBe("Stopped the one playing on Living Room");
    expect(await living.getByRole("alert").innerText()).toBe("");
    await eventually(async () => (await player(LIVING)).playback.cardId === storyCard, "the story back");
    // Nothing left to stop.
    await living.getByRole("button", {name: `Stop announcements on ${LIVING}`}).click();
    await result.filter({hasText: "Nothing to stop on Living Room"}).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "players-announce-stop-360.png"), fullPage: true});
    await page.close();
    expect(problems).toEqual([]);
  }, 90_000);
});
