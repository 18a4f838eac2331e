import {describe, expect, it} from "vitest";
import {parseFeedText} from "../../../src/feeds/feedParse.js";

const CONFIG = {
  url: "https://big.example.org/feed.xml",
  keep: 5,
  order: "newest_first",
  refreshEveryMs: 3_600_000,
} as const;

/** Over 512 KB: read in a worker thread. */
function bigFeed(items: number): string {
  const body = Array.from(
    {length: items},
    (_, n) => `<item><title>Ep ${n}</title><enclosure url="/a/${n}.mp3" type="audio/mpeg"/></item>`,
  ).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${body}</channel></rss>`;
}

describe("a large feed's parse in a worker thread", () => {
  it("reads it off the main thread, leaving out the hidden ones before keeping the newest", async () => {
    const text = bigFeed(12_000);
    expect(text.length).toBeGreaterThan(512 * 1024);
    const parsed = await parseFeedText(text, CONFIG.url, CONFIG, {hidden: ["https://big.example.org/a/0.mp3"]});
    expect(parsed).toMatchObject({title: "Big", items: 12_000, episodes: 12_000});
    expect(parsed.chosen.map((e) => e.title)).toEqual(["Ep 1", "Ep 2", "Ep 3", "Ep 4", "Ep 5"]);
  });

  it("gives up on a parse that takes too long, and on one the service stops, without waiting for it", async () => {
    const text = bigFeed(12_000);
    await expect(parseFeedText(text, CONFIG.url, CONFIG, {timeoutMs: 5})).rejects.toThrow(
      "the feed could not be read within 5 ms",
    );
    // Stopped before its parse is done: the answer comes while the worker is still reading, not after.
    const stopping = new AbortController();
    let parsedMeanwhile = false;
    const whole = parseFeedText(text, CONFIG.url, CONFIG).then(() => {
      parsedMeanwhile = true;
    });
    const parse = parseFeedText(text, CONFIG.url, CONFIG, {signal: stopping.signal});
    stopping.abort();
    await expect(parse).rejects.toThrow("the service is stopping");
    expect(parsedMeanwhile).toBe(false);
    await whole;
  });
});
