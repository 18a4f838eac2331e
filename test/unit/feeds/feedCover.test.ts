import {describe, expect, it} from "vitest";
import {parseEpisodes} from "../../../src/feeds/episodes.js";
import {feedConfig} from "../../../src/feeds/feedConfig.js";
import {summarise} from "../../../src/feeds/feedSummary.js";

const FEED_URL = "https://feeds.example.org/story-time/rss";

/** A feed shaped as podcast hosts write them: the channel's RSS image and its itunes:image, episodes with their own. */
function hostedFeed(channelImages: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <atom:link href="${FEED_URL}" rel="self" type="application/rss+xml"/>
    <title>Story Time</title>
    <link>https://story-time.example.org</link>
    <language>en</language>
    <description>Stories for small people</description>
    <itunes:author>Story Time</itunes:author>
    <itunes:explicit>false</itunes:explicit>
    <itunes:category text="Kids &amp; Family"/>
    ${channelImages}
    <item>
      <title>The Moon Fox</title>
      <guid isPermaLink="false">st-0042</guid>
      <pubDate>Tue, 03 Nov 2026 06:00:00 +0000</pubDate>
      <itunes:image href="https://cdn.example.org/st/episodes/42.jpg"/>
      <itunes:duration>00:12:31</itunes:duration>
      <enclosure url="https://cdn.example.org/st/42.mp3" length="12015360" type="audio/mpeg"/>
    </item>
  </channel>
</rss>`;
}

describe("a podcast's cover", () => {
  it("is the feed's itunes:image, not the RSS image or an episode's", () => {
    const feed =
      hostedFeed(`<image><url>https://story-time.example.org/logo-144.png</url><title>Story Time</title><link>https://story-time.example.org</link></image>
    <itunes:image href="https://cdn.example.org/st/cover-3000.jpg"/>`);
    const parsed = parseEpisodes(feed, FEED_URL);
    expect(parsed.image).toBe("https://cdn.example.org/st/cover-3000.jpg");
    expect(parsed.episodes.map((e) => e.title)).toEqual(["The Moon Fox"]);
    // What a refresh keeps of the parse carries it too.
    expect(summarise({text: feed, feedUrl: FEED_URL, config: feedConfig({url: FEED_URL})}).image).toBe(
      "https://cdn.example.org/st/cover-3000.jpg",
    );
  });

  it("falls back to the RSS image, read against the feed's address", () => {
    const feed = hostedFeed(
      "<image><url>/art/logo.jpg</url><title>Story Time</title><link>https://story-time.example.org</link></image>",
    );
    expect(parseEpisodes(feed, FEED_URL).image).toBe("https://feeds.example.org/art/logo.jpg");
  });

  it("keeps a long address whole, and no address that is not http(s)", () => {
    const long = `https://cdn.example.org/${"a".repeat(400)}.jpg`;
    expect(parseEpisodes(hostedFeed(`<itunes:image href="${long}"/>`), FEED_URL).image).toBe(long);
    expect(parseEpisodes(hostedFeed(`<itunes:image href="javascript:alert(1)"/>`), FEED_URL).image).toBeUndefined();
    expect(parseEpisodes(hostedFeed(""), FEED_URL).image).toBeUndefined();
  });
});
