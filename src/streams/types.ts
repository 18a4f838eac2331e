/** What streams tell the rest of the app: the events they emit, and one recorded request. */

/** One request for a stream's MP3, as recorded and as rules see it (`stream_requested`). */
export interface StreamRequest {
  at: string;
  stream: string;
  client: string;
  userAgent?: string;
  method: string;
  range?: string;
  status: number;
  version: number;
  mode: string;
  /** Library item ids in the order served (one cycle for looping modes). */
  items: string[];
  /** Bytes in the response; undefined for a looping stream, which has no end. */
  bytes?: number;
  /**
   * Range requests by the same client for the same version that followed this one (a player
   * seeking, or fetching in pieces): folded in here, with their bytes, instead of an event each.
   */
  followingRanges?: number;
  /** When the last of those came. */
  lastAt?: string;
}

declare module "../core/events.js" {
  interface EventMap {
    "stream.changed": {name: string; version: number; reason: string; items: number};
    "stream.deleted": {name: string};
    "stream.requested": StreamRequest;
    /** A signed link asked for a stream that no longer exists (answered 404): a card left behind. */
    "stream.missing": {at: string; stream: string; client: string};
  }
}
