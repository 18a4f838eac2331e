import type {LogEntry, LogsPage} from "../shared/api/logs.js";

export type {LogEntry, LogsPage};

/** What the log tells the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A log line was written (kept for the panel's Logs view). */
    "log.written": LogEntry;
  }
}
