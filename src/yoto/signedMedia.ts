import {AppError} from "../core/errors.js";

type Json = Record<string, unknown>;

/**
 * Yoto's hosted audio and icons, as a card is read back: tracks on secure-media.yotoplay.com,
 * icons on card-content.yotoplay.com, signed and valid for about an hour (reference §10.12):
 *   https://secure-media.yotoplay.com/yoto/<sha>?Expires=…&Policy=…&Signature=…&Key-Pair-Id=…
 *   https://secure-media.yotoplay.com/<policy>~/<sha>?Expires=…&Signature=…#sha256=<sha>
 *   https://card-content.yotoplay.com/yoto/<mediaId>
 * A card must be written with the references they stand for, `yoto:#<sha>`.
 */
const REF = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * `cloudOrigins`: the origin of the API this service is pointed at when that is not Yoto's own (the
 * simulator serves its signed media on its own address); Yoto's hosts are always recognised.
 */
function isYotoHost(url: URL, cloudOrigins: readonly string[]): boolean {
  if (cloudOrigins.includes(url.origin)) return true;
  return url.protocol === "https:" && (url.hostname === "yotoplay.com" || url.hostname.endsWith(".yotoplay.com"));
}

/**
 * The `yoto:#…` reference a Yoto-hosted URL stands for: the `#sha256=` fragment first, then the
 * path's last segment after `yoto/` or `~/`. Undefined when the URL is not Yoto's, or a public
 * image (`/yoto/pub/…`, a cover), which is written back as it is.
 */
export function yotoRefOf(value: string, cloudOrigins: readonly string[] = []): string | undefined {
  // Only parse what could be one of ours: a bounded prefix check keeps odd input cheap.
  if (value.length > 8192) return undefined;
  if (!value.startsWith("https://") && !cloudOrigins.some((origin) => value.startsWith(`${origin}/`))) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!isYotoHost(url, cloudOrigins)) return undefined;
  const fragment = /^#sha256=([A-Za-z0-9_-]+)$/.exec(url.hash)?.[1];
  if (fragment && REF.test(fragment)) return `yoto:#${fragment}`;
  const segments = url.pathname.split("/").filter(Boolean);
  if (segments[0] === "yoto" && segments[1] === "pub") return undefined;
  const last = segments.at(-1);
  const previous = segments.at(-2);
  if (last && REF.test(last) && (previous === "yoto" || previous?.endsWith("~"))) return `yoto:#${last}`;
  return undefined;
}

/** Whether a URL is one of Yoto's signed (expiring) links. */
function isSignedYotoUrl(value: string, cloudOrigins: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return isYotoHost(url, cloudOrigins) && (url.searchParams.has("Signature") || url.searchParams.has("Expires"));
  } catch {
    return false;
  }
}

/**
 * A card as it must be written: every Yoto-hosted track URL and icon turned back into its
 * reference; our own stream URLs and anything else untouched. A signed Yoto link we cannot turn
 * back is refused rather than written: written as it is, it would stop playing within the hour.
 */
export function unsignCard<T extends object>(card: T, cloudOrigins: readonly string[] = []): T {
  const content = (card as {content?: unknown}).content;
  if (typeof content !== "object" || content === null) return card;
  const chapters = (content as Json).chapters;
  if (!Array.isArray(chapters)) return card;
  const nextChapters = chapters.map((chapter, c) => {
    if (typeof chapter !== "object" || chapter === null) return chapter;
    const ch = chapter as Json;
    const where = `chapter '${String(ch.key ?? c + 1)}'`;
    const tracks = Array.isArray(ch.tracks)
      ? ch.tracks.map((track, t) => {
          if (typeof track !== "object" || track === null) return track;
          const tr = track as Json;
          const at = `${where} track '${String(tr.key ?? t + 1)}'`;
          return unsignDisplay({...tr, ...unsignField(tr, "trackUrl", at, cloudOrigins)}, at, cloudOrigins);
        })
      : ch.tracks;
    return {...unsignDisplay(ch, where, cloudOrigins), tracks};
  });
  return {...card, content: {...(content as Json), chapters: nextChapters}};
}

function unsignDisplay(node: Json, where: string, cloudOrigins: readonly string[]): Json {
  const display = node.display;
  if (typeof display !== "object" || display === null) return node;
  return {
    ...node,
    display: {...(display as Json), ...unsignField(display as Json, "icon16x16", `${where} icon`, cloudOrigins)},
  };
}

function unsignField(node: Json, field: string, where: string, cloudOrigins: readonly string[]): Json {
  const value = node[field];
  if (typeof value !== "string") return {};
  const ref = yotoRefOf(value, cloudOrigins);
  if (ref) return {[field]: ref};
  if (isSignedYotoUrl(value, cloudOrigins))
    throw new AppError(
      "signed_url",
      `The card's ${where} is a signed Yoto link this service cannot turn back into a 'yoto:#' reference; it was not written, because the link expires within the hour. Re-pick that audio or icon in Yoto's app and try again`,
      {status: 422, expose: true},
    );
  return {};
}
