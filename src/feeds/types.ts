import type {FeedFollowed, FeedProgressEvent, FeedRefreshed} from "../shared/api/streams.js";

/** What streams that follow feeds tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    "feed.progress": FeedProgressEvent;
    "feed.followed": FeedFollowed;
    "feed.refreshed": FeedRefreshed;
  }
}
