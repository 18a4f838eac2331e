import type {ArchivedTrackAt} from "../links/audioPaths.js";
import type {ArchivedCardDetail} from "../shared/api/archive.js";
import type {Archive} from "./archive.js";

export type {ArchivedTrackAt};

// Where an archived card's tracks and cover are served (`/archive/<card>/<chapter>/<track>.<ext>`)
// is links/audioPaths.ts's; here, what a position names in the archived card.

/** The chapter and track a position names in an archived card, or undefined. */
export function trackAt(card: ArchivedCardDetail, at: Pick<ArchivedTrackAt, "chapter" | "track">) {
  const chapter = card.chapters[at.chapter - 1];
  const track = chapter?.tracks[at.track - 1];
  return chapter && track ? {chapter, track} : undefined;
}

/** What a Yoto needs to play an archived track natively: the card's own chapter and track keys. */
export interface ArchivedTrackKeys {
  title: string;
  chapterKey: string;
  trackKey: string;
  /** When the card was gone from the account at a later run: Yoto cannot play it. */
  deletedAt?: string;
}

export function archivedTrackKeys(
  archive: Pick<Archive, "has" | "card">,
  at: ArchivedTrackAt,
): ArchivedTrackKeys | undefined {
  if (!archive.has(at.cardId)) return undefined;
  const card = archive.card(at.cardId);
  const found = trackAt(card, at);
  if (!found) return undefined;
  return {
    title: card.title,
    chapterKey: found.chapter.key,
    trackKey: found.track.key,
    ...(card.deletedAt ? {deletedAt: card.deletedAt} : {}),
  };
}
