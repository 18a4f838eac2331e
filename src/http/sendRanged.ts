import type {OutgoingHttpHeaders, ServerResponse} from "node:http";
import type {Context} from "koa";
import {parseRange} from "./range.js";

/** Something with a known length whose bytes can be written from any offset. */
export interface RangedResource {
  size: number;
  /** Strong validator, quoted: `"abc-123"`. */
  etag: string;
  lastModified?: Date;
  contentType: string;
  /** Write bytes `start..end` (inclusive) to the response; resolves when they are all written. */
  send(out: ServerResponse, start: number, end: number): Promise<void>;
  /** Free what the resource holds (an open file); called once, whether or not a body was sent. */
  release?(): Promise<void>;
}

/**
 * Answer GET/HEAD for a resource with byte ranges and the conditional requests of RFC 9110 §13:
 * If-Match / If-Unmodified-Since → 412, If-None-Match / If-Modified-Since → 304, and If-Range
 * (a stale validator gets the whole new version).
 */
export function sendRanged(ctx: Context, resource: RangedResource): void {
  let bodyOwnsResource = false;
  try {
    bodyOwnsResource = respond(ctx, resource);
  } finally {
    if (!bodyOwnsResource) void resource.release?.().catch(() => undefined);
  }
}

/** Sets up the response; returns true when a body is being sent (which then releases the resource). */
function respond(ctx: Context, resource: RangedResource): boolean {
  ctx.set("Accept-Ranges", "bytes");
  ctx.set("ETag", resource.etag);
  if (resource.lastModified) ctx.set("Last-Modified", resource.lastModified.toUTCString());
  ctx.type = resource.contentType;

  if (preconditionFails(ctx, resource)) {
    ctx.status = 412;
    ctx.body = {error: "The file changed since the version you asked for", code: "precondition_failed"};
    return false;
  }
  // Koa's `fresh` implements If-None-Match / If-Modified-Since against the headers set above.
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return false;
  }

  const rangeHeader = ifRangeHolds(ctx.get("If-Range"), resource) ? ctx.get("Range") : undefined;
  const range = parseRange(rangeHeader || undefined, resource.size);
  if (range.kind === "unsatisfiable") {
    ctx.status = 416;
    ctx.set("Content-Range", `bytes */${resource.size}`);
    return false;
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, resource.size - 1];
  if (range.kind === "partial") {
    ctx.status = 206;
    ctx.set("Content-Range", `bytes ${start}-${end}/${resource.size}`);
  }
  const length = Math.max(0, end - start + 1);
  ctx.length = length;
  // For HEAD Koa sends the headers only.
  if (ctx.method === "HEAD" || length === 0) {
    if (length === 0) ctx.body = "";
    return false;
  }
  sendBody(ctx, resource, start, end);
  return true;
}

/**
 * Audio bodies bypass Koa's stream handling so the resource can write with pooled buffers (see
 * FileSender). A failure mid-body can only cut the connection: the status line is already sent.
 */
function sendBody(ctx: Context, resource: RangedResource, start: number, end: number): void {
  const res = ctx.res;
  ctx.respond = false;
  res.writeHead(ctx.status, ctx.response.headers as OutgoingHttpHeaders);
  writeBody(res, resource, start, end);
}

/** Bytes `start..end` after headers already written; the resource is released when done. */
export function writeBody(res: ServerResponse, resource: RangedResource, start: number, end: number): void {
  resource
    .send(res, start, end)
    .then(
      () => res.end(),
      () => res.destroy(),
    )
    .finally(() => resource.release?.().catch(() => undefined));
}

/** If-Match (strong comparison) and If-Unmodified-Since, RFC 9110 §13.1.1 and §13.1.4. */
function preconditionFails(ctx: Context, resource: RangedResource): boolean {
  const ifMatch = ctx.get("If-Match");
  if (ifMatch) {
    if (ifMatch.trim() === "*") return false;
    return !ifMatch.split(",").some((tag) => tag.trim() === resource.etag);
  }
  const since = Date.parse(ctx.get("If-Unmodified-Since"));
  if (Number.isFinite(since) && resource.lastModified) {
    return Math.floor(resource.lastModified.getTime() / 1000) * 1000 > since;
  }
  return false;
}

/** If-Range: the range applies only when the validator still matches (RFC 9110 §13.1.5). */
export function ifRangeHolds(ifRange: string, resource: Pick<RangedResource, "etag" | "lastModified">): boolean {
  if (!ifRange) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith("W/")) return ifRange === resource.etag;
  if (!resource.lastModified) return false;
  const since = Date.parse(ifRange);
  return Number.isFinite(since) && Math.floor(resource.lastModified.getTime() / 1000) * 1000 === since;
}
