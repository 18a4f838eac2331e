import type {SkipKind} from "./enclosures.js";
import {chooseEpisodes, parseEpisodes} from "./episodes.js";
import type {FeedConfig} from "./feedConfig.js";
import type {FeedParse} from "./feedParse.js";

// The parse itself, apart from feedParse.ts: feedsmith (about 2 MB of heap) is loaded by the first
// feed read here or in the parse worker, never by a service whose family follows no podcast.

/** Items listed with their reason; a feed of 80,000 promos is counted, not listed. */
const LISTED = 50;

/** Parse and choose, returning only what the refresh keeps (small whatever the feed's size). */
export function summarise(input: {text: string; feedUrl: string; config: FeedConfig; hidden?: string[]}): FeedParse {
  const parsed = parseEpisodes(input.text, input.feedUrl);
  const hidden = new Set(input.hidden);
  const wanted = hidden.size ? parsed.episodes.filter((e) => !hidden.has(e.key)) : parsed.episodes;
  const {chosen, skipped: notTaken} = chooseEpisodes(wanted, input.config);
  const skipped = [...parsed.skipped, ...notTaken];
  const counts: Partial<Record<SkipKind, number>> = {};
  for (const s of skipped) counts[s.kind] = (counts[s.kind] ?? 0) + 1;
  return {
    ...(parsed.title !== undefined ? {title: parsed.title} : {}),
    ...(parsed.image !== undefined ? {image: parsed.image} : {}),
    items: parsed.items,
    episodes: parsed.episodes.length,
    chosen,
    skipped: skipped.slice(0, LISTED),
    skippedMore: Math.max(0, skipped.length - LISTED),
    counts,
  };
}
