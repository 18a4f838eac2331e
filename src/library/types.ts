/** One playable file, as the API and the rest of the app see it. Paths never leave the server. */
export interface LibraryItem {
  /** Stable: a hash of the source and the path relative to it. */
  id: string;
  source: "media" | "upload";
  /** Path relative to its media folder or the uploads folder, for display and search. */
  relPath: string;
  title: string;
  artist?: string;
  album?: string;
  /** Seconds. */
  duration: number;
  codec?: string;
  container?: string;
  mime: string;
  bitrate?: number;
  sampleRate?: number;
  channels?: number;
  hasCover: boolean;
  size: number;
  mtimeMs: number;
}

/** What the index keeps per file: the public item plus where it is and why it failed, if it did. */
export interface IndexEntry {
  item: LibraryItem;
  absPath: string;
  /** Set when the file could not be read as audio; kept so unchanged broken files are not re-read. */
  error?: string;
}

export interface ScanStats {
  files: number;
  probed: number;
  cached: number;
  removed: number;
  failed: number;
  durationMs: number;
}

declare module "../core/events.js" {
  interface EventMap {
    "library.changed": {added: number; removed: number; updated: number};
    "library.uploaded": {id: string; title: string};
  }
}
