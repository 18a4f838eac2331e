/** The Logs view's lines. */

/** Home Assistant's add-on log levels. */
export type LogLevel = "debug" | "info" | "warning" | "error";

/** One log line as kept in memory for the panel's Logs view (already free of registered secrets). */
export interface LogEntry {
  /** Increases by one per line since the service started: `after=` pages from it. */
  seq: number;
  at: string;
  level: LogLevel;
  /** The part of the app that wrote it, e.g. `players` or `rules`. */
  namespace: string;
  message: string;
}

/** `GET /api/logs?level=&q=&player=&after=&limit=`: oldest first. */
export interface LogsPage {
  entries: LogEntry[];
  /** How many lines the service keeps; older ones are gone. */
  capacity: number;
  /** The level the service writes at (lines below it never exist). */
  level: LogLevel;
}
