import {existsSync} from "node:fs";
import {type Browser, type BrowserContext, chromium, type Page} from "playwright-core";
import {atFileEnd} from "./fileEnd.js";

/**
 * Chromium's headless shell first (Debian's `chromium-headless-shell`): Chrome's old headless mode,
 * a browser of its own on the same Blink and V8 without the desktop browser's code. Playwright runs
 * this build for its own headless Chromium (microsoft/playwright#33566, "Changes in Chromium
 * headless in Playwright v1.49"); Chrome's "Headless mode" page says it is not the desktop browser
 * in every behaviour. What these tests look at, pages laid out and painted, is Blink's either way.
 * The browser tests spent 492 CPU-seconds in 257 s with the full browser and 337 in 178 s with the
 * shell (2 cores, the browser project alone), most of the difference in the browser process's main
 * thread. The full browser still serves where the shell is not installed.
 */
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium-headless-shell",
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
];

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

const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/**
 * One headless Chromium per worker process, launched by its first browser file and kept for the
 * next: a launch is over a CPU-second, and some twenty-five files each launched their own. No file
 * shares anything through it: each gets a context of its own (cookies, storage, cache), closed by
 * the file (or at its end). Playwright ends the browser with the worker; a browser that has gone away (a crash, a
 * file that closed it) is launched again.
 */
let shared: {executablePath: string; browser: Promise<Browser>} | undefined;

function sharedBrowser(executablePath: string): Promise<Browser> {
  if (!shared || shared.executablePath !== executablePath) {
    const browser = chromium.launch({executablePath, headless: true, args: LAUNCH_ARGS});
    shared = {executablePath, browser};
    const forget = () => {
      if (shared?.browser === browser) shared = undefined;
    };
    browser.then((b) => b.on("disconnected", forget), forget);
  }
  return shared.browser;
}

/** A fresh browser context (no cookies or storage from any other file), sized like a desktop; close() ends it. */
export async function launchBrowser(executablePath: string): Promise<BrowserContext> {
  const browser = await sharedBrowser(executablePath);
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  // Closed with the file even when a failing test left it open (closing twice is a no-op).
  atFileEnd(() => context.close());
  return context;
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
