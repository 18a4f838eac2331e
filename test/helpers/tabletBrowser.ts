import {type BrowserContext, chromium as playwright} from "playwright-core";
import {startApp, type TestApp} from "./app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "./cloud.js";
import {tempDir} from "./tmp.js";

export const TABLET_PARENT_TOKEN = "a-long-enough-api-token-1234";

export interface TabletBrowser {
  sim: Awaited<ReturnType<typeof startSimulator>>;
  t: TestApp;
  /** A wall tablet's browser: touch, 1280×800, a profile of its own (it keeps what the page stores). */
  browser: BrowserContext;
  /** A parent's request with the API token, `pathname` relative to the panel's root. */
  parent(method: string, pathname: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole service on the simulator (songs card, account linked) with loopback trusted for
 * nothing, so the browser on 127.0.0.1 is a tablet on the home network holding no parent's key.
 */
export async function tabletBrowser(chromiumPath: string): Promise<TabletBrowser> {
  const sim = await startSimulator();
  addSongsCard(sim);
  const t = await startApp(["--yoto_client_id", CLIENT_ID, "--api_token", TABLET_PARENT_TOKEN], {
    cloud: sim.endpoints,
    republishDelayMs: () => 0,
    adminAccess: {allowLoopback: false, ingressPeers: []},
  });
  const browser = await playwright.launchPersistentContext(await tempDir("yss-tablet-"), {
    executablePath: chromiumPath,
    headless: true,
    hasTouch: true,
    viewport: {width: 1280, height: 800},
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  await linkAccount(t.app.account);
  return {
    sim,
    t,
    browser,
    parent: (method, pathname, body) =>
      fetch(`${t.adminUrl}/${pathname}`, {
        method,
        headers: {
          Authorization: `Bearer ${TABLET_PARENT_TOKEN}`,
          ...(body ? {"Content-Type": "application/json"} : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      }),
    close: async () => {
      await browser.close();
      await t.stop();
      await sim.stop();
    },
  };
}
