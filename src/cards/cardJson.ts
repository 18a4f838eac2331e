import type {CardSource} from "../shared/api/cards.js";
import {iconRef} from "../yoto/cardKeys.js";
import type {Card} from "../yoto/rest.js";

/** One track of a card we build: always a stream our public listener serves. */
export interface TrackSource {
  title: string;
  url: string;
  format?: string;
  /** Seconds, when known (library items); streams report 0, as Yoto's docs do. */
  duration?: number;
  fileSize?: number;
  channels?: "mono" | "stereo";
  icon?: string;
}

/** A card as we write it: Yoto gives it its id on the first write. */
export type CardBody = Omit<Card, "cardId"> & {cardId?: string};
export type Json = Record<string, unknown>;

/** Chapter and track keys: zero-padded, and players only match them exactly ("02", not "2"). */
export function cardKey(index: number, count: number): string {
  return String(index + 1).padStart(Math.max(2, String(count).length), "0");
}

function track(key: string, source: TrackSource, events?: Json): Json {
  return {
    key,
    title: source.title,
    trackUrl: source.url,
    type: "stream",
    format: source.format ?? "mp3",
    duration: source.duration ?? 0,
    fileSize: source.fileSize ?? 0,
    ...(source.channels ? {channels: source.channels} : {}),
    overlayLabel: String(Number(key)),
    isNew: true,
    display: {icon16x16: source.icon ?? null},
    ...(events ? {events} : {}),
  };
}

/** One chapter of one track; `events` make it branch (interactive cards). */
export function cardChapter(key: string, source: TrackSource, events?: Json): Json {
  return {
    key,
    title: source.title,
    overlayLabel: String(Number(key)),
    display: {icon16x16: source.icon ?? null},
    duration: source.duration ?? 0,
    fileSize: source.fileSize ?? 0,
    hasStreams: true,
    tracks: [track(key, source, events)],
  };
}

function linearContent(chapters: Json[]): Json {
  return {
    playbackType: "linear",
    activity: "yoto_Player",
    version: "1",
    config: {onlineOnly: true, autoadvance: "next"},
    editSettings: {transcodeAudioUploads: true, editKeys: false},
    chapters,
  };
}

/** A chapter per source: a stream card (one source) or a card of library items. */
export function linearCard(title: string, sources: TrackSource[], metadata: Json = {}): CardBody {
  return {
    title,
    content: linearContent(sources.map((s, i) => cardChapter(cardKey(i, sources.length), s))),
    metadata: {category: "none", media: {hasStreams: true}, ...metadata},
  };
}

/** An address without its query (the signature), to tell which audio a track plays. */
export function bare(url: unknown): string | undefined {
  return typeof url === "string" ? url.split("?")[0] : undefined;
}

export function icon(value: string | undefined): string | undefined {
  return value === undefined ? undefined : iconRef(value);
}

/** What a card was made from, as the log says it. */
export function describe(source: CardSource): string {
  if (source.type === "stream") return `stream '${source.stream}'`;
  if (source.type === "feed") return `the episodes of feed stream '${source.stream}'`;
  if (source.type === "items") return `${source.items.length} library item(s)`;
  return `story '${source.story}' (${source.mode})`;
}
