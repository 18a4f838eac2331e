import type {IncomingMessage} from "node:http";
import {badRequest} from "../core/errors.js";
import {policyGet, readBody, type StationPolicy, shownUrl} from "./policyGet.js";

/** A station file (.pls, .m3u) is a few lines; anything bigger is not one. */
const STATION_FILE_BYTES = 64 * 1024;
/** A station file pointing at another: five deep is already more than any station uses. */
const MAX_DEPTH = 5;
export const MAX_URL_LENGTH = 2048;

/** Where the audio is, once station files are followed: an Icecast-style stream, or an HLS playlist. */
export type ResolvedStation =
  | {kind: "icy"; url: string; res: IncomingMessage}
  | {kind: "hls"; url: string; playlist: string};

export interface ResolveOptions {
  policy: StationPolicy;
  signal: AbortSignal;
  timeoutMs: number;
}

/** A station address as given: http(s), parseable, of a sane length; the 400 says what to send. */
export function checkStationUrl(value: unknown): string {
  if (typeof value !== "string" || value.length === 0)
    throw badRequest(`radio.url must be the station's address, like "https://example.org/stream.mp3"`, "bad_radio");
  if (value.length > MAX_URL_LENGTH)
    throw badRequest(`radio.url is longer than ${MAX_URL_LENGTH} characters`, "bad_radio");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(
      `radio.url '${shownUrl(value)}' is not an address: give the whole URL, starting with http:// or https://`,
      "bad_radio",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw badRequest(`radio.url must start with http:// or https:// (got ${url.protocol})`, "bad_radio");
  return url.toString();
}

/**
 * Follow a station's address to its audio: `.pls` and `.m3u` station files to their first entry,
 * HLS playlists recognised (read in-process later, segment by segment, through the same policy),
 * a web page refused with what to give instead. The open audio response is handed back, so
 * connecting is one request, not two.
 */
export async function resolveStation(url: string, opts: ResolveOptions): Promise<ResolvedStation> {
  const seen = new Set<string>();
  let next = url;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const key = withoutCredentials(next);
    if (seen.has(key))
      throw badRequest(
        `The station file at ${shownUrl(url)} points back at itself (through ${shownUrl(next)})`,
        "station_loop",
      );
    seen.add(key);
    const {res, url: final} = await policyGet(next, {...opts, headers: {"Icy-MetaData": "1"}});
    const type =
      String(res.headers["content-type"] ?? "")
        .split(";")[0]
        ?.trim()
        .toLowerCase() ?? "";
    const path = final.pathname.toLowerCase();
    if (type === "text/html" || type === "application/xhtml+xml") {
      res.destroy();
      throw badRequest(
        `${shownUrl(url)} answers a web page, not audio: use the station's stream address (often ending .mp3, .aac, .pls or .m3u)`,
        "station_is_web_page",
      );
    }
    const isPls = type === "audio/x-scpls" || path.endsWith(".pls");
    const isM3u = /mpegurl/.test(type) || path.endsWith(".m3u") || path.endsWith(".m3u8");
    if (!isPls && !isM3u) return {kind: "icy", url: final.toString(), res};
    const text = (
      await readBody(res, STATION_FILE_BYTES, opts.timeoutMs, `The station file at ${shownUrl(final)}`)
    ).toString("utf8");
    if (isM3u && /^#EXT-X-(TARGETDURATION|STREAM-INF|MEDIA-SEQUENCE)/m.test(text))
      return {kind: "hls", url: final.toString(), playlist: text};
    const entry = isPls ? firstPlsEntry(text) : firstM3uEntry(text);
    if (!entry)
      throw badRequest(`The station file at ${shownUrl(final)} lists no stream address`, "station_file_empty");
    next = new URL(entry, final).toString();
  }
  throw badRequest(
    `The station file at ${shownUrl(url)} leads through more than ${MAX_DEPTH} station files`,
    "station_loop",
  );
}

function withoutCredentials(url: string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  u.hash = "";
  return u.toString();
}

/** `File1=http://…` (any number): the lowest-numbered entry. */
export function firstPlsEntry(text: string): string | undefined {
  let best: {n: number; url: string} | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*file(\d{1,4})\s*=\s*(\S+)\s*$/i.exec(line);
    if (m && (!best || Number(m[1]) < best.n)) best = {n: Number(m[1]), url: m[2] as string};
  }
  return best?.url;
}

/** The first line that is not a comment or blank. */
export function firstM3uEntry(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line && !line.startsWith("#")) return line;
  }
  return undefined;
}
