import {describe, expect, it} from "vitest";
import {decodeFeed} from "../../../src/feeds/decodeFeed.js";
import type {FeedConfig} from "../../../src/feeds/feedConfig.js";
import {notTakenError, skippedSummary} from "../../../src/feeds/feedParse.js";
import {summarise} from "../../../src/feeds/feedSummary.js";

// Our own fixtures, each reproducing one way real feeds are written (learnt from feed parsers' test
// suites and podcast hosts' published feeds): what a listener should see from each.
const FEED = "https://tales.example.org/shows/owl/feed.xml";
const ITUNES = 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"';
const MEDIA = 'xmlns:media="http://search.yahoo.com/mrss/"';
const config = (extra: Partial<FeedConfig> = {}): FeedConfig => ({
  url: FEED,
  keep: 50,
  order: "newest_first",
  refreshEveryMs: 3_600_000,
  ...extra,
});

/** An RSS 2.0 feed around `items` (one string each), dated newest first as most feeds are. */
function rss(items: string[], rootAttributes = ""): string {
  const body = items
    .map(
      (inner, i) =>
        `<item><guid>g${i}</guid><pubDate>${new Date(Date.UTC(2026, 9, 30 - i)).toUTCString()}</pubDate>${inner}</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" ${ITUNES} ${MEDIA} ${rootAttributes}><channel><title>Owl Tales</title>
${body}
</channel></rss>`;
}

const read = (text: string, extra?: Partial<FeedConfig>, url = FEED) =>
  summarise({text, feedUrl: url, config: config(extra)});
const one = (inner: string, rootAttributes?: string) => read(rss([`<title>Ep</title>${inner}`], rootAttributes));
const url = (inner: string, rootAttributes?: string) => one(inner, rootAttributes).chosen[0]?.url;
const reason = (inner: string) => one(inner).skipped[0]?.reason;

describe("enclosure addresses as feeds write them", () => {
  it("1. resolves a root-relative address against the feed's own", () => {
    expect(url('<enclosure url="/media/ep1.mp3" type="audio/mpeg"/>')).toBe("https://tales.example.org/media/ep1.mp3");
  });
  it("2. resolves a protocol-relative address with the feed's scheme", () => {
    expect(url('<enclosure url="//cdn.example.net/owl/ep1.mp3" type="audio/mpeg"/>')).toBe(
      "https://cdn.example.net/owl/ep1.mp3",
    );
  });
  it("3. trims spaces and line breaks around the address", () => {
    expect(url('<enclosure url="  https://cdn.example.net/ep1.mp3\n" type="audio/mpeg"/>')).toBe(
      "https://cdn.example.net/ep1.mp3",
    );
  });
  it("4. resolves a path-relative address against the feed's folder", () => {
    expect(url('<enclosure url="audio/ep1.mp3" type="audio/mpeg"/>')).toBe(
      "https://tales.example.org/shows/owl/audio/ep1.mp3",
    );
  });
  it("5. prefers the feed's xml:base to its address", () => {
    expect(url('<enclosure url="ep1.mp3" type="audio/mpeg"/>', 'xml:base="https://files.example.com/owl/"')).toBe(
      "https://files.example.com/owl/ep1.mp3",
    );
  });
  it("6. resolves against the address the feed was read at in the end (after a redirect)", () => {
    const text = rss(['<title>Ep</title><enclosure url="ep1.mp3" type="audio/mpeg"/>']);
    expect(read(text, {}, "https://moved.example.com/new/feed.xml").chosen[0]?.url).toBe(
      "https://moved.example.com/new/ep1.mp3",
    );
  });
  it("7. refuses an address that is not http(s), saying so", () => {
    expect(reason('<enclosure url="ftp://files.example.com/ep1.mp3" type="audio/mpeg"/>')).toBe(
      "its audio address is not http(s) (ftp:)",
    );
  });
});

describe("media types in the wild", () => {
  for (const [n, type] of [
    ["8", "x-audio/mp3"],
    ["9", "audio/x-mp3"],
    ["10", "audio/x-m4a"],
    ["11", "audio/mp4"],
    ["12", "audio/mpeg; charset=binary"],
  ] as const)
    it(`${n}. takes '${type}' as audio`, () => {
      expect(url(`<enclosure url="https://cdn.example.net/ep1" type="${type}"/>`)).toBe("https://cdn.example.net/ep1");
    });
  it("13. judges an enclosure with no type by its extension", () => {
    expect(url('<enclosure url="https://cdn.example.net/ep1.m4a"/>')).toBe("https://cdn.example.net/ep1.m4a");
    expect(url('<enclosure url="https://cdn.example.net/ep1.opus" type=""/>')).toBe("https://cdn.example.net/ep1.opus");
  });
  it("14. keeps an enclosure with neither a telling type nor extension, for the download's own check", () => {
    expect(url('<enclosure url="https://cdn.example.net/play?id=7" type="application/octet-stream"/>')).toBe(
      "https://cdn.example.net/play?id=7",
    );
  });
  it("15. takes an MP3 mislabelled as video/mpeg", () => {
    expect(url('<enclosure url="https://cdn.example.net/ep1.mp3" type="video/mpeg"/>')).toBe(
      "https://cdn.example.net/ep1.mp3",
    );
  });
  it("16. leaves out a video, saying it is one", () => {
    expect(reason('<enclosure url="https://cdn.example.net/ep1.mp4" type="video/mp4"/>')).toBe(
      "it is a video (video/mp4), not audio",
    );
    expect(reason('<enclosure url="https://cdn.example.net/ep1.m4v"/>')).toBe("it is a video (m4v), not audio");
  });
  it("17. leaves out an image or a document, even one named .mp3", () => {
    expect(reason('<enclosure url="https://cdn.example.net/cover.mp3" type="image/jpeg"/>')).toBe(
      "its enclosure is not audio (image/jpeg)",
    );
    expect(reason('<enclosure url="https://cdn.example.net/notes.pdf" type="application/pdf"/>')).toBe(
      "its enclosure is not audio (application/pdf)",
    );
  });
  it("18. takes the audio one of several enclosures (a video first, then the MP3)", () => {
    expect(
      url(
        '<enclosure url="https://cdn.example.net/ep1.mp4" type="video/mp4"/><enclosure url="https://cdn.example.net/ep1.mp3" type="audio/mpeg"/>',
      ),
    ).toBe("https://cdn.example.net/ep1.mp3");
  });
});

describe("where items keep their media", () => {
  it("19. Media RSS media:content without an enclosure, with its duration", () => {
    const feed = one('<media:content url="https://cdn.example.net/ep1.mp3" type="audio/mpeg" duration="754"/>');
    expect(feed.chosen[0]).toMatchObject({url: "https://cdn.example.net/ep1.mp3", duration: 754});
  });
  it("20. media:content inside a media:group", () => {
    expect(
      url('<media:group><media:content url="https://cdn.example.net/ep1.m4a" type="audio/x-m4a"/></media:group>'),
    ).toBe("https://cdn.example.net/ep1.m4a");
  });
  it("21. Atom's link rel=enclosure, relative to the feed's xml:base", () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://owl.example.org/audio/">
<title>Owl Tales (Atom)</title><id>urn:owl</id><updated>2026-10-30T06:00:00Z</updated>
<entry><title>First flight</title><id>urn:owl:1</id><published>2026-10-29T06:00:00Z</published><updated>2026-10-29T06:00:00Z</updated>
<link rel="alternate" href="https://owl.example.org/1"/><link rel="enclosure" href="first.mp3" type="audio/mpeg" length="100"/></entry>
<entry><title>Notes</title><id>urn:owl:2</id><updated>2026-10-28T06:00:00Z</updated><link rel="alternate" href="https://owl.example.org/2"/></entry>
</feed>`;
    const parsed = read(atom);
    expect(parsed.title).toBe("Owl Tales (Atom)");
    expect(parsed.chosen.map((e) => [e.key, e.title, e.url])).toEqual([
      ["urn:owl:1", "First flight", "https://owl.example.org/audio/first.mp3"],
    ]);
    expect(parsed.skipped).toEqual([{title: "Notes", reason: "it has no audio enclosure", kind: "no_audio"}]);
  });
  it("22. JSON Feed attachments, with the spec's version URL", () => {
    const json = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title: "Owl Tales (JSON)",
      items: [
        {
          id: "j1",
          title: "Moonlight",
          date_published: "2026-10-29T06:00:00Z",
          attachments: [{url: "https://cdn.example.net/moon.mp3", mime_type: "audio/mpeg", duration_in_seconds: 300}],
        },
      ],
    });
    expect(read(json).chosen).toEqual([
      {
        key: "j1",
        title: "Moonlight",
        published: Date.UTC(2026, 9, 29, 6),
        url: "https://cdn.example.net/moon.mp3",
        type: "audio/mpeg",
        duration: 300,
      },
    ]);
  });
  it("23. a JSON Feed whose version is '1.1' or missing is read all the same", () => {
    for (const version of ["1.1", undefined]) {
      const json = JSON.stringify({
        ...(version ? {version} : {}),
        title: "Owl",
        items: [
          {
            id: "j1",
            title: "Moonlight",
            attachments: [{url: "https://cdn.example.net/moon.mp3", mime_type: "audio/mpeg"}],
          },
        ],
      });
      expect(read(json).chosen.map((e) => e.title)).toEqual(["Moonlight"]);
    }
  });
});

describe("item shapes", () => {
  it("24. itunes:duration as h:mm:ss, m:ss and seconds", () => {
    const feed = read(
      rss([
        '<title>A</title><enclosure url="https://c.example.net/a.mp3" type="audio/mpeg"/><itunes:duration>1:02:03</itunes:duration>',
        '<title>B</title><enclosure url="https://c.example.net/b.mp3" type="audio/mpeg"/><itunes:duration>12:30</itunes:duration>',
        '<title>C</title><enclosure url="https://c.example.net/c.mp3" type="audio/mpeg"/><itunes:duration>95</itunes:duration>',
      ]),
    );
    expect(feed.chosen.map((e) => e.duration)).toEqual([3723, 750, 95]);
  });
  it("25. CDATA and entities in titles come out as text", () => {
    const cdata = read(
      rss([
        '<title><![CDATA[Owls & Moons <3]]></title><enclosure url="https://c.example.net/a.mp3" type="audio/mpeg"/>',
      ]),
    );
    expect(cdata.chosen[0]?.title).toBe("Owls & Moons <3");
    const entity = read(
      rss(['<title>Fox &amp; Hound</title><enclosure url="https://c.example.net/a.mp3" type="audio/mpeg"/>']),
    );
    expect(entity.chosen[0]?.title).toBe("Fox & Hound");
  });
  it("26. an item without a title is named by its file", () => {
    expect(
      read(rss(['<enclosure url="https://c.example.net/Owl%20Song.mp3" type="audio/mpeg"/>'])).chosen[0]?.title,
    ).toBe("Owl Song.mp3");
  });
  it("27. an episode listed twice is held once, and the second is said", () => {
    const twice = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Same</title><guid>dup</guid><enclosure url="https://c.example.net/a.mp3" type="audio/mpeg"/></item>
<item><title>Same again</title><guid>dup</guid><enclosure url="https://c.example.net/a.mp3" type="audio/mpeg"/></item>
</channel></rss>`;
    const feed = read(twice);
    expect(feed.chosen.map((e) => e.title)).toEqual(["Same"]);
    expect(feed.skipped).toEqual([{title: "Same again", reason: "it is listed twice in the feed", kind: "twice"}]);
  });
  it("28. undated items keep the feed's order", () => {
    const undated = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
${["One", "Two", "Three"].map((t) => `<item><title>${t}</title><enclosure url="https://c.example.net/${t}.mp3" type="audio/mpeg"/></item>`).join("")}
</channel></rss>`;
    expect(read(undated, {keep: 2}).chosen.map((e) => e.title)).toEqual(["One", "Two"]);
  });
  it("29. an item with no media is left out, saying why", () => {
    expect(reason("<description>Show notes only</description>")).toBe("it has no audio enclosure");
  });
});

describe("feeds that give nothing to play", () => {
  it("30. an RSS 1.0 news feed has no audio episodes: that is the feed's error", () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://news.example.org/"><title>Village News</title><link>https://news.example.org/</link><description>News</description></channel>
<item rdf:about="https://news.example.org/1"><title>Fete on Saturday</title><link>https://news.example.org/1</link></item>
<item rdf:about="https://news.example.org/2"><title>Road closed</title><link>https://news.example.org/2</link></item>
</rdf:RDF>`;
    const feed = read(rdf);
    expect(feed).toMatchObject({title: "Village News", items: 2, episodes: 0, chosen: []});
    expect(notTakenError(feed, config())).toBe(
      "this feed has no audio episodes (2 items, none with an audio enclosure)",
    );
    expect(skippedSummary(feed)).toBe("2 items left out: 2 without audio (the stream's feed view lists why)");
  });
  it("31. a skip_shorter_than above every episode empties nothing silently: it is the feed's error", () => {
    const short = rss([
      '<title>Tiny 1</title><enclosure url="https://c.example.net/1.mp3" type="audio/mpeg"/><itunes:duration>1:10</itunes:duration>',
      '<title>Tiny 2</title><enclosure url="https://c.example.net/2.mp3" type="audio/mpeg"/><itunes:duration>95</itunes:duration>',
    ]);
    const feed = read(short, {skipShorterThan: 120});
    expect(feed.chosen).toEqual([]);
    expect(feed.skipped.map((s) => s.reason)).toEqual([
      "it is 1m 10s long, shorter than skip_shorter_than (2m)",
      "it is 1m 35s long, shorter than skip_shorter_than (2m)",
    ]);
    expect(notTakenError(feed, config({skipShorterThan: 120}))).toBe(
      "every episode is shorter than skip_shorter_than (2m): lower it or leave it out",
    );
  });
  it("32. an empty feed says so", () => {
    expect(notTakenError(read(rss([])), config())).toBe("this feed has no items");
  });
});

describe("encodings", () => {
  const latin2 = (bytes: number[]) => Buffer.from(bytes);
  it("33. ISO-8859-2 declared in the XML prolog", () => {
    const head = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-2"?><rss version="2.0"><channel><title>Bajki</title><item><title>',
      "latin1",
    );
    // "Żółw" in ISO-8859-2.
    const title = latin2([0xaf, 0xf3, 0xb3, 0x77]);
    const tail = Buffer.from(
      '</title><enclosure url="https://c.example.net/z.mp3" type="audio/mpeg"/></item></channel></rss>',
      "latin1",
    );
    const text = decodeFeed(Buffer.concat([head, title, tail]));
    expect(read(text).chosen[0]?.title).toBe("Żółw");
  });
  it("34. GB2312 named by the Content-Type header, which wins over the prolog", () => {
    const head = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><item><title>',
      "latin1",
    );
    const title = Buffer.from([0xcb, 0xaf, 0xc7, 0xb0, 0xb9, 0xca, 0xca, 0xc2]); // "睡前故事"
    const tail = Buffer.from(
      '</title><enclosure url="https://c.example.net/s.mp3" type="audio/mpeg"/></item></channel></rss>',
      "latin1",
    );
    const text = decodeFeed(Buffer.concat([head, title, tail]), 'application/rss+xml; charset="GB2312"');
    expect(read(text).chosen[0]?.title).toBe("睡前故事");
  });
  it("35. a byte-order mark wins over both, and UTF-16 is read", () => {
    const doc =
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>T</title><item><title>Ünïcødé</title><enclosure url="https://c.example.net/u.mp3" type="audio/mpeg"/></item></channel></rss>';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc, "utf8")]);
    expect(read(decodeFeed(utf8, "text/xml; charset=iso-8859-1")).chosen[0]?.title).toBe("Ünïcødé");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, "utf16le")]);
    expect(read(decodeFeed(utf16)).chosen[0]?.title).toBe("Ünïcødé");
  });
  it("36. an unknown charset label falls back to UTF-8 rather than failing the feed", () => {
    const text = decodeFeed(
      Buffer.from(rss(['<title>Café</title><enclosure url="https://c.example.net/c.mp3" type="audio/mpeg"/>']), "utf8"),
      "text/xml; charset=x-made-up",
    );
    expect(read(text).chosen[0]?.title).toBe("Café");
  });
});

describe("malformed items do not fail the feed", () => {
  it("37. an untitled item whose file name is not valid escaping is named as written", () => {
    expect(read(rss(['<enclosure url="https://c.example.net/%E0%A4.mp3" type="audio/mpeg"/>'])).chosen[0]?.title).toBe(
      "%E0%A4.mp3",
    );
  });
  it("38. an enclosure without an address is not the feed's own address", () => {
    for (const written of ['url=""', "", 'url="?x=1"'])
      expect(reason(`<enclosure ${written} type="audio/mpeg"/>`)).toBe("its enclosure has no address");
  });
  it("39. an unreadable address is named without its query (it may carry a token)", () => {
    expect(reason('<enclosure url="https://cdn.example.com:999999/ep.mp3?token=SECRET" type="audio/mpeg"/>')).toBe(
      "its audio address 'https://cdn.example.com:999999/ep.mp3' cannot be read",
    );
  });
  it("40. a document that says UTF-16 without a byte-order mark is read as the ASCII it is", () => {
    const doc = rss(['<title>Plain</title><enclosure url="https://c.example.net/p.mp3" type="audio/mpeg"/>']).replace(
      'encoding="UTF-8"',
      'encoding="UTF-16"',
    );
    expect(read(decodeFeed(Buffer.from(doc, "utf8"))).chosen[0]?.title).toBe("Plain");
    expect(read(decodeFeed(Buffer.from(doc, "utf8"), "text/xml; charset=utf-16")).chosen[0]?.title).toBe("Plain");
  });
});
