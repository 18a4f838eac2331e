import type Router from "@koa/router";
import type {Context} from "koa";
import type {MediaRequest, MediaStore} from "./media.js";
import {checkSignedLink} from "./signing.js";

/** The XML error body S3 and CloudFront answer with (no Bearer token is involved on these hosts). */
export function xmlError(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  // Set before the body, or Koa would label an XML string as HTML.
  ctx.set("Content-Type", "text/xml");
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

const CONTENT_TYPES: Record<string, string> = {
  mp3: "audio/mpeg",
  aac: "audio/mp4",
  opus: "audio/ogg",
  ogg: "audio/ogg",
};

/**
 * What Yoto's CDNs serve, on the simulator's own origin: signed audio at
 * `/secure-media/yoto/<sha>` (secure-media.yotoplay.com) and icons at
 * `/card-content/yoto/<mediaId>` (card-content.yotoplay.com). Both live outside the API guard:
 * the signature in the link is the only credential, as on CloudFront.
 */
export function cdnRoutes(
  router: Router,
  media: MediaStore,
  baseUrl: () => string,
  icon: (mediaId: string) => Buffer | undefined,
): void {
  router.get("/secure-media/yoto/:sha", (ctx) => {
    const sha = ctx.params.sha as string;
    const stored = media.get(sha);
    let status = 200;
    if (media.failNext > 0) {
      media.failNext--;
      status = 503;
    } else if (!checkSignedLink(`${baseUrl()}/secure-media/yoto/${sha}`, ctx.query, media.generation)) status = 403;
    else if (!stored) status = 404;
    const record: MediaRequest = {sha, status, bytes: 0, at: Date.now()};
    media.requests.push(record);
    // Before any byte of the body: a test's listener can still change what the next request meets.
    media.events.emit("request", {sha, status});
    if (status === 503) return xmlError(ctx, 503, "ServiceUnavailable", "Service Unavailable");
    // CloudFront checks the signature before it asks the origin, so a bad link never learns whether the key exists.
    if (status === 403) return xmlError(ctx, 403, "AccessDenied", "Access denied");
    if (!stored) return xmlError(ctx, 404, "NoSuchKey", "The specified key does not exist.");
    ctx.set("Content-Type", CONTENT_TYPES[stored.format] ?? "application/octet-stream");
    ctx.set("ETag", `"${sha}"`);
    ctx.body = media.body(stored, record);
    ctx.length = stored.size;
  });

  router.get("/card-content/yoto/:mediaId", (ctx) => {
    const image = icon(ctx.params.mediaId as string);
    if (!image) return xmlError(ctx, 404, "NoSuchKey", "The specified key does not exist.");
    ctx.type = "image/png";
    ctx.body = image;
  });
}
