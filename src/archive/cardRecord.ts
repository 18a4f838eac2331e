import type {
  ArchivedCardDetail,
  ArchivedCardSummary,
  ArchivedChapter,
  ArchivedTrack,
  CardChange,
} from "../shared/api/archive.js";
import type {Card} from "../yoto/rest.js";

export type FileKind = "audio" | "icon" | "cover";

/** One file of a card as the archive holds it: content-addressed by the sha256 of its bytes. */
export interface ArchivedFile {
  kind: FileKind;
  /** hex sha256 of the bytes: the file's name in the archive. */
  sha: string;
  ext: string;
  bytes: number;
  /** The bytes were checked against the sha Yoto names the audio by (icons and covers have none). */
  verified: boolean;
}

/**
 * A card as archived, one JSON file per card: Yoto's content with stable `yoto:#` references (never
 * the signed links, which expire), and for each reference the file that holds its bytes. Plain JSON
 * on purpose: a family can read it without this service.
 */
export interface CardRecord {
  version: 1;
  cardId: string;
  title: string;
  archivedAt: string;
  yotoUpdatedAt?: string;
  deletedAt?: string;
  card: Card;
  /** By the card's own reference: `yoto:#…` for audio and icons, the image URL for the cover. */
  files: Record<string, ArchivedFile>;
  /** Newest first. */
  changes: CardChange[];
}

export const MAX_CHANGES_KEPT = 50;

const CONTENT_TYPES: Record<string, string> = {
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  aac: "audio/aac",
  ogg: "audio/ogg",
  png: "image/png",
  gif: "image/gif",
  jpg: "image/jpeg",
  webp: "image/webp",
};

/** What an archived file is, by the extension its bytes were named with. */
export function contentTypeOf(file: Pick<ArchivedFile, "ext">): string {
  return Object.hasOwn(CONTENT_TYPES, file.ext) ? (CONTENT_TYPES[file.ext] as string) : "application/octet-stream";
}

type Json = Record<string, unknown>;

export function chaptersOf(card: Card | undefined): Json[] {
  const chapters = (card?.content as {chapters?: unknown} | undefined)?.chapters;
  return Array.isArray(chapters) ? chapters.filter((c): c is Json => typeof c === "object" && c !== null) : [];
}

export function tracksOf(chapter: Json): Json[] {
  return Array.isArray(chapter.tracks)
    ? chapter.tracks.filter((t): t is Json => typeof t === "object" && t !== null)
    : [];
}

export function iconOf(node: Json): string | undefined {
  const display = node.display;
  const icon = typeof display === "object" && display !== null ? (display as Json).icon16x16 : undefined;
  return typeof icon === "string" && icon !== "" ? icon : undefined;
}

export function coverOf(card: Card | undefined): string | undefined {
  const cover = (card?.metadata as {cover?: {imageL?: unknown}} | undefined)?.cover?.imageL;
  return typeof cover === "string" && /^https?:\/\//.test(cover) ? cover : undefined;
}

/** A track whose audio lives at Yoto (uploaded): the ones the archive holds. */
export function isUploadedAudio(track: Json): boolean {
  return track.type !== "stream" && typeof track.trackUrl === "string" && track.trackUrl.startsWith("yoto:#");
}

export function fileOf(record: CardRecord, ref: string | undefined): ArchivedFile | undefined {
  return ref !== undefined && Object.hasOwn(record.files, ref) ? record.files[ref] : undefined;
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function seconds(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function archivedTrack(record: CardRecord, track: Json, index: number): ArchivedTrack {
  const audio = isUploadedAudio(track) ? fileOf(record, track.trackUrl as string) : undefined;
  const duration = seconds(track.duration);
  const format = typeof track.format === "string" ? track.format : undefined;
  return {
    key: text(track.key, String(index + 1)),
    title: text(track.title, `Track ${index + 1}`),
    type: isUploadedAudio(track) ? "audio" : "stream",
    ...(audio ? {sha: audio.sha, bytes: audio.bytes} : {}),
    ...(format ? {format} : {}),
    ...(duration !== undefined ? {duration} : {}),
    ...iconSha(record, track),
  };
}

function iconSha(record: CardRecord, node: Json): {icon?: string} {
  const file = fileOf(record, iconOf(node));
  return file ? {icon: file.sha} : {};
}

export function archivedChapters(record: CardRecord): ArchivedChapter[] {
  return chaptersOf(record.card).map((chapter, c) => ({
    key: text(chapter.key, String(c + 1)),
    title: text(chapter.title, `Chapter ${c + 1}`),
    ...iconSha(record, chapter),
    tracks: tracksOf(chapter).map((track, t) => archivedTrack(record, track, t)),
  }));
}

export function summaryOf(record: CardRecord): ArchivedCardSummary {
  const chapters = archivedChapters(record);
  const tracks = chapters.flatMap((c) => c.tracks);
  // Each file once, however many tracks share it.
  const bytes = [...new Map(Object.values(record.files).map((f) => [f.sha, f.bytes])).values()].reduce(
    (a, b) => a + b,
    0,
  );
  return {
    cardId: record.cardId,
    title: record.title,
    archivedAt: record.archivedAt,
    ...(record.yotoUpdatedAt ? {yotoUpdatedAt: record.yotoUpdatedAt} : {}),
    ...(record.deletedAt ? {deletedAt: record.deletedAt} : {}),
    chapterCount: chapters.length,
    trackCount: tracks.length,
    streamTracks: tracks.filter((t) => t.type === "stream").length,
    duration: Math.round(tracks.reduce((sum, t) => sum + (t.duration ?? 0), 0)),
    bytes,
    hasCover: Object.values(record.files).some((f) => f.kind === "cover"),
    ...(record.changes[0] ? {lastChange: record.changes[0]} : {}),
  };
}

export function detailOf(record: CardRecord): ArchivedCardDetail {
  return {...summaryOf(record), chapters: archivedChapters(record), changes: record.changes};
}

/** Whether a parsed file is a card record this version can read (anything else is set aside). */
export function isCardRecord(value: unknown): value is CardRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<CardRecord>;
  return (
    r.version === 1 &&
    typeof r.cardId === "string" &&
    /^[A-Za-z0-9]{1,64}$/.test(r.cardId) &&
    typeof r.title === "string" &&
    typeof r.archivedAt === "string" &&
    typeof r.card === "object" &&
    r.card !== null &&
    typeof r.files === "object" &&
    r.files !== null &&
    Object.values(r.files).every(
      (f) => typeof f === "object" && f !== null && /^[0-9a-f]{64}$/.test(f.sha) && /^[a-z0-9]{1,5}$/.test(f.ext),
    ) &&
    Array.isArray(r.changes)
  );
}
