/** An item's media as the feed gives it: where, what type it says, how long it says. */
export interface Enclosure {
  url: string;
  type?: string;
  /** Seconds, when the media element says (Media RSS `duration`, JSON Feed `duration_in_seconds`). */
  duration?: number;
}

/** What an item's media turned out to be. */
export type Judged =
  | {audio: true; url: string; type?: string; duration?: number}
  | {audio: false; reason: string; kind: SkipKind};

/** Why an item is not held, counted per refresh. */
export type SkipKind = "no_audio" | "video" | "not_audio" | "bad_address" | "short" | "twice";

const AUDIO_EXTENSION = /\.(mp3|m4a|m4b|aac|ogg|oga|opus|wav|flac|mp4a|mpga|weba)$/i;
const VIDEO_EXTENSION = /\.(mp4|m4v|mov|webm|mkv|avi|wmv|flv)$/i;
/** Types seen in the wild for audio that do not start with `audio/`. */
const AUDIO_TYPES = new Set(["x-audio/mp3", "x-audio/mpeg", "application/ogg", "application/x-ogg"]);
/** Types that say nothing: judged by the extension, or kept for the download's own check. */
const VAGUE_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream", "application/x-download"]);

/**
 * Every media element of an item, in the order a podcast app looks at them: RSS `enclosure`s,
 * Media RSS `media:content` (alone or in `media:group`), Atom `link rel="enclosure"`, JSON Feed
 * `attachments`.
 */
export function enclosuresOf(item: Record<string, unknown>, atom: boolean): Enclosure[] {
  if (atom)
    return list(item.links)
      .map((l) => l as Record<string, unknown>)
      .filter((l) => l.rel === "enclosure")
      .map((l) => ({url: String(l.href ?? ""), type: text(l.type)}));
  const media = item.media as {contents?: unknown; groups?: unknown} | undefined;
  const mediaContents = [
    ...list(media?.contents),
    ...list(media?.groups).flatMap((g) => list((g as {contents?: unknown}).contents)),
  ] as Array<Record<string, unknown>>;
  return [
    ...(list(item.enclosures) as Array<Record<string, unknown>>).map((e) => ({
      url: String(e.url ?? ""),
      type: text(e.type),
    })),
    ...mediaContents.map((m) => ({
      url: String(m.url ?? ""),
      type: text(m.type),
      duration: positiveSeconds(m.duration),
    })),
    ...(list(item.attachments) as Array<Record<string, unknown>>).map((a) => ({
      url: String(a.url ?? ""),
      type: text(a.mime_type),
      duration: positiveSeconds(a.duration_in_seconds),
    })),
  ];
}

/**
 * The item's audio, or why it has none. URLs are trimmed and resolved against `base` (the feed's
 * `xml:base`, else the feed's own address): `/ep1.mp3` and `//cdn…/ep1.mp3` were dropped before.
 * The type decides (with the aliases feeds use for MP3 and M4A), then the extension; media with
 * no telling type or extension is kept, and the download's own check (ffmpeg) has the last word.
 */
export function judge(enclosures: readonly Enclosure[], base: string): Judged {
  if (enclosures.length === 0) return {audio: false, reason: "it has no audio enclosure", kind: "no_audio"};
  let firstRefusal: Judged | undefined;
  for (const enclosure of enclosures) {
    const verdict = judgeOne(enclosure, base);
    if (verdict.audio) return verdict;
    firstRefusal ??= verdict;
  }
  return firstRefusal as Judged;
}

function judgeOne(enclosure: Enclosure, base: string): Judged {
  const written = enclosure.url.trim();
  // Resolved, "" (or "?x") would be the feed's own address: no address is no audio.
  if (written === "" || written.startsWith("?") || written.startsWith("#"))
    return {audio: false, reason: "its enclosure has no address", kind: "bad_address"};
  let url: URL;
  try {
    url = new URL(written, base);
  } catch {
    return {
      audio: false,
      // Without its query, which may carry someone's token.
      reason: `its audio address '${written.split("?")[0]?.slice(0, 80)}' cannot be read`,
      kind: "bad_address",
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return {audio: false, reason: `its audio address is not http(s) (${url.protocol})`, kind: "bad_address"};
  const type = (enclosure.type ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
  const extension = url.pathname;
  const ok: Judged = {
    audio: true,
    url: url.href,
    ...(type ? {type} : {}),
    ...(enclosure.duration !== undefined ? {duration: enclosure.duration} : {}),
  };
  if (type.startsWith("audio/") || AUDIO_TYPES.has(type)) return ok;
  // A mislabelled MP3 ("video/mpeg" for a .mp3) or one typed as nothing much is audio all the same;
  // an image or a document named .mp3 is not.
  if ((type.startsWith("video/") || VAGUE_TYPES.has(type)) && AUDIO_EXTENSION.test(extension)) return ok;
  if (type.startsWith("video/") || (VAGUE_TYPES.has(type) && VIDEO_EXTENSION.test(extension)))
    return {audio: false, reason: `it is a video (${type || extension.split(".").pop()}), not audio`, kind: "video"};
  if (VAGUE_TYPES.has(type)) return ok;
  return {audio: false, reason: `its enclosure is not audio (${type})`, kind: "not_audio"};
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** A length in seconds as feeds give it (a number, or its text); anything else is unknown. */
export function positiveSeconds(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}
