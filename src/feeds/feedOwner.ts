import {AppError} from "../core/errors.js";
import type {QueueEdit, StreamOwner} from "../streams/streamOwnership.js";
import type {KeptEpisode} from "./episodeDownloads.js";

/**
 * A feed writes its stream's queue at every refresh: the stream's own items (a greeting) first,
 * then the episodes in the feed's order. So a change from anyone else (the panel, a rule, Home
 * Assistant) is refused when that refresh would undo it, with why and what to do instead, and an
 * item added without a place goes in front of the episodes, where it stays.
 */
export function feedOwner(feeds: {
  has(stream: string): boolean;
  episodes(stream: string): readonly KeptEpisode[];
}): StreamOwner {
  return {
    owns: (stream) => feeds.has(stream),
    judge<E extends QueueEdit>(stream: string, edit: E, items: readonly string[]): E {
      const episodes = new Set(feeds.episodes(stream).map((e) => e.itemId));
      const first = items.findIndex((id) => episodes.has(id));
      // How many of the stream's own items lead the queue before its first episode.
      const front = first === -1 ? items.length : first;
      switch (edit.kind) {
        case "radio":
          throw followsFeed(
            stream,
            `which would replace the station at its next refresh: stop following it first (DELETE /api/streams/${stream}/feed)`,
          );
        case "replace":
          throw followsFeed(
            stream,
            `which would replace these items at its next refresh: stop following it first (DELETE /api/streams/${stream}/feed), or send {"feed": …} to change the feed`,
          );
        case "add":
          if (edit.index !== undefined && edit.index > front)
            throw followsFeed(
              stream,
              `which would put your items back in front of its episodes at its next refresh: add them ${front ? `at an index from 0 to ${front}` : "at index 0"}, or without one`,
            );
          return {...edit, index: edit.index ?? front} as E;
        case "move":
          if (edit.from >= front || edit.to >= front)
            throw followsFeed(
              stream,
              `which would put its episodes back in the feed's order at its next refresh: change the order with {"feed": {"order": …}}${front > 1 ? `, or move only your own items (0 to ${front - 1})` : ""}`,
            );
          return edit;
        case "remove": {
          const id = items[edit.index];
          if (id !== undefined && episodes.has(id))
            throw followsFeed(
              stream,
              `which would bring episode ${edit.index} back at its next refresh: hide it instead (DELETE /api/streams/${stream}/queue/${edit.index} hides an episode)`,
            );
          return edit;
        }
      }
    },
  };
}

/** A change a feed stream's next refresh would undo, refused with why and what to do instead. */
function followsFeed(stream: string, why: string): AppError {
  return new AppError("follows_feed", `Stream '${stream}' follows a feed, ${why}`, {status: 409});
}
