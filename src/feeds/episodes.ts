import {parseFeed} from "feedsmith";
import {clock} from "./clock.js";
import {enclosuresOf, judge, positiveSeconds, type SkipKind} from "./enclosures.js";
import type {FeedConfig} from "./feedConfig.js";

/** One episode of a feed, whatever the feed's format. */
export interface Episode {
  /** The feed's own id for it (guid / Atom id), else its audio URL: what tells episodes apart across refreshes. */
  key: string;
  title: string;
  /** Milliseconds since the epoch; 0 when the feed gives no date. */
  published: number;
  url: string;
  type?: string;
  /** Seconds, when the feed says (itunes:duration). */
  duration?: number;
}

/** An item that is not an episode, or an episode not taken, and why (in words the family reads). */
export interface Skipped {
  title: string;
  reason: string;
  kind: SkipKind;
}

export interface ParsedFeed {
  title?: string;
  /** The feed's cover (itunes:image, else RSS image, Atom logo/icon, JSON Feed icon): an http(s) address. */
  image?: string;
  episodes: Episode[];
  /** Items that are not audio episodes, with why. */
  skipped: Skipped[];
  /** Items in the feed, episodes or not. */
  items: number;
}

const JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1";

/**
 * The audio episodes of an RSS, Atom, RDF or JSON feed (parsed by feedsmith: no XML parser of our
 * own), and every other item with why it is not one. `feedUrl` is where the feed was read from:
 * relative enclosure addresses resolve against the feed's `xml:base`, else it. Throws with a
 * reason a family can act on when the text is not a feed.
 */
export function parseEpisodes(text: string, feedUrl: string): ParsedFeed {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(lenientJsonFeed(text));
  } catch (err) {
    const name = (err as Error).name;
    throw new Error(
      name === "DetectError"
        ? "it is not an RSS, Atom or JSON feed (is the address the feed's, not its web page?)"
        : `the feed cannot be read (${(err as Error).message})`,
    );
  }
  const feed = parsed.feed as Record<string, unknown>;
  const atom = parsed.format === "atom";
  const items = (atom ? feed.entries : feed.items) as unknown[] | undefined;
  const feedBase = resolved(text1((feed.xml as {base?: unknown} | undefined)?.base), feedUrl) ?? feedUrl;
  const episodes: Episode[] = [];
  const skipped: Skipped[] = [];
  const all = Array.isArray(items) ? items : [];
  for (const raw of all) {
    const item = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    const base = resolved(text1((item.xml as {base?: unknown} | undefined)?.base), feedBase) ?? feedBase;
    const verdict = judge(enclosuresOf(item, atom), base);
    const title = text1(item.title);
    if (!verdict.audio) {
      skipped.push({title: title ?? "(an item without a title)", reason: verdict.reason, kind: verdict.kind});
      continue;
    }
    episodes.push(episodeOf(item, atom, verdict, title));
  }
  const image = coverOf(feed, feedBase);
  return {title: text1(feed.title), ...(image ? {image} : {}), episodes, skipped, items: all.length};
}

/** Longer addresses are not a cover a control point would fetch (and a hostile feed's are not kept). */
const MAX_IMAGE_URL = 2048;

/**
 * The feed's cover: the podcast apps' own (itunes:image) first, then the format's. Only an http(s)
 * address is kept: a `javascript:` or `file:` one is not something to hand a media browser.
 */
function coverOf(feed: Record<string, unknown>, base: string): string | undefined {
  const rssImage = (feed.image as {url?: unknown} | undefined)?.url;
  const candidates = [(feed.itunes as {image?: unknown} | undefined)?.image, rssImage, feed.logo, feed.icon];
  for (const candidate of candidates) {
    // Not text1: that cuts at 300 characters, which would make another address of a long one.
    const text = typeof candidate === "string" ? candidate.trim() : "";
    const url = text.length <= MAX_IMAGE_URL ? resolved(text, base) : undefined;
    if (url && /^https?:\/\//i.test(url) && url.length <= MAX_IMAGE_URL) return url;
  }
  return undefined;
}

function episodeOf(
  item: Record<string, unknown>,
  atom: boolean,
  audio: {url: string; type?: string; duration?: number},
  title: string | undefined,
): Episode {
  const guid = item.guid as {value?: unknown} | string | undefined;
  const key = atom
    ? (text1(item.id) ?? audio.url)
    : (text1(typeof guid === "object" ? guid?.value : guid) ?? text1(item.id) ?? audio.url);
  const itunes = item.itunes as {duration?: unknown} | undefined;
  const dated = atom
    ? (item.published ?? item.updated)
    : (item.pubDate ?? item.date_published ?? (item.dc as {date?: unknown} | undefined)?.date);
  const duration = positiveSeconds(itunes?.duration) ?? audio.duration;
  return {
    key,
    title: title ?? fileTitle(audio.url),
    published: date(dated),
    url: audio.url,
    ...(audio.type ? {type: audio.type} : {}),
    ...(duration !== undefined ? {duration} : {}),
  };
}

/** An untitled episode is named by its file ("Owl Song.mp3"), as written when it is not valid escaping. */
function fileTitle(url: string): string {
  const file = new URL(url).pathname.split("/").pop() || "Episode";
  let name = file;
  try {
    name = decodeURIComponent(file);
  } catch {
    // "%E0%A4.mp3" is no text: the name as written.
  }
  return name.slice(0, 300);
}

/**
 * A JSON Feed whose `version` is not the spec's URL ("1.1", or none) is still a JSON Feed when it
 * has `items`: feedsmith recognises it by the URL, so it is given the URL before parsing.
 */
function lenientJsonFeed(text: string): string {
  const start = text.trimStart();
  if (!start.startsWith("{")) return text;
  let json: unknown;
  try {
    json = JSON.parse(start);
  } catch {
    return text;
  }
  if (typeof json !== "object" || json === null || !Array.isArray((json as {items?: unknown}).items)) return text;
  const version = (json as {version?: unknown}).version;
  if (typeof version === "string" && version.startsWith("https://jsonfeed.org/version/")) return text;
  return JSON.stringify({...json, version: JSON_FEED_VERSION});
}

/**
 * The episodes a card should hold: each once, long enough (when the feed or its media gives a
 * length), the `keep` newest, in the order the family asked for. Those left out for a reason
 * (too short, listed twice) are returned with it; the older ones past `keep` are simply not held.
 */
export function chooseEpisodes(
  episodes: readonly Episode[],
  config: FeedConfig,
): {chosen: Episode[]; skipped: Skipped[]} {
  const seen = new Set<string>();
  const skipped: Skipped[] = [];
  const eligible = episodes.filter((e) => {
    if (seen.has(e.key)) {
      skipped.push({title: e.title, reason: "it is listed twice in the feed", kind: "twice"});
      return false;
    }
    seen.add(e.key);
    const short = config.skipShorterThan;
    if (short !== undefined && e.duration !== undefined && e.duration < short) {
      skipped.push({
        title: e.title,
        reason: `it is ${clock(e.duration)} long, shorter than skip_shorter_than (${clock(short)})`,
        kind: "short",
      });
      return false;
    }
    return true;
  });
  // Newest first by date; the feed's own order breaks ties (most feeds list newest first).
  const newest = eligible
    .map((e, index) => ({e, index}))
    .sort((a, b) => b.e.published - a.e.published || a.index - b.index)
    .slice(0, config.keep)
    .map(({e}) => e);
  return {chosen: config.order === "newest_first" ? newest : newest.reverse(), skipped};
}

function resolved(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

/** A plain string from a feed field that may be text or `{value}` (Atom's text constructs). */
function text1(value: unknown): string | undefined {
  const v = typeof value === "object" && value !== null ? (value as {value?: unknown}).value : value;
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const text = String(v).trim();
  return text === "" ? undefined : text.slice(0, 300);
}

function date(value: unknown): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : 0;
}
