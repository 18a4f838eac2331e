import type {IncomingHttpHeaders} from "node:http";
import {isIP} from "node:net";
import type {ArchivedTrackAt} from "../archive/audioPaths.js";
import {type FetchPolicy, FetchRefused} from "../core/fetchPolicy.js";
import {HttpRequestError, httpGetStream, httpRequest} from "../core/httpRequest.js";
import {hostIdentity, unbracket} from "../core/ipAddress.js";
import {isThisMachine, ownListenerAt} from "../core/ownListeners.js";
import {audioPathTarget} from "../links/audioPaths.js";
import {illegalMimeType, resourceNotFound} from "../upnp/soap.js";
import {parseXml} from "../upnp/xml.js";
import {isLiveSource, type SourceFormat, sourceFormat} from "./sourceKind.js";

/** How a URI a control point sets is played on a Yoto. */
export type PlayTarget =
  /** Home Assistant's text-to-speech (what `tts.speak` sends): an announcement, and the card comes back. */
  | {kind: "announce"; url: string}
  /** This service's own stream: its card, played natively. */
  | {kind: "stream"; stream: string}
  /** A track of an archived card (the library's Cards): the card itself, natively, at that chapter and track. */
  | ({kind: "card"} & ArchivedTrackAt)
  /** A library item of this service: played once through the relay card, nothing fetched. */
  | {kind: "item"; id: string}
  /**
   * Any other audio URL (a track: Music Assistant's queue items): fetched through the fetch policy
   * and played through the relay card as it arrives. `format` is what the server said it sends.
   */
  | {kind: "url"; url: string; format: SourceFormat}
  /**
   * An endless stream (a station, Music Assistant's flow mode): passed through to the relay card as
   * it comes (converted when it is not MP3), its ICY titles taken out and shown as what plays.
   */
  | {kind: "live"; url: string; format: SourceFormat};

export interface TargetContext {
  policy: FetchPolicy;
  /** Origins that are this service's own (the public audio URL, its listeners). */
  ownOrigins(): string[];
  /** This service's listeners by name ({admin: 8099, …}): never fetched, whoever asks. */
  ownPorts?(): Record<string, number | undefined>;
  /** Trust an origin a control point cast audio from on its own address (CastOrigins; bounded). */
  trustCast?(origin: string): void;
  /** Time allowed for the look at the URL (a HEAD). */
  probeTimeoutMs?: number;
}

const MAX_URI = 4096;
const AUDIO_TYPES = /^(audio\/|application\/(ogg|octet-stream|x-mpegurl|vnd\.apple\.mpegurl)$)/i;
const NOT_AUDIO = /^(video|image|text)\/|^application\/(pdf|json|xml|zip)/i;

/**
 * Where a URI set by SetAVTransportURI leads: refused with 714 (not audio) or 716 (not reachable,
 * or an address the fetch policy refuses) before anything changes on the player.
 */
export async function playTargetOf(
  uri: string,
  metadata: string,
  ctx: TargetContext,
  from?: string,
): Promise<PlayTarget> {
  if (uri.length > MAX_URI) throw resourceNotFound(`The URI is ${uri.length} characters; at most ${MAX_URI} are taken`);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw resourceNotFound(`'${clip(uri)}' is not a URL: send an http(s) address of audio`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw resourceNotFound(`'${clip(uri)}' is a ${url.protocol} address: this renderer plays http(s) audio`);
  const own = ownTarget(url, ctx.ownOrigins());
  if (own) return own;
  const fromCaller = castFromCaller(url, ctx, from);
  const declared = protocolInfoType(metadata);
  if (declared && NOT_AUDIO.test(declared))
    throw illegalMimeType(`The metadata says ${declared}: a Yoto plays audio only`);
  try {
    if (!fromCaller) ctx.policy.checkLiteral(url);
  } catch (err) {
    if (err instanceof FetchRefused) throw resourceNotFound(err.message);
    throw err;
  }
  const answer = await probe(url, ctx);
  // Trusted only once it served audio: a refused cast leaves nothing behind.
  if (fromCaller) ctx.trustCast?.(url.origin);
  if (url.pathname.startsWith("/api/tts_proxy/")) return {kind: "announce", url: uri};
  const format = sourceFormat(answer.type || declared || "");
  if (format.kind === "unknown" && answer.type)
    throw illegalMimeType(`${url.host} serves ${answer.type.slice(0, 80)} there, which a Yoto cannot be made to play`);
  return {kind: isLiveSource(answer.headers, metadata) ? "live" : "url", url: uri, format};
}

/**
 * Audio on the control point's own address is its own to hand out: Music Assistant serves what it
 * casts from its host (the Home Assistant machine), a phone app from the phone. It could fetch that
 * itself, so it needs no fetch_allow, and its origin is trusted once it served audio (among the most
 * recent few, see CastOrigins); any other home address still needs fetch_allow. Never one of this
 * service's own listeners, which a fetch from here would reach as a trusted local caller.
 */
function castFromCaller(url: URL, ctx: TargetContext, from: string | undefined): boolean {
  const host = unbracket(url.hostname);
  if (!from || !isIP(host) || hostIdentity(host) !== hostIdentity(from)) return false;
  const own = ownListenerAt(url, ctx.ownPorts?.() ?? {});
  if (own && isThisMachine(host))
    throw resourceNotFound(`${url.host} is this service's own ${own.name} listener, which it never fetches from`);
  return true;
}

function ownTarget(url: URL, origins: string[]): PlayTarget | undefined {
  if (!origins.map((o) => o.toLowerCase()).includes(url.origin.toLowerCase())) return undefined;
  return audioPathTarget(url.pathname);
}

/** The MIME type in the first `<res protocolInfo="http-get:*:TYPE:…">` of the metadata, if any. */
function protocolInfoType(metadata: string): string | undefined {
  if (!metadata.trim()) return undefined;
  try {
    const doc = parseXml(metadata, "The metadata");
    const didl = doc["DIDL-Lite"] as Record<string, unknown> | undefined;
    const item = (didl?.item as unknown[] | undefined)?.[0] as Record<string, unknown> | undefined;
    const res = (item?.res as unknown[] | undefined)?.[0] as Record<string, unknown> | undefined;
    const info = typeof res?.["@protocolInfo"] === "string" ? (res["@protocolInfo"] as string) : undefined;
    return info?.split(":")[2];
  } catch {
    // Metadata is a courtesy: what plays is judged by the URL's own answer below.
    return undefined;
  }
}

/**
 * A HEAD (or the headers of a GET, where HEAD is not taken) through the fetch policy: reachable, and
 * audio. Asked for ICY metadata, as a player asks a station: a station says so with `icy-metaint`
 * (sourceKind.ts reads what the answer and the DIDL-Lite say it is).
 */
async function probe(url: URL, ctx: TargetContext): Promise<{headers: IncomingHttpHeaders; type: string}> {
  const timeoutMs = ctx.probeTimeoutMs ?? 5000;
  const lookup = isIP(unbracket(url.hostname)) ? undefined : ctx.policy.lookupFor(url);
  let status: number;
  let type: string;
  let headers: IncomingHttpHeaders;
  try {
    const head = await httpRequest(url, {
      method: "HEAD",
      timeoutMs,
      maxBytes: Number.MAX_SAFE_INTEGER,
      lookup,
      headers: {"Icy-MetaData": "1"},
    });
    ({status, headers} = head);
    type = String(head.headers["content-type"] ?? "");
    // Some servers (Icecast among them) answer only GET: its headers say the same.
    if (status >= 400 && status !== 404) ({status, type, headers} = await getHeaders(url, timeoutMs, lookup));
  } catch (err) {
    // A name that resolves to a refused address: the policy's own words, not "could not be reached".
    if (err instanceof FetchRefused || (err instanceof HttpRequestError && err.kind === "refused"))
      throw resourceNotFound(err.message);
    const why = err instanceof HttpRequestError ? err.reason : (err as Error).message;
    throw resourceNotFound(`${url.host} could not be reached: ${why}`);
  }
  if (status >= 400) throw resourceNotFound(`${url.host} answered ${status} for that URL`);
  const mime = type.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mime && !AUDIO_TYPES.test(mime)) throw illegalMimeType(`${url.host} serves ${mime} there, not audio`);
  return {headers, type: mime ? type.trim() : ""};
}

async function getHeaders(
  url: URL,
  timeoutMs: number,
  lookup: ReturnType<FetchPolicy["lookupFor"]> | undefined,
): Promise<{status: number; type: string; headers: IncomingHttpHeaders}> {
  const res = await httpGetStream(url, {
    headers: {Range: "bytes=0-0", "Icy-MetaData": "1"},
    signal: AbortSignal.timeout(timeoutMs),
    ...(lookup ? {lookup} : {}),
  });
  res.destroy();
  return {status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), headers: res.headers};
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
