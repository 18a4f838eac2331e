/** The audio library: items, scans, pages. Paths never leave the server. */

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

export interface ScanStats {
  files: number;
  probed: number;
  cached: number;
  removed: number;
  failed: number;
  durationMs: number;
}

/** A library item with the signed path the audio listener serves it at (`url` only with a public URL). */
export type LibraryItemView = LibraryItem & {url?: string; signedPath: string};

export interface LibraryPage {
  items: LibraryItem[];
  total: number;
  limit: number;
  offset: number;
}

/** `library.changed`: what a scan or a watched folder changed. */
export interface LibraryChanged {
  added: number;
  removed: number;
  updated: number;
}
