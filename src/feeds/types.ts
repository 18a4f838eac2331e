/** What streams that follow feeds tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A feed stream is downloading its new episodes: `done` of `total`, `title` the one under way. */
    "feed.progress": {stream: string; done: number; total: number; title: string};
    /** A stream began or stopped following a feed. */
    "feed.followed": {stream: string; following: boolean};
    /** A feed stream was refreshed (`changed` false: the feed was unchanged) or failed (`error`). */
    "feed.refreshed": {
      stream: string;
      ok: boolean;
      changed: boolean;
      episodes: number;
      error?: string;
      /** Unchanged, but the refresh before had failed: that failure is over. */
      recovered?: boolean;
    };
  }
}

export {};
