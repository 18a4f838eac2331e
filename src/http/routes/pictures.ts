import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import type Router from "@koa/router";
import type {Context} from "koa";
import {AppError, badRequest, notFound} from "../../core/errors.js";
import {MAX_PICTURE_BYTES, tooLarge} from "../../pictures/pictureCheck.js";
import type {ChosenPicture} from "../../shared/api/pictures.js";
import {readJsonObject} from "../body.js";

export interface PictureRouteDeps {
  pictures: {
    list(): ChosenPicture[];
    chooseUpload(item: string, bytes: Buffer): Promise<ChosenPicture>;
    chooseIcon(item: string, icon: string): Promise<ChosenPicture>;
    clear(item: string): Promise<boolean>;
    files: {path(name: string): string | undefined};
  };
}

const MAX_ITEM = 300;

/**
 * Pictures for shelf items (docs/child.md, "Pictures"): the ones parents chose, choosing one (an
 * upload as the body, or one of Yoto's icons), giving an item its own back; and every picture the
 * shelf shows, served from here. A served picture's name is the sha256 of its bytes: it never
 * changes, and it cannot be guessed, so the child's page (and a tablet's browser) may load it as
 * the shelf's drawings are, without a credential.
 */
export function pictureRoutes(router: Router, deps: PictureRouteDeps): void {
  router.get("/api/pictures", (ctx) => {
    ctx.body = {pictures: deps.pictures.list()};
  });

  router.put("/api/pictures/:item", async (ctx) => {
    const item = itemOf(ctx);
    if (ctx.is("application/json")) {
      const body = await readJsonObject(
        ctx,
        'Send the picture itself (Content-Type: image/png, image/jpeg, image/gif or image/webp), or {"icon": "yoto:#<mediaId>"}',
        "bad_picture",
      );
      if (typeof body.icon !== "string" || body.icon === "")
        throw badRequest(
          `'icon' must be one of Yoto's icons, as yoto:#<mediaId> (got ${JSON.stringify(body.icon ?? null)})`,
          "bad_picture",
        );
      ctx.body = await deps.pictures.chooseIcon(item, body.icon);
      return;
    }
    ctx.body = await deps.pictures.chooseUpload(item, await pictureBody(ctx));
  });

  router.delete("/api/pictures/:item", async (ctx) => {
    const item = itemOf(ctx);
    if (!(await deps.pictures.clear(item)))
      throw notFound(`'${item}' has no chosen picture: it shows its own already`, "no_chosen_picture");
    ctx.status = 204;
  });

  router.get("/api/shelf/pictures/:file", async (ctx) => {
    const file = deps.pictures.files.path(ctx.params.file as string);
    const size = file
      ? await stat(file).then(
          (s) => s.size,
          () => 0,
        )
      : 0;
    if (!file || size === 0) {
      ctx.status = 404;
      ctx.body = {error: `No picture '${String(ctx.params.file).slice(0, 100)}'`, code: "no_picture"};
      return;
    }
    ctx.type = file.endsWith(".png") ? "image/png" : "image/jpeg";
    ctx.length = size;
    ctx.set("Cache-Control", "public, max-age=31536000, immutable");
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.body = createReadStream(file);
  });
}

function itemOf(ctx: Context): string {
  const item = String(ctx.params.item ?? "");
  if (item === "" || item.length > MAX_ITEM)
    throw badRequest(
      `Name the shelf item in the address, by its id as GET /api/children/<name>/shelf lists it (at most ${MAX_ITEM} characters)`,
      "bad_picture",
    );
  return item;
}

/**
 * A refused upload's rest is read and thrown away, up to this much, before the answer: a browser
 * still sending (through Home Assistant's ingress above all) otherwise sees its connection reset,
 * not the answer saying the picture is too large.
 */
const DRAINED_BYTES = 64 * 1024 * 1024;
/** The most an upload of at most 10 MB may take: a slow phone's, with room to spare. */
const UPLOAD_MS = 2 * 60_000;

/** The upload, refused past 10 MB (by its declared length before a byte is kept, or while reading). */
function pictureBody(ctx: Context): Promise<Buffer> {
  const declared = Number(ctx.get("Content-Length") || 0);
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // The size said is the declared one when there is one, else what came before the end (or the cap).
    const tooBig = () => tooLarge("The upload", declared > MAX_PICTURE_BYTES ? declared : size);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PICTURE_BYTES && declared <= MAX_PICTURE_BYTES) chunks.push(chunk);
      else if (size > DRAINED_BYTES)
        finish(tooLarge("The upload", declared > MAX_PICTURE_BYTES ? declared : undefined));
    };
    const finish = (err?: Error) => {
      clearTimeout(deadline);
      req.off("data", onData).off("end", onEnd).off("error", finish).off("aborted", onAborted);
      if (err) {
        chunks.length = 0;
        reject(err);
      } else resolve(Buffer.concat(chunks));
    };
    const onEnd = () => finish(size > MAX_PICTURE_BYTES || declared > MAX_PICTURE_BYTES ? tooBig() : undefined);
    const onAborted = () => finish(new AppError("upload_aborted", "The upload stopped before its end", {status: 400}));
    // A byte a minute would hold the connection for good: the whole upload has a deadline.
    const deadline = setTimeout(
      () =>
        finish(
          new AppError(
            "upload_too_slow",
            `The upload took more than ${UPLOAD_MS / 60_000} minutes: send it again over a better connection`,
            {status: 408},
          ),
        ),
      UPLOAD_MS,
    );
    req.on("data", onData).on("end", onEnd).on("error", finish).on("aborted", onAborted);
  });
}
