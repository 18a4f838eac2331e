import type {MaxVolumes, QuietChanged, QuietEnded, QuietHoursList, QuietView} from "../shared/api/quiet.js";

export type {MaxVolumes, QuietChanged, QuietEnded, QuietHoursList, QuietView};

/** What quiet hours tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A player's quiet hours started, moved, ended or wait to be undone (`until` absent: over). */
    "quiet.changed": QuietChanged;
  }
}
