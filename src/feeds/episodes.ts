import {parseFeed} from "feedsmith";
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

export interface ParsedFeed {
  title?: string;
  episodes: Episode[];
}

const AUDIO_EXTENSION = /\.(mp3|m4a|aac|ogg|oga|opus|wav|flac|mp4a)$/i;

/**
 * The audio episodes of an RSS, Atom, RDF or JSON feed (parsed by feedsmith: no XML parser of our
 * own). Items without an audio enclosure (articles, videos) are not episodes. Throws with a reason
 * a family can act on when the text is not a feed.
 */
export function parseEpisodes(text: string): ParsedFeed {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch (err) {
    const name = (err as Error).name;
    throw new Error(
      name === "DetectError"
        ? "it is not an RSS, Atom or JSON feed (is the address the feed's, not its web page?)"
        : `the feed cannot be read (${(err as Error).message})`,
    );
  }
  const feed = parsed.feed as Record<string, unknown>;
  const items = (parsed.format === "atom" ? feed.entries : feed.items) as unknown[] | undefined;
  const episodes: Episode[] = [];
  for (const raw of Array.isArray(items) ? items : []) {
    const episode = parsed.format === "atom" ? atomEpisode(raw) : itemEpisode(raw);
    if (episode) episodes.push(episode);
  }
  return {title: text1(feed.title), episodes};
}

/** RSS, RDF and JSON Feed items. */
function itemEpisode(raw: unknown): Episode | undefined {
  const item = raw as Record<string, unknown>;
  const enclosures = [
    ...list(item.enclosures),
    ...list(item.enclosure),
    ...list(item.attachments).map((a) => {
      const att = a as Record<string, unknown>;
      return {url: att.url, type: att.mime_type};
    }),
  ] as Array<Record<string, unknown>>;
  const audio = enclosures.find(isAudio);
  if (!audio) return undefined;
  const url = String(audio.url);
  const guid = item.guid as {value?: unknown} | string | undefined;
  const key = text1(typeof guid === "object" ? guid?.value : guid) ?? text1(item.id) ?? url;
  const itunes = item.itunes as {duration?: unknown} | undefined;
  return {
    key,
    title: text1(item.title) ?? url.split("/").pop() ?? "Episode",
    published: date(item.pubDate ?? item.date_published ?? (item.dc as {date?: unknown} | undefined)?.date),
    url,
    type: text1(audio.type),
    duration: seconds(itunes?.duration),
  };
}

function atomEpisode(raw: unknown): Episode | undefined {
  const entry = raw as Record<string, unknown>;
  const audio = (list(entry.links) as Array<Record<string, unknown>>)
    .filter((l) => l.rel === "enclosure")
    .map((l) => ({url: l.href, type: l.type}))
    .find(isAudio);
  if (!audio) return undefined;
  const url = String(audio.url);
  return {
    key: text1(entry.id) ?? url,
    title: text1(entry.title) ?? url.split("/").pop() ?? "Episode",
    published: date(entry.published ?? entry.updated),
    url,
    type: text1(audio.type),
  };
}

function isAudio(enclosure: Record<string, unknown>): boolean {
  if (typeof enclosure.url !== "string" || !/^https?:\/\//i.test(enclosure.url)) return false;
  const type = typeof enclosure.type === "string" ? enclosure.type.toLowerCase() : "";
  if (type) return type.startsWith("audio/");
  return AUDIO_EXTENSION.test(new URL(enclosure.url).pathname);
}

/**
 * The episodes a card should hold: audio long enough (when the feed gives a length), the `keep`
 * newest, in the order the family asked for.
 */
export function chooseEpisodes(episodes: readonly Episode[], config: FeedConfig): Episode[] {
  const seen = new Set<string>();
  const eligible = episodes.filter((e) => {
    if (seen.has(e.key)) return false;
    seen.add(e.key);
    return config.skipShorterThan === undefined || e.duration === undefined || e.duration >= config.skipShorterThan;
  });
  // Newest first by date; the feed's own order breaks ties (most feeds list newest first).
  const newest = eligible
    .map((e, index) => ({e, index}))
    .sort((a, b) => b.e.published - a.e.published || a.index - b.index)
    .slice(0, config.keep)
    .map(({e}) => e);
  return config.order === "newest_first" ? newest : newest.reverse();
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
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

function seconds(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
