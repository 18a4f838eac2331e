import type {OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse} from "node:http";
import type {Middleware} from "koa";

/**
 * DLNA's HTTP headers on audio answers (DLNA guidelines 7.4.26, 7.4.49), as MiniDLNA answers them:
 * a DLNA-strict TV or receiver asks `getcontentFeatures.dlna.org: 1` and `transferMode.dlna.org`
 * and plays only what answers them. The flags and profiles are exported for the media server's
 * protocolInfo, so what Browse promises is what the audio answer says.
 */

/**
 * DLNA.ORG_FLAGS of every audio answer, MiniDLNA's (and the library's res, src/upnpLibrary/profiles.ts):
 * streaming and background transfer modes, HTTP stalling (a client may pause by not reading), DLNA
 * 1.5. Whether a renderer may seek is OP's to say, not the flags'.
 */
export const DLNA_FLAGS = "01700000000000000000000000000000";

/**
 * The DLNA profile of a content type, where one is certain from the type alone: MP3 only. An AAC
 * file's profile depends on its bit rate (MiniDLNA reads it from the file), so others name none.
 */
export function dlnaProfileOf(contentType: string): string | undefined {
  return mediaType(contentType) === "audio/mpeg" ? "MP3" : undefined;
}

/**
 * contentFeatures.dlna.org (and the fourth field of protocolInfo): the profile when certain, OP=01
 * (byte seek) for a file with ranges or OP=00 for a live stream, CI=0 and the flags — the same
 * string the library's res@protocolInfo carries for the item.
 */
export function dlnaContentFeatures(contentType: string, ranged: boolean): string {
  const profile = dlnaProfileOf(contentType);
  return [
    ...(profile ? [`DLNA.ORG_PN=${profile}`] : []),
    `DLNA.ORG_OP=${ranged ? "01" : "00"}`,
    // Not converted by the server: served as MiniDLNA says of its files.
    "DLNA.ORG_CI=0",
    `DLNA.ORG_FLAGS=${DLNA_FLAGS}`,
  ].join(";");
}

/** A whole protocolInfo for an item served over HTTP: `http-get:*:<type>:<features>`. */
export function dlnaProtocolInfo(contentType: string, ranged: boolean): string {
  return `http-get:*:${mediaType(contentType)}:${dlnaContentFeatures(contentType, ranged)}`;
}

/** An MP3 file's features, the library's usual item. */
export const MP3_FILE_FEATURES = dlnaContentFeatures("audio/mpeg", true);
/** A live MP3 stream's features (radio relay, a stream card, an announcement relay). */
export const MP3_LIVE_FEATURES = dlnaContentFeatures("audio/mpeg", false);

/**
 * The audio listener's DLNA answers, decided when the route answers (its status, Content-Type and
 * Accept-Ranges), whether Koa writes the answer or the route writes the head itself. Only asked:
 * a request with neither header gets none. The transfer mode asked is echoed for Streaming and
 * Background; Interactive (meant for images) is answered Streaming: MiniDLNA refuses it with 406
 * except for the Samsung TVs that ask it for audio, and a refusal would only leave such a TV silent.
 */
export const dlnaHeaders: Middleware = async (ctx, next) => {
  const features = ctx.get("getcontentFeatures.dlna.org").trim() === "1";
  const asked = ctx.get("transferMode.dlna.org").trim().toLowerCase();
  if (!features && !asked) return next();
  const res = ctx.res;
  const writeHead = res.writeHead;
  // This one answer's own writeHead (Node's implicit head calls it too), put back at once.
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    res.writeHead = writeHead;
    decorate(res, args, features, asked === "background" ? "Background" : "Streaming");
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
  // Koa writes its answers after every middleware returned, so this stays until the head is written.
  await next();
};

function decorate(res: ServerResponse, args: unknown[], features: boolean, mode: string): void {
  const status = typeof args[0] === "number" ? args[0] : res.statusCode;
  if (status !== 200 && status !== 206) return;
  const given = args.find((a): a is OutgoingHttpHeaders => typeof a === "object" && a !== null && !Array.isArray(a));
  const type = text(headerIn(given, "content-type") ?? res.getHeader("content-type"));
  if (!mediaType(type).startsWith("audio/")) return;
  const ranged = /\bbytes\b/i.test(text(headerIn(given, "accept-ranges") ?? res.getHeader("accept-ranges")));
  res.setHeader("transferMode.dlna.org", mode);
  if (features) res.setHeader("contentFeatures.dlna.org", dlnaContentFeatures(type, ranged));
}

function headerIn(headers: OutgoingHttpHeaders | undefined, name: string): OutgoingHttpHeader | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function text(value: OutgoingHttpHeader | undefined): string {
  return Array.isArray(value) ? value.join(", ") : String(value ?? "");
}

/** "audio/mpeg" of "audio/mpeg; charset=…", lower-cased. */
function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}
