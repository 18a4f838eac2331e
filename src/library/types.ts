import type {LibraryChanged, LibraryItem, ScanStats} from "../shared/api/library.js";

export type {LibraryItem, ScanStats};

/** What the index keeps per file: the public item plus where it is and why it failed, if it did. */
export interface IndexEntry {
  item: LibraryItem;
  absPath: string;
  /** Set when the file could not be read as audio; kept so unchanged broken files are not re-read. */
  error?: string;
}

declare module "../core/events.js" {
  interface EventMap {
    "library.changed": LibraryChanged;
    "library.uploaded": {id: string; title: string};
  }
}
