/** What a feed's saved record says of its last refresh. */
interface Refreshed {
  error?: string;
  /** When the failure `error` tells of began: a feed failing for a day is not one failing for a minute. */
  failingSince?: number;
  checkedAt?: number;
}

/** A failing feed, as the health overview and Home Assistant list it. */
export interface FailingFeed {
  stream: string;
  error: string;
  /** Epoch ms. */
  since: number;
}

/** Records saved before `failingSince` existed count from their last check. */
export function failingSince(r: Refreshed): number {
  return r.failingSince ?? r.checkedAt ?? Date.now();
}

/** A failure goes on from when the one before began; after a good refresh a new one starts now. */
export function stillFailingSince(before: Refreshed, now: number): number {
  return before.error === undefined ? now : failingSince(before);
}

/**
 * The feeds service's health: degraded while a feed fails, as other services whose work does not
 * get done are (the family hears the last good episodes, not the new ones).
 */
export function feedsHealth(failing: FailingFeed[], feeds: number) {
  return {
    ...(failing.length
      ? {degraded: true, error: `Podcast feeds failing: ${failing.map((f) => `'${f.stream}' (${f.error})`).join("; ")}`}
      : {}),
    details: {feeds, failing: failing.map((f) => f.stream)},
  };
}
