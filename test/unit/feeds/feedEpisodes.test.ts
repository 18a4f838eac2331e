import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {chooseEpisodes, type Episode, parseEpisodes} from "../../../src/feeds/episodes.js";
import {type FeedConfig, feedConfig, feedOptions, lengthSeconds} from "../../../src/feeds/feedConfig.js";

const URL_ = "https://example.com/podcast.xml";

/** The error `feedConfig` throws for `raw`, as the API shows it. */
function refusal(raw: unknown): {status: number; code: string; message: string} {
  try {
    feedConfig(raw);
  } catch (err) {
    if (err instanceof AppError) return {status: err.status, code: err.code, message: err.message};
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe("feed options", () => {
  it("fills in keep 10, oldest first, hourly refresh and no skipping", () => {
    expect(feedConfig({url: URL_})).toStrictEqual({
      url: URL_,
      keep: 10,
      order: "oldest_first",
      refreshEveryMs: 3_600_000,
    });
  });

  it("reads every option as people write them", () => {
    const raw = {url: URL_, keep: 3, order: "newest_first", skip_shorter_than: "2m", refresh_every: "6h"};
    expect(feedConfig(raw)).toStrictEqual({
      url: URL_,
      keep: 3,
      order: "newest_first",
      skipShorterThan: 120,
      refreshEveryMs: 21_600_000,
    });
    expect(feedConfig({url: URL_, keep: 100, refresh_every: 900}).refreshEveryMs).toBe(900_000);
  });

  it("says what is wrong and how to write it", () => {
    const bad = (message: string) => ({status: 400, code: "bad_feed", message});
    const notObject = bad('feed must be an object such as {"url": "https://example.com/podcast.xml"}');
    expect(refusal(null)).toEqual(notObject);
    expect(refusal([URL_])).toEqual(notObject);
    expect(refusal(URL_)).toEqual(notObject);
    const options = "the options are url, keep, order, skip_shorter_than, refresh_every";
    expect(refusal({url: URL_, colour: "red"})).toEqual(bad(`feed has no option 'colour'; ${options}`));
    expect(refusal({bogus: 1})).toEqual(bad(`feed has no option 'bogus'; ${options}`));
    // A misspelt option names the one it most likely meant.
    expect(refusal({url: URL_, kepe: 5})).toEqual(bad(`feed has no option 'kepe' (did you mean 'keep'?); ${options}`));
    expect(refusal({url: URL_, "skip-shorter-than": "2m"})).toEqual(
      bad(`feed has no option 'skip-shorter-than' (did you mean 'skip_shorter_than'?); ${options}`),
    );
    expect(refusal({url: URL_, refresh_evry: "1h"})).toEqual(
      bad(`feed has no option 'refresh_evry' (did you mean 'refresh_every'?); ${options}`),
    );
    expect(refusal({url: URL_, ["k".repeat(100)]: 1}).message).toBe(
      `feed has no option '${"k".repeat(60)}'; ${options}`,
    );
    expect(refusal(JSON.parse(`{"url": "${URL_}", "__proto__": {"keep": 5}}`))).toEqual(
      bad(`feed has no option '__proto__'; ${options}`),
    );
    const url = bad("feed.url must be the feed's http(s) address");
    for (const u of [
      undefined,
      42,
      "ftp://example.com/feed.xml",
      "example.com/feed.xml",
      `https://e.com/${"a".repeat(2000)}`,
    ])
      expect(refusal({url: u})).toEqual(url);
    const keep = bad("feed.keep must be a whole number from 1 to 100");
    for (const k of [0, 101, 2.5, "5", null]) expect(refusal({url: URL_, keep: k})).toEqual(keep);
    expect(refusal({url: URL_, order: "random"})).toEqual(bad("feed.order must be 'oldest_first' or 'newest_first'"));
    const skip = bad("feed.skip_shorter_than must be a length such as '2m' or '90s'");
    for (const s of ["2 minutes", -1, "", null]) expect(refusal({url: URL_, skip_shorter_than: s})).toEqual(skip);
    const refresh = bad("feed.refresh_every must be a length of at least 15m, such as '1h' or '6h'");
    for (const r of ["14m59s", 899, "soon", 0]) expect(refusal({url: URL_, refresh_every: r})).toEqual(refresh);
  });

  it("shows the options back as people write them", () => {
    const config: FeedConfig = {
      url: URL_,
      keep: 5,
      order: "newest_first",
      skipShorterThan: 90,
      refreshEveryMs: 5_400_000,
    };
    expect(feedOptions(config)).toStrictEqual({
      url: URL_,
      keep: 5,
      order: "newest_first",
      skip_shorter_than: "1m30s",
      refresh_every: "1h30m",
    });
    expect(feedOptions(feedConfig({url: URL_, skip_shorter_than: 0}))).toStrictEqual({
      url: URL_,
      keep: 10,
      order: "oldest_first",
      skip_shorter_than: "0s",
      refresh_every: "1h",
    });
    expect(feedOptions({...config, refreshEveryMs: 3_661_000}).refresh_every).toBe("1h1m1s");
  });
});

describe("lengths", () => {
  it("reads hours, minutes and seconds in that order, any case, spaces ignored", () => {
    expect(lengthSeconds("90s")).toBe(90);
    expect(lengthSeconds("2m")).toBe(120);
    expect(lengthSeconds("1h30m")).toBe(5400);
    expect(lengthSeconds(" 1H 30M 5S ")).toBe(5405);
    expect(lengthSeconds("0s")).toBe(0);
    expect(lengthSeconds(45)).toBe(45);
    expect(lengthSeconds(0)).toBe(0);
  });

  it("refuses anything else", () => {
    for (const v of ["", "45", "h", "30m1h", "12345h", "1.5h", `${"1".repeat(20)}s`, -1, Number.NaN, Infinity, null])
      expect(lengthSeconds(v)).toBeUndefined();
  });
});

const ep = (key: string, published: number, duration?: number): Episode => ({
  key,
  title: key,
  published,
  url: `https://cdn.example.com/${key}.mp3`,
  ...(duration === undefined ? {} : {duration}),
});

describe("which episodes a card holds", () => {
  const feed = [ep("a", 3, 600), ep("b", 5, 30), ep("c", 4), ep("d", 1, 1200), ep("e", 2, 60), ep("a", 10, 600)];
  const config = (keep: number, order: FeedConfig["order"], skipShorterThan?: number): FeedConfig => ({
    url: URL_,
    keep,
    order,
    refreshEveryMs: 3_600_000,
    ...(skipShorterThan === undefined ? {} : {skipShorterThan}),
  });
  const keys = (picked: {chosen: Episode[]}) => picked.chosen.map((e) => e.key);

  it("keeps the newest long enough ones (unknown lengths count), each key once, in the order asked", () => {
    expect(keys(chooseEpisodes(feed, config(3, "newest_first", 60)))).toEqual(["c", "a", "e"]);
    expect(keys(chooseEpisodes(feed, config(3, "oldest_first", 60)))).toEqual(["e", "a", "c"]);
    expect(keys(chooseEpisodes(feed, config(10, "newest_first", 61)))).toEqual(["c", "a", "d"]);
    expect(keys(chooseEpisodes(feed, config(2, "newest_first")))).toEqual(["b", "c"]);
  });

  it("keeps the feed's own order among episodes of the same date", () => {
    const undated = [ep("x", 0), ep("y", 0), ep("z", 0)];
    expect(keys(chooseEpisodes(undated, config(2, "newest_first")))).toEqual(["x", "y"]);
    expect(keys(chooseEpisodes(undated, config(2, "oldest_first")))).toEqual(["y", "x"]);
  });
});

describe("reading a feed", () => {
  it("takes the audio items of an RSS feed, with their dates and itunes lengths", () => {
    const rss = `<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title> Bedtime Tales </title>
<item><title>Ep 2</title><guid>ep-2</guid><pubDate>Tue, 03 Mar 2026 18:00:00 GMT</pubDate>
<enclosure url="https://cdn.example.com/ep2.mp3" type="audio/mpeg" length="1"/><itunes:duration>1:02:03</itunes:duration></item>
<item><title>Photos</title><guid>post</guid><enclosure url="https://cdn.example.com/pic.mp3" type="image/jpeg"/></item>
<item><enclosure url="https://cdn.example.com/ep1.m4a"/><itunes:duration>95</itunes:duration></item>
<item><title>Video</title><enclosure url="https://cdn.example.com/v.mp4"/></item>
<item><title>Old</title><enclosure url="ftp://cdn.example.com/x.mp3" type="audio/mpeg"/></item>
</channel></rss>`;
    expect(parseEpisodes(rss, URL_)).toEqual({
      title: "Bedtime Tales",
      episodes: [
        {
          key: "ep-2",
          title: "Ep 2",
          published: Date.UTC(2026, 2, 3, 18),
          url: "https://cdn.example.com/ep2.mp3",
          type: "audio/mpeg",
          duration: 3723,
        },
        {
          key: "https://cdn.example.com/ep1.m4a",
          title: "ep1.m4a",
          published: 0,
          url: "https://cdn.example.com/ep1.m4a",
          duration: 95,
        },
      ],
      skipped: [
        {title: "Photos", reason: "its enclosure is not audio (image/jpeg)", kind: "not_audio"},
        {title: "Video", reason: "it is a video (mp4), not audio", kind: "video"},
        {title: "Old", reason: "its audio address is not http(s) (ftp:)", kind: "bad_address"},
      ],
      items: 5,
    });
  });

  it("says a web page is not a feed", () => {
    expect(() => parseEpisodes("<!doctype html><html><body>Podcast</body></html>", URL_)).toThrow(
      new Error("it is not an RSS, Atom or JSON feed (is the address the feed's, not its web page?)"),
    );
  });
});
