import path from "node:path";
import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {StoryNarration} from "../../narration/narration.js";
import type {RuleEngine} from "../../rules/engine.js";
import {IMPORT_MAX_BYTES, StoryImporter} from "../../storyImport/importer.js";
import {readBytes} from "../body.js";

export interface StoryImportRouteDeps {
  /** The options: imports are written under rules_dir, where stories live. */
  options: () => Record<string, unknown>;
  /** Reloaded after an import, so the running service loads the story at once. */
  rules: RuleEngine;
  /** The imported story's narration, begun by that load: the answer says how far it is. */
  narration?: StoryNarration;
}

/**
 * `POST /api/stories/import?filename=<name>`: the story file (Twine, ink) as the body. The file name
 * picks the reader; `replace=true` overwrites an earlier import of the same story.
 */
export function storyImportRoutes(router: Router, {options, rules, narration}: StoryImportRouteDeps): void {
  const storyImporter = new StoryImporter({
    rulesDir: path.resolve(String(options().rules_dir)),
    written: () => rules.reload(),
  });
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
    const result = await storyImporter.import(filename, bytes, {replace: replace === "true"});
    ctx.status = 201;
    ctx.body = {...result, narration: narration?.progress(result.id) ?? null};
  });
}
