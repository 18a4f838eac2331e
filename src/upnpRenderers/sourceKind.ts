import type {IncomingHttpHeaders} from "node:http";
import {parseUpnpTime} from "../upnp/times.js";

/**
 * What a source says it sends, as the converter needs it: MP3 (passed on as it is when live),
 * raw PCM (which has no header to probe, so its layout comes from the type's parameters), a
 * container ffmpeg reads by probing (FLAC, AAC, Ogg, WAV, MP4…), or something a Yoto cannot play.
 */
export type SourceFormat =
  | {kind: "mp3"}
  | {kind: "pcm"; bits: 16 | 24 | 32; rate: number; channels: number; endian: "le" | "be"}
  | {kind: "container"}
  | {kind: "unknown"};

/**
 * MP3 goes by many names: `audio/mpeg` is the registered one; Music Assistant before 2025 (and
 * many servers) send `audio/mp3`, others `audio/x-mp3`, `audio/mpeg3`, `audio/x-mpeg`, `audio/mpg`.
 */
const MP3_TYPES = new Set([
  "audio/mpeg",
  "audio/mp3",
  "audio/x-mp3",
  "audio/mpeg3",
  "audio/x-mpeg3",
  "audio/x-mpeg",
  "audio/mpg",
]);

/** Playlists and video: a type that names one is not audio to convert. */
const NOT_PLAYABLE = /^(audio\/(x-)?mpegurl|application\/(x-mpegurl|vnd\.apple\.mpegurl|dash\+xml)|audio\/x-scpls)$/;

/**
 * The format a Content-Type (or a DIDL-Lite protocolInfo's type) names. No type, or
 * `application/octet-stream`, is left to ffmpeg's probe: the first bytes are checked anyway.
 */
export function sourceFormat(contentType: string): SourceFormat {
  const [base = "", ...params] = contentType.split(";").map((p) => p.trim());
  const type = base.toLowerCase();
  if (MP3_TYPES.has(type)) return {kind: "mp3"};
  if (NOT_PLAYABLE.test(type)) return {kind: "unknown"};
  // RFC 2586's L16 is big-endian; Music Assistant's `audio/pcm;codec=pcm;rate=…;bitrate=…;channels=…` is little-endian.
  if (type === "audio/l16" || type === "audio/l24" || type === "audio/pcm") return pcmFormat(type, params);
  if (type === "" || type === "application/octet-stream" || type === "application/ogg" || type.startsWith("audio/"))
    return {kind: "container"};
  return {kind: "unknown"};
}

function pcmFormat(type: string, params: string[]): SourceFormat {
  const values: Record<string, string> = {};
  for (const param of params) {
    const at = param.indexOf("=");
    if (at > 0) values[param.slice(0, at).trim().toLowerCase()] = param.slice(at + 1).trim();
  }
  // Decimal digits only ("0x10" and "1e5" are no rate), absent is the usual value.
  const number = (key: string, fallback: number) => {
    if (!Object.hasOwn(values, key)) return fallback;
    const text = values[key] as string;
    return /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  };
  const bits = type === "audio/l24" ? 24 : type === "audio/l16" ? 16 : number("bitrate", 16);
  if (bits !== 16 && bits !== 24 && bits !== 32) return {kind: "unknown"};
  const rate = number("rate", 44_100);
  const channels = number("channels", 2);
  // A rate of 1 would make an hour of MP3 from 8 KB: only the rates audio is made at.
  if (!(rate >= 8000 && rate <= 384_000) || !(channels >= 1 && channels <= 8)) return {kind: "unknown"};
  return {kind: "pcm", bits, rate, channels, endian: type === "audio/pcm" ? "le" : "be"};
}

/** The sender-paced flag of DLNA.ORG_FLAGS (bit 31): the server sends in real time, a live source. */
const SENDER_PACED = 0x80000000;

/** A declared duration this long is a placeholder for "no end" (Music Assistant's flow stream said 23:59:59). */
const ENDLESS_SECONDS = 12 * 3600;

/**
 * Whether a source is endless (passed through live, no length, no seek) rather than a track (made
 * as it arrives, with a length, seekable and followed by the next), decided from what it is, not
 * from one header, in this order: it interleaves ICY titles (`icy-metaint`: a station), or its DLNA
 * flags say the sender paces it (bit 31: Music Assistant's flow stream and radio) — live; the
 * DIDL-Lite gives a duration — a track, unless it is a day-long placeholder; with no duration, a
 * DLNA flags without the sender-paced bit — a track; a broadcast class
 * (`object.item.audioItem.audioBroadcast`) or a station's own name (`icy-name`, `icy-br`) with no
 * length — live. Music Assistant's queue items send `icy-name` and, before 2025,
 * the broadcast class, each with its track's duration: tracks.
 */
export function isLiveSource(headers: IncomingHttpHeaders, metadata: string): boolean {
  if (/^\d{1,7}$/.test(String(headers["icy-metaint"] ?? "").trim())) return true;
  const features = String(headers["contentfeatures.dlna.org"] ?? "");
  const declaredFlags = /<res\b[^>]{0,2000}?\bprotocolInfo="[^"]{0,300}?DLNA\.ORG_FLAGS=([0-9a-fA-F]{8})/.exec(
    metadata,
  )?.[1];
  if (senderPaced(features) || (declaredFlags !== undefined && senderPaced(`DLNA.ORG_FLAGS=${declaredFlags}`)))
    return true;
  const duration = declaredDuration(metadata);
  if (duration !== undefined) return duration >= ENDLESS_SECONDS;
  // DLNA flags that do not say "sender paced" (Music Assistant's queue items, a media server's
  // files): a track, whatever it is named; a FLAC item cast without metadata was taken for a station.
  if (/DLNA\.ORG_FLAGS=[0-9a-fA-F]{8}/.test(features)) return false;
  // One bounded class of characters and nothing around it that could match the same ones: linear.
  const upnpClass = /<upnp:class>([^<]{1,200})<\/upnp:class>/.exec(metadata)?.[1]?.trim() ?? "";
  if (/\.audioBroadcast\b/i.test(upnpClass)) return true;
  const named = headers["icy-name"] !== undefined || headers["icy-br"] !== undefined;
  return named && headers["content-length"] === undefined;
}

/** res@duration of the DIDL-Lite's first res ("H:MM:SS[.F]"), in seconds, if any and not zero. */
export function declaredDuration(metadata: string): number | undefined {
  const text = /<res\b[^>]{0,2000}?\bduration="([^"]{1,40})"/.exec(metadata)?.[1];
  const seconds = text ? parseUpnpTime(text) : undefined;
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

function senderPaced(features: string): boolean {
  const flags = /DLNA\.ORG_FLAGS=([0-9a-fA-F]{8})/.exec(features)?.[1];
  return flags !== undefined && (Number.parseInt(flags, 16) & SENDER_PACED) !== 0;
}
