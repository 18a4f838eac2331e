import type {IncomingMessage, ServerResponse} from "node:http";
import type {UrlSigner} from "../links/urlSigner.js";
import {AUDIO_CORS_HEADERS} from "./audioCors.js";
import type {RateLimiter} from "./middleware/rateLimit.js";
import {parseRange} from "./range.js";
import {ifRangeHolds, type RangedResource, writeBody} from "./sendRanged.js";
import {signatureIn} from "./signature.js";

/**
 * What the audio listener's fast paths (audioFastPath, streamFastPath) share: which requests they
 * may take, and their answer, written as the full path (Koa, sendRanged) would write it. What they
 * do not take goes to the full path, which answers as it always has.
 */

// Any of these asks for a decision (304, 412) the full path makes; players send none of them.
const CONDITIONAL = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"] as const;

export interface FastPathDeps {
  signer: UrlSigner;
  limiter: RateLimiter;
}

/** A listener's fast path: answers `req` itself, or calls `full()` to have the app answer it. */
export type FastPath = (req: IncomingMessage, res: ServerResponse, full: () => void) => void;

/**
 * What `route` reads from the path of a GET the fast paths may take — one with no condition, from a
 * client within the rate limit (nothing is taken yet), with a valid signature — or undefined.
 */
export function plainGet<T>(
  req: IncomingMessage,
  deps: FastPathDeps,
  route: (pathname: string) => T | undefined,
): T | undefined {
  if (req.method !== "GET") return undefined;
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  const target = route(pathname);
  if (
    target === undefined ||
    CONDITIONAL.some((h) => req.headers[h] !== undefined) ||
    // A DLNA client's questions are answered on the full path (dlnaHeaders.ts).
    req.headers["getcontentfeatures.dlna.org"] !== undefined ||
    req.headers["transfermode.dlna.org"] !== undefined ||
    // Over the limit: refused by the full path before any file is touched, as it always was.
    !deps.limiter.allows(req.socket.remoteAddress, headerValue(req, "x-forwarded-for") || undefined) ||
    !deps.signer.verify(pathname, signatureIn(query === -1 ? "" : url.slice(query + 1)))
  )
    return undefined;
  return target;
}

/** How a fast answer went: its status, body length and the client as the rate limit names it. */
export interface FastAnswer {
  status: 200 | 206;
  length: number;
  client: string;
}

/**
 * Send `resource` (its range, or all of it) when the range is satisfiable, the resource not empty
 * and the client still within the limit (its token taken here, last). Otherwise the resource is
 * released, nothing is taken or written, and undefined leaves the request to the full path.
 */
export function answerRanged(
  req: IncomingMessage,
  res: ServerResponse,
  resource: RangedResource,
  limiter: RateLimiter,
): FastAnswer | undefined {
  const header = ifRangeHolds(headerValue(req, "if-range"), resource) ? headerValue(req, "range") : "";
  const range = parseRange(header || undefined, resource.size);
  const decision =
    range.kind !== "unsatisfiable" && resource.size > 0
      ? limiter.take(req.socket.remoteAddress, headerValue(req, "x-forwarded-for") || undefined)
      : undefined;
  if (!decision?.ok) {
    void resource.release?.().catch(() => undefined);
    return undefined;
  }
  const partial = range.kind === "partial";
  const [start, end] = partial ? [range.start, range.end] : [0, resource.size - 1];
  const status = partial ? 206 : 200;
  // Names as Koa sends them (lower case), in the order the full path sets them.
  res.writeHead(status, {
    "access-control-allow-origin": AUDIO_CORS_HEADERS["Access-Control-Allow-Origin"],
    "access-control-expose-headers": AUDIO_CORS_HEADERS["Access-Control-Expose-Headers"],
    "accept-ranges": "bytes",
    etag: resource.etag,
    ...(resource.lastModified ? {"last-modified": resource.lastModified.toUTCString()} : {}),
    "content-type": resource.contentType,
    ...(partial ? {"content-range": `bytes ${start}-${end}/${resource.size}`} : {}),
    "content-length": end - start + 1,
  });
  writeBody(res, resource, start, end);
  return {status, length: end - start + 1, client: decision.client};
}

/** A request header as Koa's ctx.get reads it ("" when absent). */
export function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}
