/**
 * The family archive's wire contract: `GET /api/archive`, `GET /api/archive/<card>`, the run,
 * restore and play requests, and the `archive.progress` / `archive.changed` live events.
 */

/** One archived track. Its audio is held at home under `sha` (hex sha256 of the bytes). */
export interface ArchivedTrack {
  key: string;
  title: string;
  /** "audio": uploaded to Yoto and archived here; "stream": a URL the card streams from, not archived. */
  type: "audio" | "stream";
  /** hex sha256 of the archived audio; absent for a stream track. */
  sha?: string;
  format?: string;
  /** Seconds. */
  duration?: number;
  bytes?: number;
  /** hex sha256 of the track's icon as archived. */
  icon?: string;
}

export interface ArchivedChapter {
  key: string;
  title: string;
  icon?: string;
  tracks: ArchivedTrack[];
}

/** What changed on a card between two runs, in counts and in words ("2 tracks added, 1 renamed"). */
export interface CardChange {
  at: string;
  kind: "new" | "changed" | "deleted";
  summary: string;
  added: number;
  removed: number;
  renamed: number;
  /** Same place, different audio. */
  replaced: number;
  /** Chapters or tracks in a new order. */
  moved: number;
  /** The card's own title, when that changed. */
  retitled?: {from: string; to: string};
  /** Icons, cover or other card settings. */
  details: number;
}

export interface ArchivedCardSummary {
  cardId: string;
  title: string;
  /** When this copy was taken. */
  archivedAt: string;
  /** Yoto's own `updatedAt` of the card when it was archived. */
  yotoUpdatedAt?: string;
  /** Set when the card was gone from the account at a later run; the archived copy stays. */
  deletedAt?: string;
  chapterCount: number;
  trackCount: number;
  /** Tracks that stream from a web address: not archived, their length often unknown. */
  streamTracks: number;
  /** Seconds of the tracks whose length is known (0 when none is: a card that only streams). */
  duration: number;
  /** Bytes of this card's files (audio, icons, cover), each counted once even if shared. */
  bytes: number;
  hasCover: boolean;
  lastChange?: CardChange;
}

export interface ArchivedCardDetail extends ArchivedCardSummary {
  chapters: ArchivedChapter[];
  /** Newest first, at most 50. */
  changes: CardChange[];
}

export type ArchiveRunState = "running" | "done" | "partial" | "failed";

/** A card the run could not archive this time; its earlier copy (if any) is kept. */
export interface ArchiveProblem {
  cardId: string;
  title: string;
  message: string;
}

/** A run of the archive, live while it runs (`archive.progress`) and as last seen after. */
export interface ArchiveRun {
  state: ArchiveRunState;
  trigger: "nightly" | "manual";
  startedAt: string;
  finishedAt?: string;
  /** Cards of the account looked at / to look at. */
  cards: {done: number; total: number};
  /** Files fetched this run and their bytes (0 when nothing was new). */
  downloaded: {files: number; bytes: number};
  /** Bytes still to fetch for the card being archived now (its known total). */
  current?: {cardId: string; title: string; bytesDone: number; bytesTotal: number};
  changes: Array<{cardId: string; title: string; summary: string}>;
  problems: ArchiveProblem[];
  /** Why the run stopped early (failed), in words a family can act on. */
  error?: string;
  /** The HTTP status that failure answers with: 507 a full disk, 503 Yoto out of reach, 502 Yoto failing. */
  errorStatus?: number;
}

export interface ArchiveOverview {
  cards: ArchivedCardSummary[];
  /** Bytes on disk: every file once. */
  totalBytes: number;
  files: number;
  /** The folder the archive lives in (inside the data folder, so backups carry it). */
  folder: string;
  /** "HH:MM" local time of the nightly run, or null when it is off. */
  nightlyAt: string | null;
  nextRunAt?: string;
  running?: ArchiveRun;
  lastRun?: ArchiveRun;
  /** Why some cards are not here: only the family's own Make Your Own cards are archived. */
  notArchived: string;
}

export interface RestoreRequest {
  /** "new" (default) makes a new card; "replace" writes over the card it came from. */
  mode?: "new" | "replace";
  /** "upload" (default) through Yoto's upload flow; "stream" has the tracks stream from this service. */
  audio?: "upload" | "stream";
  /** Replace the card even though it changed at Yoto since it was archived (that change is lost). */
  force?: boolean;
}

export interface RestoreCheck {
  ok: boolean;
  /** Each difference between the restored card as Yoto reads it back and the archived copy. */
  differences: string[];
  chapters: {archived: number; restored: number};
  tracks: {archived: number; restored: number};
}

export interface RestoreResult {
  cardId: string;
  title: string;
  mode: "new" | "replace";
  audio: "upload" | "stream";
  /** Audio files sent to Yoto (0 when Yoto still had them all). */
  uploaded: {files: number; bytes: number};
  check: RestoreCheck;
}

export interface ArchiveStreamResult {
  stream: string;
  /** The card's tracks: what the stream holds once they are all in. */
  items: number;
  /** Tracks in the stream at the answer; the others follow as they are made (the stream's `adding`). */
  ready: number;
  /** Where any speaker (a Home Assistant media player) can play it; absent without `public_url`. */
  url?: string;
}

export interface ArchiveChanged {
  cardIds: string[];
}
