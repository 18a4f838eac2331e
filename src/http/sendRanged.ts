import type {OutgoingHttpHeaders, ServerResponse} from "node:http";
import type {Context} from "koa";
import {parseRange} from "./range.js";

/** Something with a known length whose bytes can be read from any offset. */
export interface RangedResource {
  size: number;
  /** Strong validator, quoted: `"abc-123"`. */
  etag: string;
  lastModified?: Date;
  contentType: string;
  /** Write bytes `start..end` (inclusive) to the response; resolves when they are all written. */
  send(out: ServerResponse, start: number, end: number): Promise<void>;
}

/**
 * Answer GET/HEAD for a resource with byte ranges, conditional requests (If-None-Match,
 * If-Modified-Since → 304) and If-Range (a stale validator gets the whole new version).
 */
export function sendRanged(ctx: Context, resource: RangedResource): void {
  ctx.set("Accept-Ranges", "bytes");
  ctx.set("ETag", resource.etag);
  if (resource.lastModified) ctx.set("Last-Modified", resource.lastModified.toUTCString());
  ctx.type = resource.contentType;

  // Koa's `fresh` implements If-None-Match / If-Modified-Since against the headers set above.
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }

  const rangeHeader = ifRangeHolds(ctx.get("If-Range"), resource) ? ctx.get("Range") : undefined;
  const range = parseRange(rangeHeader || undefined, resource.size);
  if (range.kind === "unsatisfiable") {
    ctx.status = 416;
    ctx.set("Content-Range", `bytes */${resource.size}`);
    return;
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, resource.size - 1];
  if (range.kind === "partial") {
    ctx.status = 206;
    ctx.set("Content-Range", `bytes ${start}-${end}/${resource.size}`);
  }
  const length = Math.max(0, end - start + 1);
  ctx.length = length;
  // For HEAD Koa sends the headers only; leaving the body unset avoids opening the source at all.
  if (ctx.method === "HEAD" || length === 0) {
    if (length === 0) ctx.body = "";
    return;
  }
  sendBody(ctx, resource, start, end);
}

/**
 * Audio bodies bypass Koa's stream handling so the resource can write with pooled buffers (see
 * FileSender). A failure mid-body can only cut the connection: the status line is already sent.
 */
function sendBody(ctx: Context, resource: RangedResource, start: number, end: number): void {
  const res = ctx.res;
  ctx.respond = false;
  res.writeHead(ctx.status, ctx.response.headers as OutgoingHttpHeaders);
  resource.send(res, start, end).then(
    () => res.end(),
    () => res.destroy(),
  );
}

/** If-Range: the range applies only when the validator still matches (RFC 9110 §13.1.5). */
function ifRangeHolds(ifRange: string, resource: RangedResource): boolean {
  if (!ifRange) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith("W/")) return ifRange === resource.etag;
  if (!resource.lastModified) return false;
  const since = Date.parse(ifRange);
  return Number.isFinite(since) && Math.floor(resource.lastModified.getTime() / 1000) * 1000 === since;
}
