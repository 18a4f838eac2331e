import type {
  HistoryChanged,
  HistoryDay,
  HistorySessions,
  HistorySummary,
  ListeningSession,
} from "../shared/api/history.js";

export type {HistoryChanged, HistoryDay, HistorySessions, HistorySummary, ListeningSession};

/** What the listening history tells the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** Listening history: a session closed, or once a minute while a player plays. */
    "history.changed": HistoryChanged;
  }
}
