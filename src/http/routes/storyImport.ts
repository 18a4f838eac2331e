import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import {IMPORT_MAX_BYTES, type Stories} from "../../stories/index.js";
import {readBytes} from "../body.js";

/**
 * `POST /api/stories/import?filename=<name>`: the story file (Twine, ink) as the body. The file name
 * picks the reader; `replace=true` overwrites an earlier import of the same story. The story is
 * loaded before the answer, which says how far its narration is.
 */
export function storyImportRoutes(router: Router, {stories}: {stories: Stories}): void {
  router.post("/api/stories/import", async (ctx) => {
    const filename = typeof ctx.query.filename === "string" ? ctx.query.filename.trim() : "";
    if (!filename)
      throw badRequest(
        "Name the file: POST /api/stories/import?filename=<name>.twee (or .html, .ink, .json) with the file as the body",
        "missing_filename",
      );
    const bytes = await readBytes(ctx, IMPORT_MAX_BYTES);
    const replace = ctx.query.replace;
    if (replace !== undefined && replace !== "true" && replace !== "false")
      throw badRequest("replace must be true or false: ?replace=true overwrites an earlier import", "invalid_replace");
    ctx.status = 201;
    ctx.body = await stories.import(filename, bytes, {replace: replace === "true"});
  });
}
