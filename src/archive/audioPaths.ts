import type {ArchivedCardDetail} from "../shared/api/archive.js";
import type {Archive} from "./archive.js";

/**
 * Where an archived card's audio and cover are served on the audio listener, by position (not by
 * Yoto's chapter and track keys, which are free text): `/archive/<card>/<chapter>/<track>.<ext>`,
 * 1-based, and `/archive/<card>/cover.jpg`. The same paths tell a renderer which card and chapter a
 * URL plays, so a Yoto can play the card itself.
 */
const TRACK_PATH = /^\/archive\/([A-Za-z0-9]{1,64})\/([1-9][0-9]{0,3})\/([1-9][0-9]{0,3})\.([a-z0-9]{1,5})$/;
const COVER_PATH = /^\/archive\/([A-Za-z0-9]{1,64})\/cover\.jpg$/;

export interface ArchivedTrackAt {
  cardId: string;
  /** 1-based. */
  chapter: number;
  /** 1-based, within the chapter. */
  track: number;
}

export function archivedTrackPath(at: ArchivedTrackAt, ext: string): string {
  return `/archive/${at.cardId}/${at.chapter}/${at.track}.${ext}`;
}

export function archivedCoverPath(cardId: string): string {
  return `/archive/${cardId}/cover.jpg`;
}

/** The card, chapter and track a path names, or undefined when it names none. */
export function archivedTrackOf(pathname: string): ArchivedTrackAt | undefined {
  const m = TRACK_PATH.exec(pathname);
  if (!m) return undefined;
  return {cardId: m[1] as string, chapter: Number(m[2]), track: Number(m[3])};
}

export function archivedCoverOf(pathname: string): string | undefined {
  return COVER_PATH.exec(pathname)?.[1];
}

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
