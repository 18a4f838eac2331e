import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {type FeedServer, followFeed, toneFeedServer} from "../../helpers/feedServer.js";
import {call} from "../../helpers/http.js";

let server: FeedServer;
let t: TestApp | undefined;
beforeAll(async () => {
  server = await toneFeedServer(3);
}, 30_000);
afterAll(() => server.stop());
afterEach(async () => {
  await t?.stop();
  t = undefined;
  server.feedBody = undefined;
  server.feedType = undefined;
  server.log.length = 0;
  server.bump();
});

const follow = (feed: Record<string, unknown>) => followFeed(t!.adminUrl, "tales", feed);

const item = (title: string, inner: string, day: number) =>
  `<item><title>${title}</title><guid>${title}</guid><pubDate>${new Date(Date.UTC(2026, 10, day)).toUTCString()}</pubDate>${inner}</item>`;
const feed = (items: string[]) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Short Stories</title>${items.join("")}</channel></rss>`;

describe("feeds as a listener meets them, through the service", () => {
  it("DOCS' example as written keeps the stories and leaves the trailer out, saying why; a length above every episode says so", async () => {
    t = await startApp();
    server.feedBody = feed([
      item("Story 3", '<enclosure url="/audio/3.mp3" type="audio/mpeg"/><itunes:duration>3:05</itunes:duration>', 3),
      item("Trailer", '<enclosure url="/audio/2.mp3" type="audio/mpeg"/><itunes:duration>0:40</itunes:duration>', 2),
      item("Story 1", '<enclosure url="/audio/1.mp3" type="audio/mpeg"/><itunes:duration>2:55</itunes:duration>', 1),
    ]);
    // The DOCS example's options, with this host's address.
    const view = await follow({
      url: `${server.url}/feed.xml`,
      keep: 10,
      order: "oldest_first",
      skip_shorter_than: "1m",
    });
    expect(view.episodes.map((e: {title: string}) => e.title)).toEqual(["Story 1", "Story 3"]);
    expect(view.skipped).toEqual([{title: "Trailer", reason: "it is 40s long, shorter than skip_shorter_than (1m)"}]);
    expect(view.error).toBeNull();
    expect(
      t.logs.some((l) => l.includes("Feed of stream 'tales': 1 item left out: 1 shorter than skip_shorter_than")),
    ).toBe(true);

    // Too long a limit: nothing silently; the feed's error says what to do, and the episodes stay.
    server.bump();
    const tooLong = await follow({url: `${server.url}/feed.xml`, skip_shorter_than: "5m"});
    expect(tooLong.error).toBe("every episode is shorter than skip_shorter_than (5m): lower it or leave it out");
  });

  it("resolves relative and protocol-relative enclosures and downloads them; a feed with no audio is an error", async () => {
    t = await startApp();
    const host = new URL(server.url).host;
    server.feedBody = feed([
      item("Relative", '<enclosure url=" audio/3.mp3 " type="audio/mpeg"/>', 3),
      item("Protocol-relative", `<enclosure url="//${host}/audio/2.mp3" type="audio/x-mp3"/>`, 2),
      item("Notes", "<description>Show notes</description>", 1),
    ]);
    const view = await follow({url: `${server.url}/feed.xml`, order: "newest_first"});
    expect(view.episodes.map((e: {title: string}) => e.title)).toEqual(["Relative", "Protocol-relative"]);
    expect(server.requests("/audio/3.mp3").length).toBe(1);
    expect(server.requests("/audio/2.mp3").length).toBe(1);
    expect(view.skipped).toEqual([{title: "Notes", reason: "it has no audio enclosure"}]);

    server.feedBody = feed([item("News", "<description>The fete</description>", 1), item("More news", "", 2)]);
    server.bump();
    const refreshed = (await call("POST", `${t.adminUrl}/api/streams/tales/feed/refresh`)).body;
    expect(refreshed.error).toBe("this feed has no audio episodes (2 items, none with an audio enclosure)");
    // The last good episodes stay.
    expect(refreshed.episodes).toHaveLength(2);
  });

  it("decodes a feed by the charset its Content-Type names", async () => {
    t = await startApp();
    const title = Buffer.from([0xcb, 0xaf, 0xc7, 0xb0, 0xb9, 0xca, 0xca, 0xc2]); // 睡前故事 in GB2312
    server.feedBody = Buffer.concat([
      Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>', "latin1"),
      title,
      Buffer.from('</title><enclosure url="/audio/1.mp3" type="audio/mpeg"/></item></channel></rss>', "latin1"),
    ]);
    server.feedType = "application/rss+xml; charset=GB2312";
    const view = await follow({url: `${server.url}/feed.xml`});
    expect(view.episodes.map((e: {title: string}) => e.title)).toEqual(["睡前故事"]);
    expect(t.app.library.get(view.episodes[0].item)?.title).toBe("睡前故事");
  });

  it("reads a large feed in a worker thread: the few episodes, and the thousands of other items counted", async () => {
    t = await startApp();
    const filler = Array.from({length: 6000}, (_, i) =>
      item(`Post ${i}`, "<description>Words words words</description>", 1),
    );
    server.feedBody = feed([item("Story 1", '<enclosure url="/audio/1.mp3" type="audio/mpeg"/>', 20), ...filler]);
    expect(Buffer.byteLength(server.feedBody)).toBeGreaterThan(512 * 1024);
    const view = await follow({url: `${server.url}/feed.xml`});
    expect(view.episodes.map((e: {title: string}) => e.title)).toEqual(["Story 1"]);
    expect(view.skipped).toHaveLength(50);
    expect(view.skipped_more).toBe(5950);
    expect(t.logs.some((l) => l.includes("Feed of stream 'tales': 6000 items left out: 6000 without audio"))).toBe(
      true,
    );
  }, 60_000);

  it("unhides an episode whose key is '..' by the query form, and the feed stays followed", async () => {
    t = await startApp();
    server.feedBody = feed([
      `<item><title>Dots</title><guid>..</guid><pubDate>${new Date(Date.UTC(2026, 10, 2)).toUTCString()}</pubDate><enclosure url="/audio/1.mp3" type="audio/mpeg"/></item>`,
      item("Other", '<enclosure url="/audio/2.mp3" type="audio/mpeg"/>', 1),
    ]);
    const view = await follow({url: `${server.url}/feed.xml`, order: "newest_first"});
    expect(view.episodes.map((e: {title: string}) => e.title)).toEqual(["Dots", "Other"]);
    expect((await call("DELETE", `${t.adminUrl}/api/streams/tales/queue/0`)).status).toBe(200);
    const unhidden = await call(
      "DELETE",
      `${t.adminUrl}/api/streams/tales/feed/hidden?key=${encodeURIComponent("..")}`,
    );
    expect(unhidden.status, JSON.stringify(unhidden.body)).toBe(200);
    expect(unhidden.body.feed.hidden).toEqual([]);
    expect(t.app.feeds.has("tales")).toBe(true);
    expect((await call("DELETE", `${t.adminUrl}/api/streams/tales/feed/hidden`)).body.error).toBe(
      "Say which episode: ?key=<its key, as feed.hidden shows it>",
    );
  });
});
