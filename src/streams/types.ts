import type {StreamAddingEvent, StreamChanged, StreamRequest} from "../shared/api/streams.js";

export type {StreamRequest};

/** What streams tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    "stream.changed": StreamChanged;
    /** Tracks on their way into a queue moved on, or the last of them came. */
    "stream.addProgress": StreamAddingEvent;
    "stream.deleted": {name: string};
    "stream.requested": StreamRequest;
    /** A signed link asked for a stream that no longer exists (answered 404): a card left behind. */
    "stream.missed": {at: string; stream: string; client: string};
  }
}
