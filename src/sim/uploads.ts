import {createHash, createHmac, randomBytes} from "node:crypto";
import type Router from "@koa/router";
import type {Context} from "koa";
import {xmlError} from "./cdn.js";
import type {MediaStore} from "./media.js";

const KEY = "simulated-upload-bucket-key";
const URL_SECONDS = 3600;

interface SimUpload {
  uploadId: string;
  /** The sha256 the client announced (hex), checked against the PUT body. */
  sourceSha?: string;
  filename: string;
  bytes?: Buffer;
  startedAt?: number;
  failed?: boolean;
  transcodedSha?: string;
}

/** Faults and timing of the upload flow, set on the simulator. */
export interface UploadSettings {
  refuseUploads: "put" | "transcode" | undefined;
  transcodeMs: number;
}

/*
 * The audio upload flow (reference §2.5). The shapes of GET /media/upload/{id}/transcoded come
 * from public clients of the real API:
 * - done: HTTP 200, `transcode.transcodedSha256` and `transcodedInfo` {duration (s), fileSize,
 *   channels, format, codec, metadata.title} (yoto.dev "uploading to cards"; twine-to-yoto
 *   lib/types/transcode.ts adds uploadSha256, transcodedAt), `progress.phase: "complete"`
 *   (TheBestMoshe/yoto-cli src/api/schemas.ts; @yotoplay/yoto-sdk users check it).
 * - processing: HTTP 202 (DavidObando/Waikiki docs/YOTO_API.md, measured live; radlinsky) with
 *   `progress: {phase, percent}`; phases seen live include "queued", "downloading", "analyzing",
 *   "transcoding" (yoto-cli schemas.ts and PR #11). The order used here is UNCERTAIN.
 * - failed: still HTTP 202, `failedUploadSha256` set, `startedAt: null`, `progress: null`
 *   (Waikiki docs/YOTO_API.md, seen live for an upload Yoto refused).
 * - before the PUT: UNCERTAIN (no capture found); modelled as 202 with `progress: null` and no
 *   failure, which a polling client treats as "not yet".
 * The "transcode" here keeps the bytes as sent (the real one re-encodes, often to Opus).
 */
export function uploadRoutes(router: Router, media: MediaStore, settings: UploadSettings, baseUrl: () => string): void {
  const uploads = new Map<string, SimUpload>();

  /** Finish a transcode whose time has come: the bytes go into the media store under their sha. */
  const settle = (upload: SimUpload): void => {
    if (upload.transcodedSha || upload.failed || upload.startedAt === undefined) return;
    if (Date.now() - upload.startedAt < settings.transcodeMs) return;
    upload.transcodedSha = media.add(upload.bytes as Buffer, {title: upload.filename.replace(/\.[^.]*$/, "")});
    upload.bytes = undefined;
  };

  router.get("/media/transcode/audio/uploadUrl", (ctx) => {
    const sha = typeof ctx.query.sha256 === "string" ? ctx.query.sha256.toLowerCase() : undefined;
    const filename = typeof ctx.query.filename === "string" ? ctx.query.filename : "";
    for (const upload of uploads.values()) settle(upload);
    const done = sha && [...uploads.values()].find((u) => u.sourceSha === sha && u.transcodedSha);
    // Yoto dedupes by hash: the file is already there, nothing to upload.
    if (done) {
      ctx.body = {upload: {uploadId: done.uploadId, uploadUrl: null}};
      return;
    }
    const uploadId = randomBytes(12).toString("hex");
    uploads.set(uploadId, {uploadId, sourceSha: sha, filename});
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
    const query = `X-Amz-Date=${date}&X-Amz-Expires=${URL_SECONDS}&X-Amz-Signature=${sign(uploadId, date)}`;
    ctx.body = {upload: {uploadId, uploadUrl: `${baseUrl()}/upload-bucket/${uploadId}?${query}`}};
  });

  // The presigned S3 PUT: no Bearer token, the signature in the query is the credential.
  router.put("/upload-bucket/:uploadId", async (ctx) => {
    const upload = uploads.get(ctx.params.uploadId as string);
    const date = String(ctx.query["X-Amz-Date"] ?? "");
    if (!upload || ctx.query["X-Amz-Signature"] !== sign(upload.uploadId, date) || expired(date))
      return xmlError(ctx, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
    if (settings.refuseUploads === "put") return xmlError(ctx, 403, "AccessDenied", "Access Denied");
    const bytes = await readAll(ctx);
    if (bytes.length === 0) return xmlError(ctx, 400, "MissingContent", "The request body is empty");
    const sha = createHash("sha256").update(bytes).digest("hex");
    if (upload.sourceSha && sha !== upload.sourceSha)
      return xmlError(ctx, 400, "BadDigest", "The sha256 you specified did not match what we received.");
    upload.bytes = bytes;
    upload.sourceSha = sha;
    upload.startedAt = Date.now();
    upload.failed = settings.refuseUploads === "transcode";
    ctx.status = 200;
    ctx.body = "";
  });

  router.get("/media/upload/:uploadId/transcoded", (ctx) => {
    const upload = uploads.get(ctx.params.uploadId as string);
    if (!upload) {
      ctx.status = 404;
      ctx.body = {error: {code: "not-found", message: `Upload ${ctx.params.uploadId} not found`}};
      return;
    }
    settle(upload);
    const base = {uploadId: upload.uploadId, uploadSha256: upload.sourceSha ?? null, uploadFilename: upload.filename};
    const stored = upload.transcodedSha ? media.get(upload.transcodedSha) : undefined;
    if (stored) {
      ctx.body = {
        transcode: {
          ...base,
          transcodedSha256: stored.sha,
          transcodedAt: new Date((upload.startedAt ?? 0) + settings.transcodeMs).toISOString(),
          transcodedInfo: {
            duration: stored.duration,
            fileSize: stored.size,
            channels: "stereo",
            format: stored.format,
            codec: stored.format,
            metadata: {title: stored.title},
          },
          progress: {phase: "complete", percent: 100},
        },
      };
      return;
    }
    ctx.status = 202;
    const started = upload.startedAt !== undefined && !upload.failed;
    const percent = started
      ? Math.min(99, Math.floor(((Date.now() - (upload.startedAt as number)) / settings.transcodeMs) * 100))
      : 0;
    const phase = percent < 20 ? "queued" : percent < 40 ? "analyzing" : "transcoding";
    ctx.body = {
      transcode: {
        ...base,
        transcodedSha256: null,
        failedUploadSha256: upload.failed ? (upload.sourceSha ?? null) : null,
        startedAt: started ? new Date(upload.startedAt as number).toISOString() : null,
        progress: started ? {phase, percent} : null,
      },
    };
  });
}

function sign(uploadId: string, date: string): string {
  return createHmac("sha256", KEY).update(`${uploadId}\n${date}\n${URL_SECONDS}`).digest("hex");
}

/** X-Amz-Date is `yyyymmddThhmmssZ`; the URL is good for URL_SECONDS after it. */
function expired(date: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m) return true;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = Date.UTC(year, month - 1, day, hour, minute, second);
  return Date.now() > at + URL_SECONDS * 1000;
}

async function readAll(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
