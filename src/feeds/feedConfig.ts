import {didYouMean} from "../core/closest.js";
import {badRequest} from "../core/errors.js";
import type {FeedOptionsView} from "../shared/api/streams.js";

export type {FeedOptionsView};

/** How a stream follows a feed, as stored. */
export interface FeedConfig {
  url: string;
  /** How many of the newest episodes the stream holds. */
  keep: number;
  /** The order they play in. */
  order: "oldest_first" | "newest_first";
  /** Seconds: shorter episodes (trailers, promos) are skipped when the feed gives their length. */
  skipShorterThan?: number;
  refreshEveryMs: number;
}

/** The options as people write them (API JSON and rule YAML). */
export const FEED_OPTIONS = ["url", "keep", "order", "skip_shorter_than", "refresh_every"] as const;

const MIN_REFRESH_MS = 15 * 60_000;
const DEFAULT_REFRESH_MS = 60 * 60_000;
const MAX_KEEP = 100;

/** Check `{"url", "keep", "order", "skip_shorter_than", "refresh_every"}`; every problem says how to fix it. */
export function feedConfig(raw: unknown): FeedConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw badRequest('feed must be an object such as {"url": "https://example.com/podcast.xml"}', "bad_feed");
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(FEED_OPTIONS as readonly string[]).includes(key))
      throw badRequest(
        `feed has no option '${key.slice(0, 60)}'${didYouMean(key, FEED_OPTIONS)}; the options are ${FEED_OPTIONS.join(", ")}`,
        "bad_feed",
      );
  }
  const url = Object.hasOwn(given, "url") ? given.url : undefined;
  if (typeof url !== "string" || !isHttpUrl(url))
    throw badRequest("feed.url must be the feed's http(s) address", "bad_feed");
  const keep = Object.hasOwn(given, "keep") ? given.keep : 10;
  if (typeof keep !== "number" || !Number.isInteger(keep) || keep < 1 || keep > MAX_KEEP)
    throw badRequest(`feed.keep must be a whole number from 1 to ${MAX_KEEP}`, "bad_feed");
  const order = Object.hasOwn(given, "order") ? given.order : "oldest_first";
  if (order !== "oldest_first" && order !== "newest_first")
    throw badRequest("feed.order must be 'oldest_first' or 'newest_first'", "bad_feed");
  const config: FeedConfig = {url, keep, order, refreshEveryMs: DEFAULT_REFRESH_MS};
  if (Object.hasOwn(given, "skip_shorter_than")) {
    const s = lengthSeconds(given.skip_shorter_than);
    if (s === undefined) throw badRequest("feed.skip_shorter_than must be a length such as '2m' or '90s'", "bad_feed");
    config.skipShorterThan = s;
  }
  if (Object.hasOwn(given, "refresh_every")) {
    const s = lengthSeconds(given.refresh_every);
    if (s === undefined || s * 1000 < MIN_REFRESH_MS)
      throw badRequest("feed.refresh_every must be a length of at least 15m, such as '1h' or '6h'", "bad_feed");
    config.refreshEveryMs = s * 1000;
  }
  return config;
}

/** The options back as people write them. */
export function feedOptions(config: FeedConfig): FeedOptionsView {
  return {
    url: config.url,
    keep: config.keep,
    order: config.order,
    ...(config.skipShorterThan !== undefined ? {skip_shorter_than: spoken(config.skipShorterThan)} : {}),
    refresh_every: spoken(config.refreshEveryMs / 1000),
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === "http:" || u.protocol === "https:") && text.length <= 2000;
  } catch {
    return false;
  }
}

const LENGTH = /^(?:(\d{1,4})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?$/;

/** "90s", "2m", "1h30m" or a number of seconds. */
export function lengthSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase().replaceAll(" ", "");
  const m = text.length <= 20 ? LENGTH.exec(text) : null;
  if (!m || text === "") return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function spoken(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || (!h && !m) ? `${s}s` : ""}`;
}
