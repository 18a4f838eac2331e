import type Router from "@koa/router";
import type {Context} from "koa";
import {badRequest} from "../../core/errors.js";
import type {Library} from "../../library/library.js";
import type {LibraryItem} from "../../library/types.js";
import type {PublicLinks} from "../../links/publicLinks.js";
import type {FileResources} from "../fileResource.js";
import {sendRanged} from "../sendRanged.js";

export interface LibraryRouteDeps {
  library: Library;
  links: PublicLinks;
  files: FileResources;
  uploadMaxBytes: number;
  normalize: boolean;
  ffmpegPath?: string;
}

/** The library as the panel sees it: list/search, details with links, upload, delete, rescan, preview. */
export function libraryRoutes(router: Router, deps: LibraryRouteDeps): void {
  const {library, links} = deps;
  const view = (item: LibraryItem) => ({
    ...item,
    url: links.absolute(links.itemPath(item)),
    signedPath: links.signed(links.itemPath(item)),
  });

  router.get("/api/library", (ctx) => {
    const limit = intParam(ctx, "limit", 100, 1, 1000);
    const offset = intParam(ctx, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
    const q = typeof ctx.query.q === "string" ? ctx.query.q : undefined;
    const place = ctx.query.place ?? "library";
    if (place !== "library" && place !== "narration")
      throw badRequest(
        `place must be 'library' (the family's audio, the default) or 'narration' (the stories' narration), not '${String(place).slice(0, 40)}'`,
        "bad_place",
      );
    const {items, total} = library.list({q, limit, offset, place});
    ctx.body = {items, total, limit, offset};
  });

  router.post("/api/library/rescan", async (ctx) => {
    ctx.body = await library.scan();
  });

  router.post("/api/library/uploads", async (ctx) => {
    const filename = typeof ctx.query.filename === "string" ? ctx.query.filename.trim() : "";
    if (!filename) throw badRequest("Name the file: POST /api/library/uploads?filename=story.mp3", "missing_filename");
    const channels = ctx.query.channels ?? "stereo";
    if (channels !== "mono" && channels !== "stereo")
      throw badRequest("channels must be 'mono' or 'stereo'", "bad_channels");
    const declared = ctx.get("Content-Length");
    const item = await library.upload({
      body: ctx.req,
      filename,
      maxBytes: deps.uploadMaxBytes,
      declaredBytes: declared ? Number(declared) : undefined,
      normalize: deps.normalize,
      channels,
      ffmpegPath: deps.ffmpegPath,
    });
    ctx.status = 201;
    ctx.body = view(item);
  });

  router.get("/api/library/:id", (ctx) => {
    ctx.body = view(library.resolve(ctx.params.id as string).item);
  });

  router.delete("/api/library/:id", async (ctx) => {
    await library.remove(ctx.params.id as string);
    ctx.status = 204;
  });

  // Preview for the panel through ingress; players use the signed public URL instead.
  router.get("/api/library/:id/audio", async (ctx) => {
    sendRanged(ctx, await deps.files.resource(library.resolve(ctx.params.id as string)));
  });
}

function intParam(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max}`, "bad_query");
  }
  return value;
}
