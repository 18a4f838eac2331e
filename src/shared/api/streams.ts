/** Stream queues, the feeds they follow, and the requests players make for them. */

/** How a stream plays its queue. */
export type PlayMode = "once" | "loop" | "shuffle" | "shuffle_loop";

/** A stream as stored: a queue of library item ids, how to play it, and named alternative queues. */
export interface StreamState {
  name: string;
  items: string[];
  mode: PlayMode;
  presets: Record<string, string[]>;
  /** The preset last switched to; null once the queue is edited by hand. */
  activePreset: string | null;
  /** Bumped by every change: the ETag of the served MP3 and the order of shuffled modes follow it. */
  version: number;
  /** A station stream's internet radio station (its address as given, credentials and all: never shown). */
  radio?: {url: string} | null;
  createdAt: string;
  updatedAt: string;
}

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

/** The options as the API shows them (and takes them). */
export interface FeedOptionsView {
  url: string;
  keep: number;
  order: "oldest_first" | "newest_first";
  /** A length as people write it ("2m"); absent when nothing is skipped. */
  skip_shorter_than?: string;
  refresh_every: string;
}

export interface FeedProgress {
  done: number;
  total: number;
  title: string;
}

/** `PUT /api/streams/<name>` `{"feed": …}`: the feed's address, the rest as `feed` shows them, each optional. */
export type FeedFollow = Pick<FeedOptionsView, "url"> & Partial<Omit<FeedOptionsView, "url">>;

/** A feed stream's `feed`: how it follows the feed, and what the last refresh brought. */
export interface FeedView extends FeedOptionsView {
  title: string | null;
  /** The feed's cover address (its itunes:image), as the feed gives it. */
  image: string | null;
  refreshing: boolean;
  progress: FeedProgress | null;
  last_checked: string | null;
  last_refresh: string | null;
  error: string | null;
  /** When the failure `error` tells of began (it may have lasted over several refreshes); null while the feed works. */
  failing_since: string | null;
  episodes: Array<{title: string; published: string | null; duration: number | null; item: string}>;
  /** Items of the feed that were not kept, and why. */
  skipped: Array<{title: string; reason: string}>;
  /** Items left out beyond those listed in `skipped` (a huge feed's are counted, not listed). */
  skipped_more: number;
  /** Episodes the family hid (removed from the queue): refreshes leave them out until they are unhidden by `key`. */
  hidden: HiddenEpisode[];
}

/** An episode hidden from a feed stream: the feed's own id for it, and its title when it was hidden. */
export interface HiddenEpisode {
  key: string;
  title: string;
}

/** One queue entry as the admin API shows it: the item's title, or `missing` once it is gone. */
export type StreamItemView =
  | {id: string; title: string; relPath: string; duration: number}
  | {id: string; title: null; relPath: null; duration: number; missing: true};

/** A stream as the admin API shows it: items resolved to titles, with its signed path. */
export interface StreamView extends Omit<StreamState, "items"> {
  items: StreamItemView[];
  /** Seconds, one decimal. */
  duration: number;
  url?: string;
  signedPath: string;
  feed: FeedView | null;
  /** A station stream's station and how it is; null for a queue. */
  radio: RadioView | null;
  /** Tracks on their way into the queue, and those that could not be added; null when there are none. */
  adding: StreamAdding | null;
}

/**
 * Tracks that come into a queue after the change that asked for them answered (a media server
 * folder's "Add all", an archived card played as a stream): the first are in the answer, the
 * others are placed after them in order as they are fetched. Kept once done while some failed.
 */
export interface StreamAdding {
  /** True while tracks are still on their way. */
  under_way: boolean;
  /** Tracks settled (placed, or given up) of those asked for. */
  done: number;
  total: number;
  /** Tracks that could not be added, with why: the first 20 listed, `failed_count` counts them all. */
  failed: Array<{title: string; reason: string}>;
  failed_count: number;
}

/** `stream.addProgress`: tracks on their way into a queue moved on (or the last came, `under_way` false). */
export type StreamAddingEvent = {stream: string} & StreamAdding;

/** How a station stream is: "down" once it has failed for a while (`error` says why). */
export type RadioState = "idle" | "connecting" | "playing" | "reconnecting" | "down";

/** A station stream's `radio` in the API: its address without credentials, and what it plays now. */
export interface RadioView {
  url: string;
  state: RadioState;
  /** The song the station says it plays (its ICY `StreamTitle`). */
  now_playing: string | null;
  error: string | null;
  listeners: number;
  /** When the state began; null while nobody has listened since the start. */
  since: string | null;
}

/** `radio.songChanged`: the song a station says it plays changed. */
export interface RadioNowPlaying {
  stream: string;
  title: string;
}

/** `radio.stateChanged`: a station stream's state changed (`error` says why when it is not playing). */
export interface RadioStateChanged {
  stream: string;
  state: RadioState;
  error: string | null;
}

/** The queue in the original service's shape, which its clients read. */
export interface SeedQueue {
  name: string;
  files: string[];
  file_count: number;
  loop: boolean;
}

/** What a stream change answers. */
export interface StreamChange {
  success: true;
  message: string;
  queue: SeedQueue;
  stream: StreamView;
}

/** `stream.changed`: a stream's queue, mode or preset changed (`version` went up). */
export interface StreamChanged {
  name: string;
  version: number;
  reason: string;
  items: number;
}

/** `feed.progress`: a feed stream is downloading its new episodes, `title` the one under way. */
export type FeedProgressEvent = {stream: string} & FeedProgress;

/** `feed.followed`: a stream began or stopped following a feed. */
export interface FeedFollowed {
  stream: string;
  following: boolean;
}

/** `feed.refreshed`: a feed stream was refreshed (`changed` false: the feed was unchanged) or failed (`error`). */
export interface FeedRefreshed {
  stream: string;
  ok: boolean;
  changed: boolean;
  episodes: number;
  error?: string;
  /** Unchanged, but the refresh before had failed: that failure is over. */
  recovered?: boolean;
}
