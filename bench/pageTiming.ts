import type {Page} from "playwright-core";

/** A page that never shows itself ready fails the bench instead of holding it up. */
const READY_TIMEOUT_MS = 30_000;

/**
 * Checked in the page at every frame until `ready` holds; answers the page's own clock once that
 * frame has been laid out and painted (a task queued from a frame's callbacks runs after its paint).
 */
export const whenPainted = (ready: string) => `new Promise((resolve) => {
  const check = () => (${ready} ? setTimeout(() => resolve(performance.now())) : requestAnimationFrame(check));
  requestAnimationFrame(check);
})`;

/**
 * Milliseconds since navigation started, by the page's own clock, once the frame that first shows
 * the page ready is painted; `baseline`, when given, is served in the page's place at `url`.
 * Checked by a plain script, not the driver's polling: that loads the driver's own helper script
 * into each page as it starts, which made pages 30-50 ms quicker to look at than they are.
 */
export async function timeToReady(page: Page, url: string, ready: string, baseline?: string): Promise<number> {
  if (baseline !== undefined)
    await page.route(url, (route) => route.fulfill({contentType: "text/html", body: baseline}));
  await page.goto(url, {waitUntil: "commit"});
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`bench: ${url} was not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([page.evaluate<number>(whenPainted(ready)), tooLong]);
  } finally {
    clearTimeout(timer);
  }
}
