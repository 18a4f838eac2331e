import {existsSync} from "node:fs";
import {type BrowserContext, chromium} from "playwright-core";
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
