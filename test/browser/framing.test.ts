import http from "node:http";
import type {Frame, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../helpers/app.js";
import {eventually, findChromium, launchBrowser} from "../helpers/browser.js";
import {listenOwned} from "../helpers/ownedServer.js";

const chromium = findChromium();
if (chromium.reason) console.warn(chromium.reason);

const INGRESS = "/api/hassio_ingress/Xk3q9ZtR_ingress";

/** A page that frames each of `sources`, one iframe each, titled after its place in the list. */
const framing = (sources: string[]) =>
  `<!doctype html><html><body>${sources.map((src, i) => `<iframe title="frame ${i}" src="${src}" width="640" height="400"></iframe>`).join("")}</body></html>`;

/**
 * Home Assistant as a browser sees it: its frontend's page at its origin frames the add-on through
 * the ingress path on that same origin, which is proxied to the service with the prefix removed.
 */
function homeAssistant(service: string): http.Server {
  const upstream = new URL(service);
  return http.createServer((req, res) => {
    const url = req.url ?? "/";
    // A dashboard with a Webpage card on the add-on's own port (a wall tablet's), and the panel beside it.
    if (url === "/dashboard") {
      res.writeHead(200, {"Content-Type": "text/html"}).end(framing([`${service}/child/Mia`, `${service}/`]));
      return;
    }
    if (!url.startsWith(`${INGRESS}/`)) {
      res.writeHead(200, {"Content-Type": "text/html"}).end(framing([`${INGRESS}/`, `${INGRESS}/child/Mia`]));
      return;
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url.slice(INGRESS.length),
        headers: {...req.headers, host: upstream.host, "x-ingress-path": INGRESS},
      },
      (answer) => {
        // Passed on as Home Assistant's and the Supervisor's proxies do: every header but the body's own.
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
}

/** The frames of `page` below it, by their titles' order, once each has committed its document. */
async function childFrames(page: Page, count: number): Promise<Frame[]> {
  await eventually(async () => page.frames().length === count + 1, `${count} frames`);
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const frame = await (await page.locator(`iframe[title="frame ${i}"]`).elementHandle())?.contentFrame();
    if (!frame) throw new Error(`frame ${i} has no document`);
    frames.push(frame);
  }
  return frames;
}

let t: TestApp;
const owned: Array<() => Promise<void>> = [];
let ha: string;
let elsewhere: string;
let sources: string[];

describe.skipIf(!chromium.path)("the panel and the child's page in a frame", () => {
  beforeAll(async () => {
    t = await startApp();
    ha = await listenOwned(homeAssistant(t.adminUrl), owned);
    // Another site: every page of the service, directly and through Home Assistant's ingress.
    sources = [`${t.adminUrl}/`, `${t.adminUrl}/child/Mia`, `${t.adminUrl}/signin`, `${ha}${INGRESS}/`];
    elsewhere = await listenOwned(
      http.createServer((_req, res) => res.writeHead(200, {"Content-Type": "text/html"}).end(framing(sources))),
      owned,
    );
  }, 60_000);

  afterAll(async () => {
    for (const close of owned) await close();
    await t?.stop();
  });

  it("shows both inside Home Assistant's own page, through its ingress path (the same origin)", async () => {
    const browser = await launchBrowser(chromium.path as string);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${ha}/`);
    const [panel, child] = await childFrames(page, 2);
    await panel?.getByRole("navigation", {name: "Views"}).waitFor();
    await child?.locator('[aria-label="Whose stories?"]').waitFor();
    expect(errors).toEqual([]);
    await browser.close();
  });

  it("leaves every frame of another site's page blank: the browser blocks each for frame-ancestors 'self'", async () => {
    const browser = await launchBrowser(chromium.path as string);
    const page = await browser.newPage();
    const blocked: string[] = [];
    const said: string[] = [];
    const asked: string[] = [];
    page.on("requestfailed", (request) => {
      if (request.failure()?.errorText === "net::ERR_BLOCKED_BY_RESPONSE") blocked.push(request.url());
    });
    page.on("console", (message) => said.push(message.text().trim()));
    page.on("request", (request) => {
      if (!request.url().startsWith(elsewhere)) asked.push(request.url());
    });
    await page.goto(`${elsewhere}/`);
    await eventually(async () => blocked.length === sources.length, "each frame blocked");
    expect(blocked.sort()).toEqual([...sources].sort());
    await eventually(async () => said.length === sources.length, "each block said");
    const origins = [t.adminUrl, t.adminUrl, t.adminUrl, ha].map(
      (origin) =>
        `Framing '${origin}/' violates the following Content Security Policy directive: "frame-ancestors 'self'". The request has been blocked.`,
    );
    expect(said.sort()).toEqual(origins.sort());
    // Nothing of the service's ran in them: each is the browser's own error page, and the pages'
    // files and API calls were never asked for.
    for (const frame of await childFrames(page, sources.length)) {
      expect(frame.url()).toBe("chrome-error://chromewebdata/");
      expect(await frame.locator("yss-panel, yss-child-page, form").count()).toBe(0);
    }
    expect(asked.sort()).toEqual([...sources].sort());
    await browser.close();
  });

  it("shows a child's page in a Webpage card of Home Assistant's own address, and still not the panel there", async () => {
    // What the Supervisor told the service Home Assistant's addresses are (here, the stand-in's).
    t.app.homeAssistantPages = [ha];
    const browser = await launchBrowser(chromium.path as string);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const blocked: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      page.on("requestfailed", (request) => {
        if (request.failure()?.errorText === "net::ERR_BLOCKED_BY_RESPONSE") blocked.push(request.url());
      });
      await page.goto(`${ha}/dashboard`);
      const [child] = await childFrames(page, 2);
      await child?.locator('[aria-label="Whose stories?"]').waitFor();
      await eventually(async () => blocked.length === 1, "the panel's frame blocked");
      expect(blocked).toEqual([`${t.adminUrl}/`]);
      expect(errors).toEqual([]);
    } finally {
      t.app.homeAssistantPages = [];
      await browser.close();
    }
  });
});
