import type {IncomingMessage, ServerResponse} from "node:http";
import type {Library} from "../library/library.js";
import type {UrlSigner} from "../links/urlSigner.js";
import {AUDIO_CORS_HEADERS} from "./audioCors.js";
import type {FileResources} from "./fileResource.js";
import type {RateLimiter} from "./middleware/rateLimit.js";
import {parseRange} from "./range.js";
import {ifRangeHolds, writeBody} from "./sendRanged.js";
import {signatureIn} from "./signature.js";

const AUDIO_URL = /^\/audio\/([0-9a-f]{16})(?:\.[a-z0-9]{1,5})?$/;
// Any of these asks for a decision (304, 412) the full path makes; players send none of them.
const CONDITIONAL = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"] as const;

export interface AudioFastPathDeps {
  library: Library;
  files: FileResources;
  signer: UrlSigner;
  limiter: RateLimiter;
}

/**
 * What players ask for most, a byte range of a library file, answered without the framework: a
 * Koa context, its middleware chain and the router were a tenth of such a request's time
 * (bench/rangeServing.ts). Only the plain case is taken — GET of a signed `/audio/<id>` URL with
 * no conditions and a satisfiable range (or none), within the rate limit — and it is answered with
 * the very headers the full path sends. Everything else (a bad signature, an unknown item, a
 * missing file, 304/412/416, HEAD, OPTIONS, over the limit) goes to `full`, which answers as always.
 */
export function audioFastPath(
  deps: AudioFastPathDeps,
): (req: IncomingMessage, res: ServerResponse, full: () => void) => void {
  return (req, res, full) => {
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const pathname = query === -1 ? url : url.slice(0, query);
    const id = req.method === "GET" ? AUDIO_URL.exec(pathname)?.[1] : undefined;
    const forwardedFor = headerValue(req, "x-forwarded-for") || undefined;
    if (
      !id ||
      CONDITIONAL.some((h) => req.headers[h] !== undefined) ||
      // Over the limit: refused by the full path before any file is touched, as it always was.
      !deps.limiter.allows(req.socket.remoteAddress, forwardedFor) ||
      !deps.signer.verify(pathname, signatureIn(query === -1 ? "" : url.slice(query + 1))) ||
      !deps.library.get(id)
    )
      return full();
    deps.files.resource(deps.library.resolve(id)).then(
      (resource) => {
        const header = ifRangeHolds(headerValue(req, "if-range"), resource) ? headerValue(req, "range") : "";
        const range = parseRange(header || undefined, resource.size);
        // Taken last: a request handed to the full path must not have taken a token here.
        const allowed =
          range.kind !== "unsatisfiable" &&
          resource.size > 0 &&
          deps.limiter.take(req.socket.remoteAddress, forwardedFor).ok;
        if (!allowed) {
          void resource.release?.().catch(() => undefined);
          return full();
        }
        const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, resource.size - 1];
        // Names as Koa sends them (lower case), in the order the full path sets them.
        res.writeHead(range.kind === "partial" ? 206 : 200, {
          "access-control-allow-origin": AUDIO_CORS_HEADERS["Access-Control-Allow-Origin"],
          "access-control-expose-headers": AUDIO_CORS_HEADERS["Access-Control-Expose-Headers"],
          "accept-ranges": "bytes",
          etag: resource.etag,
          ...(resource.lastModified ? {"last-modified": resource.lastModified.toUTCString()} : {}),
          "content-type": resource.contentType,
          ...(range.kind === "partial" ? {"content-range": `bytes ${start}-${end}/${resource.size}`} : {}),
          "content-length": end - start + 1,
        });
        writeBody(res, resource, start, end);
      },
      // A missing or unreadable file: the full path says so, as it always has.
      () => full(),
    );
  };
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}
