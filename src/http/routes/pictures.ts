import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import type Router from "@koa/router";
import type {Context} from "koa";
import {badRequest, notFound} from "../../core/errors.js";
import {MAX_PICTURE_BYTES, tooLarge} from "../../pictures/pictureCheck.js";
import type {ChosenPicture} from "../../shared/api/pictures.js";
import {readBytes, readJsonObject} from "../body.js";
import {openRoute} from "../routeAccess.js";

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

  openRoute(router, "public", "GET", "/api/shelf/pictures/:file", async (ctx) => {
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

/** The most an upload of at most 10 MB may take: a slow phone's, with room to spare. */
const UPLOAD_MS = 2 * 60_000;

/** The upload, refused past 10 MB in the words of a picture ("The upload is 50.0 MB: …"). */
function pictureBody(ctx: Context): Promise<Buffer> {
  return readBytes(ctx, MAX_PICTURE_BYTES, {tooLarge: (bytes) => tooLarge("The upload", bytes), deadlineMs: UPLOAD_MS});
}
