import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {afterAll, beforeAll, beforeEach, describe, expect, it} from "vitest";
import {DemoStation} from "../../src/demo/demoStation.js";
import {ensureSampleAudio} from "../../src/demo/sampleAudio.js";
import {startApp, type TestApp} from "../helpers/app.js";
import {eventually, findChromium, launchBrowser, openPage, overflow} from "../helpers/browser.js";
import {type IngressProxy, startIngressProxy} from "../helpers/ingressProxy.js";
import {type MiniDlna, startMiniDlna} from "../helpers/minidlna.js";
import {SHOTS} from "../helpers/panelStack.js";
import {systemNeed} from "../helpers/testPrograms.js";
import {tempDir} from "../helpers/tmp.js";

const MINIDLNA = systemNeed("minidlna");

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

let t: TestApp;
let station: DemoStation;
let stationUrl: string;
/** A "station" that is a web page: the service must refuse it in words the family can act on. */
let webPage: http.Server;
let webPageUrl: string;
let nas: MiniDlna;
let proxy: IngressProxy;
let browser: BrowserContext;
const problems: string[] = [];

async function openStreams(width: number): Promise<Page> {
  const page = await openPage(browser, `${proxy.url}#streams`, width, problems);
  await page.locator("yss-streams-view nav").waitFor();
  return page;
}

describe.skipIf(!chromium.path || !MINIDLNA.path)("radio and the media server in the Streams view", () => {
  beforeAll(async () => {
    const media = await tempDir("yss-station-");
    await ensureSampleAudio(media, "ffmpeg");
    station = new DemoStation();
    stationUrl = await station.start(media);
    webPage = http.createServer((_req, res) => res.writeHead(200, {"Content-Type": "text/html"}).end("<html></html>"));
    await new Promise<void>((resolve) => webPage.listen(0, "127.0.0.1", resolve));
    webPageUrl = `http://127.0.0.1:${(webPage.address() as AddressInfo).port}/listen`;
    nas = await startMiniDlna([
      {file: "Sea Songs/01 Waves.mp3", title: "Waves", artist: "The Gulls", album: "Sea Songs", track: 1},
      {file: "Sea Songs/02 Tide.mp3", title: "Tide", artist: "The Gulls", album: "Sea Songs", track: 2},
    ]);
    t = await startApp(["--media_discovery", "false"]);
    proxy = await startIngressProxy(t.adminUrl);
    browser = await launchBrowser(chromium.path as string);
  }, 90_000);

  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await t?.stop();
    await station?.stop();
    await nas?.stop();
    webPage?.close();
  });

  it("adds a station at 360 px, shows it on air with the song it plays, and words a refusal", async () => {
    const page = await openStreams(360);
    await page.getByText("Add a radio station").click();
    const form = page.locator("yss-radio-form");
    await form.getByRole("button", {name: "Add station"}).click();
    await form.getByRole("alert").filter({hasText: "Give the stream a name and the station's address."}).waitFor();
    await form.getByLabel("Stream name").fill("kids-radio");
    await form.getByLabel("Station address").fill(webPageUrl);
    await form.getByRole("button", {name: "Add station"}).click();
    await form.getByRole("alert").filter({hasText: "answers a web page, not audio"}).waitFor();
    problems.length = 0; // the refusal's 400 is the point of this step

    await form.getByLabel("Station address").fill(stationUrl);
    await form.getByRole("button", {name: "Add station"}).click();
    const box = page.locator("yss-radio-box");
    await box.waitFor();
    expect(await form.getByLabel("Stream name").inputValue()).toBe("");
    expect(await box.getByTestId("radio-url").innerText()).toBe(stationUrl);
    expect(await page.locator("nav").getByText("radio", {exact: true}).count()).toBe(1);

    // A player tunes in: the box shows the station on air and its song, live.
    const view = (await (await fetch(`${t.adminUrl}/api/streams/kids-radio`)).json()) as {signedPath: string};
    const listener = await fetch(`${t.audioUrl}${view.signedPath}`);
    expect(listener.headers.get("content-type")).toBe("audio/mpeg");
    const reader = listener.body?.getReader();
    await reader?.read();
    await eventually(async () => (await box.getByTestId("radio-state").innerText()) === "On air", "the station on air");
    await eventually(
      async () =>
        (await box.getByTestId("radio-now").count()) === 1 &&
        (await box.getByTestId("radio-now").innerText()).includes("Twinkle Tone"),
      "the song's title",
    );
    expect(await overflow(page)).toBe(0);
    await page.screenshot({path: path.join(SHOTS, "radio-360.png"), fullPage: true});
    await reader?.cancel();
    // No Yoto account is linked here: the card form's icon picker is told so (409), as it should be.
    const unexpected = problems.filter((p) => !/^409 GET .*\/api\/icons$/.test(p));
    expect(unexpected, unexpected.join("\n")).toEqual([]);
  }, 60_000);

  it("adds the media server by address at 360 px, walks to an album and queues it whole", async () => {
    const put = await fetch(`${t.adminUrl}/api/streams/sea`, {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({items: []}),
    });
    expect(put.status).toBe(200);
    const page = await openStreams(360);
    await page.locator("nav").getByRole("button", {name: /^sea/}).click();
    await page.getByText("Add from your media server").click();
    const browser = page.locator("yss-source-browser");
    await browser.getByText("No media server found on the home network").waitFor();
    await browser.getByLabel("Media server address").fill(nas.descriptionUrl);
    await browser.getByRole("button", {name: "Add media server"}).click();
    // Opened at once: the server's root folders, then the album.
    for (const folder of ["Music", "Album", "Sea Songs"])
      await browser.getByRole("button", {name: folder, exact: true}).click();
    await browser.getByText("Tide").waitFor();
    expect(await browser.getByLabel("Search Family NAS").count()).toBe(1);
    await browser.getByRole("button", {name: "Add all of 'Sea Songs'"}).click();
    await eventually(
      async () => (await page.locator("yss-queue-editor").getByText("Tide").count()) === 1,
      "the album's tracks in the queue",
      20_000,
    );
    const view = (await (await fetch(`${t.adminUrl}/api/streams/sea`)).json()) as {items: Array<{title: string}>};
    expect(view.items.map((i) => i.title)).toEqual(["Waves", "Tide"]);
    expect(await overflow(page)).toBe(0);
    await page.screenshot({path: path.join(SHOTS, "media-server-360.png"), fullPage: true});
    // No Yoto account is linked here: the card form's icon picker is told so (409), as it should be.
    const unexpected = problems.filter((p) => !/^409 GET .*\/api\/icons$/.test(p));
    expect(unexpected, unexpected.join("\n")).toEqual([]);
  }, 60_000);
});
