import path from "node:path";
import type {BrowserContext, Locator, Page, Response} from "playwright-core";
import {PNG} from "pngjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {ChildShelf, ShelfChoice, ShelfItem} from "../../src/shared/api/index.js";
import type {ChosenPicture, ChosenPictures} from "../../src/shared/api/pictures.js";
import {eventually, findChromium, openPage, overflow} from "../helpers/browser.js";
import type {RunningDemo} from "../helpers/demo.js";
import type {IngressProxy} from "../helpers/ingressProxy.js";
import {type PanelStack, SHOTS, startPanelStack} from "../helpers/panelStack.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let stack: PanelStack;
let demo: RunningDemo;
let proxy: IngressProxy;
let browser: BrowserContext;
/** Page errors and failed requests: none expected but the one refused upload. */
const problems: string[] = [];

const OWL = "The Owl Who Hummed";

async function api<T>(method: string, pathname: string, body?: object): Promise<{status: number; body: T}> {
  const res = await fetch(`${demo.panelUrl}${pathname}`, {
    method,
    headers: body ? {"content-type": "application/json"} : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {status: res.status, body: (text ? JSON.parse(text) : undefined) as T};
}

/** Mia's shelf item with this title, as the service gives it now. */
async function shelfItem(title: string): Promise<ShelfItem> {
  const item = (await api<ChildShelf>("GET", "api/children/Mia/shelf")).body.items.find((i) => i.title === title);
  if (!item) throw new Error(`${title} is not on Mia's shelf`);
  return item;
}

/** A small PNG of one colour, made here: the upload is this file, nothing from the repository. */
function redSquare(): Buffer {
  const png = new PNG({width: 24, height: 24});
  for (let i = 0; i < png.data.length; i += 4) png.data.set([220, 40, 40, 255], i);
  return PNG.sync.write(png);
}

/** 11 MB that begin like a PNG: over the service's 10 MB, whatever their type says. */
function tooBig(): Buffer {
  const bytes = Buffer.alloc(11 * 1024 * 1024, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

/** The next answer to a picture change of this method; a request cut off fails with the browser's reason. */
async function pictureAnswer(page: Page, method: "PUT" | "DELETE"): Promise<Response> {
  const request = await page.waitForRequest((r) => r.method() === method && r.url().includes("/api/pictures/"));
  const response = await request.response();
  if (!response) throw new Error(`${method} ${request.url()} got no answer: ${request.failure()?.errorText}`);
  return response;
}

/** The image's width once the browser has decoded it (it rejects when the image cannot be drawn). */
function drawnWidth(img: Locator): Promise<number> {
  return img.evaluate(async (el) => {
    const image = el as unknown as {decode(): Promise<void>; naturalWidth: number};
    await image.decode();
    return image.naturalWidth;
  });
}

const withSrc = (alt: string, src: string) => `img[alt=${JSON.stringify(alt)}][src=${JSON.stringify(src)}]`;

describe.skipIf(!chromium.path)("a shelf item's picture, chosen in the plan editor", () => {
  beforeAll(async () => {
    stack = await startPanelStack(chromium.path as string);
    ({demo, proxy, browser} = stack);
    // The family's card groups arrive with the first read of the account: "Bedtime" is added below.
    await eventually(async () => {
      const {choices} = (await api<{choices: ShelfChoice[]}>("GET", "api/shelf/choices?q=Bedtime")).body;
      return choices.some((c) => c.kind === "group");
    }, "the card group Bedtime among the choices");
    const shelf = ["dShp1", "stream:demo", "story-radio"];
    expect((await api("PUT", "api/children/Mia", {players: ["Bedroom Mini"], shelf})).status).toBe(200);
  }, 90_000);

  afterAll(async () => {
    expect(await stack?.stop()).toBe(0);
  });

  it("uploads one, shows it on the child's page, gives the own one back, shows a refusal, takes a Yoto icon, at 360 px", async () => {
    const page = await openPage(browser, `${proxy.url}#family`, 360, problems);
    await page.locator("yss-child-card[data-child=Mia]").getByRole("button", {name: "Edit plan"}).click();
    const editor = page.locator("yss-shelf-editor");
    const owl = editor.locator("yss-shelf-picture").filter({has: page.locator(`img[alt="${OWL}"]`)});
    const open = owl.getByRole("button", {name: `Picture for ${OWL}`});
    await open.waitFor();
    const own = await shelfItem(OWL);
    expect(own.picture).not.toBe("chosen");
    await owl.locator(withSrc(OWL, own.cover)).waitFor();
    // A group added: its cards' pictures once the plan is saved (its other card, the owl, is on the shelf already).
    await editor.getByRole("searchbox", {name: "Search what to put on the shelf"}).fill("Bedtime");
    await editor.getByRole("button", {name: "Put Bedtime (card group) on the shelf"}).click();
    const groupRow = editor.getByRole("list", {name: "Mia's shelf"}).locator("li").nth(3);
    const note = groupRow.getByText("Its picture can be chosen once the plan is saved.", {exact: true});
    await note.waitFor();
    await page.locator("yss-plan-editor").getByRole("button", {name: "Save plan"}).click();
    await groupRow.getByRole("button", {name: "Picture for Demo stream"}).waitFor();
    expect(await note.count()).toBe(0);
    expect(await groupRow.getByRole("button", {name: /^Picture for /}).count()).toBe(1);
    expect((await groupRow.locator("yss-shelf-picture span:not(.row)").innerText()).trim()).toBe("Demo stream");
    const cards = (await api<ChildShelf>("GET", "api/children/Mia/shelf")).body.items.filter((i) => i.group);
    expect(cards.map((c) => [c.title, c.group])).toEqual([["Demo stream", "Bedtime"]]);
    // The child's page, open beside it from before: it follows the parent's change by itself.
    const child = await openPage(browser, `${proxy.url}child/Mia`, 360, problems);
    const tile = child.getByRole("button", {name: OWL, exact: true});
    await tile.locator(withSrc(OWL, own.cover)).waitFor();

    // A PNG from this test: the row's picture becomes the one the service keeps for it.
    await open.click();
    const chooser = owl.getByRole("group", {name: `Choose the picture for ${OWL}`});
    await chooser.waitFor();
    expect(await chooser.getByRole("button", {name: "Use its own picture"}).count()).toBe(0);
    const put = pictureAnswer(page, "PUT");
    await chooser
      .getByLabel("Upload a picture")
      .setInputFiles({name: "owl.png", mimeType: "image/png", buffer: redSquare()});
    const uploaded = await put;
    expect(uploaded.status()).toBe(200);
    expect(((await uploaded.json()) as ChosenPicture).from).toBe("upload");
    const chosen = await shelfItem(OWL);
    expect(chosen.picture).toBe("chosen");
    expect(chosen.cover).toContain("api/shelf/pictures/");
    const rowPicture = owl.locator(withSrc(OWL, chosen.cover));
    await rowPicture.waitFor();
    expect(await drawnWidth(rowPicture)).toBeGreaterThan(0);
    await chooser.waitFor({state: "detached"});

    // The same picture on the owl's cover on the child's page.
    const cover = tile.locator(withSrc(OWL, chosen.cover));
    await cover.waitFor();
    expect(await drawnWidth(cover)).toBeGreaterThan(0);
    await child.screenshot({path: path.join(SHOTS, "shelf-pictures-child-360.png")});

    // Its own picture back, on both pages.
    await open.click();
    const deleted = pictureAnswer(page, "DELETE");
    await chooser.getByRole("button", {name: "Use its own picture"}).click();
    expect((await deleted).status()).toBe(204);
    await owl.locator(withSrc(OWL, own.cover)).waitFor();
    await tile.locator(withSrc(OWL, own.cover)).waitFor();
    expect((await shelfItem(OWL)).picture).toBe(own.picture);
    await child.close();

    // Too big: the service's words, as it sent them.
    await open.click();
    const refused = pictureAnswer(page, "PUT");
    await chooser
      .getByLabel("Upload a picture")
      .setInputFiles({name: "huge.png", mimeType: "image/png", buffer: tooBig()});
    const answer = await refused;
    expect(answer.status()).toBe(413);
    const said = ((await answer.json()) as {error: string}).error;
    expect(said).toContain("10 MB");
    const alert = owl.locator("yss-alert span").filter({hasText: said});
    await alert.waitFor();
    expect((await alert.innerText()).trim()).toBe(said);
    expect((await shelfItem(OWL)).picture).toBe(own.picture);
    await open.click();
    await chooser.waitFor({state: "detached"});

    // One of Yoto's icons, for the stream.
    const stream = editor.locator("yss-shelf-picture").filter({has: page.locator('img[alt="Demo"]')});
    await stream.getByRole("button", {name: "Picture for Demo"}).click();
    const icons = stream.getByRole("group", {name: "Choose the picture for Demo"}).getByRole("group", {name: "Icons"});
    await icons.getByRole("button").first().waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({path: path.join(SHOTS, "shelf-pictures-360.png"), fullPage: true});
    const picked = pictureAnswer(page, "PUT");
    await icons.getByRole("button").first().click();
    const iconAnswer = await picked;
    expect(iconAnswer.status()).toBe(200);
    const {icon} = iconAnswer.request().postDataJSON() as {icon: string};
    expect(icon).toMatch(/^yoto:#/);
    expect((await iconAnswer.json()) as ChosenPicture).toMatchObject({item: "stream:demo", from: "icon", icon});
    const demoItem = await shelfItem("Demo");
    expect(demoItem.picture).toBe("chosen");
    await stream.locator(withSrc("Demo", demoItem.cover)).waitFor();
    const listed = (await api<ChosenPictures>("GET", "api/pictures")).body.pictures;
    expect(listed.map((p) => [p.item, p.from, p.icon])).toEqual([["stream:demo", "icon", icon]]);

    expect(problems.filter((p) => !/^413 PUT .*\/api\/pictures\/card%3AdShp1$/.test(p))).toEqual([]);
    expect(problems.length).toBe(1);
    await page.close();
  }, 60_000);
});
