import type {ArchiveChanged, ArchiveRun} from "../shared/api/archive.js";

/** What the archive tells the rest of the app (and the panel, through /api/events). */
declare module "../core/events.js" {
  interface EventMap {
    "archive.progress": ArchiveRun;
    "archive.changed": ArchiveChanged;
  }
}
