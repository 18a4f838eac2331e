/** `POST /api/players/<player>/announce`: what it takes and what it answers. */

/**
 * `POST /api/players/<player>/announce`: exactly one of `message` (text to speak), `media` (an
 * http(s) URL) and `item` (a library id), and how to play it.
 */
export type AnnounceBody = ({message: string} | {media: string} | {item: string}) & {
  /** Percent 0–100 while announcing; the player's own volume is put back afterwards. */
  volume?: number;
  /** Start what was playing again afterwards (default true). */
  resume?: boolean;
  only_if_idle?: boolean;
  chime?: boolean;
  language?: string;
  engine?: string;
};

/** `DELETE /api/players/<player>/announce`: what was cancelled. */
export interface AnnounceCancelled {
  player: string;
  playerId: string;
  /** How many waiting announcements were dropped, and whether the one playing was stopped. */
  cancelled: {waiting: number; playing: boolean};
}

/** Where an announcement interrupted a player, and where it was put back. */
export interface AnnounceResumed {
  cardId: string;
  /** A paused card goes back paused, at the same place. */
  paused?: boolean;
  chapterKey?: string;
  trackKey?: string;
  /** Seconds into the track. */
  position?: number;
}

/** `POST /api/players/<player>/announce`: how it went, once the announcement is over. */
export interface AnnounceOutcome {
  player: string;
  playerId: string;
  /** "cancelled": stopped while it played (DELETE /api/players/<player>/announce); the player went back. */
  result: "played" | "skipped" | "cancelled";
  /** Why it was skipped, or how it ended, in words. */
  detail: string;
  seconds?: number;
  audio?: string;
  /** What was started again afterwards (null: nothing was playing, or `resume: false`). */
  resumed?: AnnounceResumed | null;
  /** A cast (from Music Assistant, Home Assistant…) it played over: put back where it was, or why not. */
  cast?: {title: string; resumed: boolean; why?: string};
}
