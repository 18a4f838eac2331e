import {existsSync} from "node:fs";
import {type BrowserContext, chromium, type Page} from "playwright-core";
import {tempDir} from "./tmp.js";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * Debian's Chromium, or undefined with the reason. Browser tests skip without it, except under
 * CI=true, where a missing browser is a failure (CI installs it).
 */
export function findChromium(): {path?: string; reason?: string} {
  const path = CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));
  if (path) return {path};
  const reason = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH): browser tests skipped";
  if (process.env.CI === "true") throw new Error(reason.replace("browser tests skipped", "CI needs it"));
  return {reason};
}

/** A headless Chromium with a fresh profile, sized like a desktop; close() also removes nothing shared. */
export async function launchBrowser(executablePath: string): Promise<BrowserContext> {
  const profile = await tempDir("yss-chromium-");
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: {width: 1280, height: 900},
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** Poll an asynchronous check (a page query, an API call) until it holds. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A page of the panel at `url`, `width` px wide, whose page errors and failed requests go into
 * `problems`: the browser tests expect none but the ones they cause.
 */
export async function openPage(browser: BrowserContext, url: string, width: number, problems: string[]): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({width, height: 900});
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  await page.goto(url);
  return page;
}

/** How far the page is wider than the screen (0: it never scrolls sideways). */
export function overflow(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
}
