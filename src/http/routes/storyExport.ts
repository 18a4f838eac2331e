import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import {type Stories, tweeStream} from "../../stories/index.js";

/** The formats a story is written back in: Twee 3, for Twine. */
const FORMATS = ["twee"];

/**
 * `GET /api/stories/<id>/export?format=twee`: the story as a Twee 3 file to open in Twine (or to
 * import again), a download named after the story. An ink story is refused (409): its .ink file is
 * the story. Streamed, a slice of time at a time: a story of thousands of scenes never holds the
 * event loop (tweeStream).
 */
export function storyExportRoutes(router: Router, {stories}: {stories: Stories}): void {
  router.get("/api/stories/:id/export", (ctx) => {
    const story = stories.get(ctx.params.id as string);
    const format = ctx.query.format ?? "twee";
    if (typeof format !== "string" || !FORMATS.includes(format))
      throw badRequest(
        `Cannot export as '${String(format).slice(0, 40)}': a story is exported as ${FORMATS.join(", ")} (Twee 3, for Twine): GET /api/stories/${story.id}/export?format=twee`,
        "unsupported_export_format",
      );
    const twee = tweeStream(story);
    ctx.type = "text/plain; charset=utf-8";
    ctx.set("Content-Disposition", `attachment; filename="${story.id}.twee"`);
    ctx.body = twee;
  });
}
