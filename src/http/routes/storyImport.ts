import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import {IMPORT_MAX_BYTES, type StoryImporter} from "../../storyImport/importer.js";
import {readBytes} from "../body.js";

export interface StoryImportRouteDeps {
  storyImporter: Pick<StoryImporter, "import">;
}

/**
 * `POST /api/stories/import?filename=<name>`: the story file (Twine, ink) as the body. The file name
 * picks the reader; `replace=true` overwrites an earlier import of the same story.
 */
export function storyImportRoutes(router: Router, {storyImporter}: StoryImportRouteDeps): void {
  router.post("/api/stories/import", async (ctx) => {
    const filename = typeof ctx.query.filename === "string" ? ctx.query.filename.trim() : "";
    if (!filename)
      throw badRequest(
        "Name the file: POST /api/stories/import?filename=<name>.twee (or .html, .ink, .json) with the file as the body",
        "missing_filename",
      );
    const bytes = await readBytes(ctx, IMPORT_MAX_BYTES);
    const result = await storyImporter.import(filename, bytes, {replace: ctx.query.replace === "true"});
    ctx.status = 201;
    ctx.body = result;
  });
}
