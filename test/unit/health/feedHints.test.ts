import {describe, expect, it} from "vitest";
import {notTakenError} from "../../../src/feeds/feedParse.js";
import {feedHint, lasting} from "../../../src/health/feedHints.js";

describe("what to do about a failing feed", () => {
  it("reads the error's words: the address, the host, the token, the disk, the home network, the episodes", () => {
    const hints = [
      "https://pod.example/feed.xml answered 404",
      "https://pod.example/feed.xml answered 410",
      "https://pod.example/feed.xml answered 403",
      "https://pod.example/feed.xml answered 503",
      "https://pod.example/feed.xml could not be read (getaddrinfo ENOTFOUND pod.example)",
      "it is not an RSS, Atom or JSON feed (is the address the feed's, not its web page?)",
      "The disk holding '/data/feeds' is full: free some space and retry",
      "https://nas.home/feed.xml could not be read ('nas.home' (192.168.1.5) is a private address, which this service does not fetch from unless you allow it: add '192.168.1.5' to the fetch_allow option)",
      "2 episodes could not be added: 'Tale 1' (answered 404); 'Tale 2' (not downloaded)",
    ].map(feedHint);
    expect(hints).toEqual([
      "Check the feed's address in the Streams tab: the podcast may have moved or ended.",
      "Check the feed's address in the Streams tab: the podcast may have moved or ended.",
      "Check the feed's address in the Streams tab: a private feed's address may have a new token.",
      "The podcast's server has a problem: the feed is tried again at every refresh.",
      "Check the feed's address in the Streams tab, and that the add-on can reach the internet.",
      "Check the feed's address in the Streams tab.",
      "Free some disk space: the feed is tried again at its next refresh.",
      "The feed is on the home network, which is not fetched from unless allowed: add the fetch_allow entry the error names if the feed is yours.",
      "The other episodes play: those are tried again at the next refresh. If they keep failing, check them in the podcast's own app.",
    ]);
  });

  it("matches the hint to the error: a feed whose episodes are all too short, a server asking to slow down", () => {
    // The error as the feeds service writes it when skip_shorter_than leaves nothing to play.
    const parse = {items: 3, episodes: 3, chosen: [], skipped: [], skippedMore: 0, counts: {short: 3}};
    const config = {
      url: "https://pod.example/feed.xml",
      keep: 10,
      order: "oldest_first" as const,
      refreshEveryMs: 3_600_000,
    };
    const tooShort = notTakenError(parse, {...config, skipShorterThan: 600});
    expect(tooShort).toBe("every episode is shorter than skip_shorter_than (10m): lower it or leave it out");
    expect(feedHint(tooShort as string)).toBe(
      "Lower skip_shorter_than in the stream's feed options in the Streams tab, or leave it out: every episode of this feed is shorter.",
    );
    expect(feedHint("https://pod.example/feed.xml answered 429")).toBe(
      "The podcast's server asks to be read less often: the feed is tried again at its next refresh (a longer refresh_every asks less).",
    );
  });

  it("says how long in the unit a family would", () => {
    expect(
      [0, 59_999, 60_000, 5 * 60_000, 60 * 60_000, 47 * 3_600_000, 48 * 3_600_000, 9 * 86_400_000].map(lasting),
    ).toEqual([
      "less than a minute",
      "less than a minute",
      "1 minute",
      "5 minutes",
      "1 hour",
      "47 hours",
      "2 days",
      "9 days",
    ]);
  });
});
