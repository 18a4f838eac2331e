import type Router from "@koa/router";
import type {Context} from "koa";
import type {Archive} from "../../archive/archive.js";
import {contentTypeOf} from "../../archive/cardRecord.js";
import {badRequest} from "../../core/errors.js";
import type {RestoreRequest} from "../../shared/api/archive.js";
import {readJsonObject} from "../body.js";
import type {FileResources} from "../fileResource.js";
import {sendRanged} from "../sendRanged.js";

export interface ArchiveRouteDeps {
  archive: Pick<Archive, "overview" | "card" | "run" | "restore" | "stream" | "file">;
  files: FileResources;
}

const RESTORE_FIELDS = ["mode", "audio", "force"];

/**
 * A JSON object body, or nothing (the defaults): chunked bodies count, and a field this route
 * does not know (a typo such as "mdoe") is refused rather than quietly ignored.
 */
async function optionalBody(ctx: Context, fields: readonly string[], hint: string): Promise<Record<string, unknown>> {
  const sent = Number(ctx.get("Content-Length") || 0) > 0 || ctx.get("Transfer-Encoding") !== "";
  if (!sent) return {};
  const body = await readJsonObject(ctx, hint, "bad_body");
  const unknown = Object.keys(body).filter((key) => !fields.includes(key));
  if (unknown.length > 0)
    throw badRequest(
      `Unknown field '${unknown[0]}' (this request takes ${fields.map((f) => `'${f}'`).join(", ")})`,
      "bad_body",
    );
  return body;
}

/** The family archive (docs/archive.md, "Your family's cards, archived"). */
export function archiveRoutes(router: Router, deps: ArchiveRouteDeps): void {
  router.get("/api/archive", (ctx) => {
    ctx.body = deps.archive.overview();
  });

  // 202 with the run started, or 200 with the one already running; `?wait=true` answers when it
  // ends, with its outcome as the status (a full disk is the 507 that names the folder).
  router.post("/api/archive/run", async (ctx) => {
    const {run, started, done} = deps.archive.run("manual");
    if (ctx.query.wait === "true" || ctx.query.wait === "1") {
      const finished = await done;
      ctx.status = finished.state === "failed" ? (finished.errorStatus ?? 500) : 200;
      ctx.body = {run: finished};
      return;
    }
    ctx.status = started ? 202 : 200;
    ctx.body = {run};
  });

  router.get("/api/archive/files/:sha", async (ctx) => {
    const sha = ctx.params.sha as string;
    if (!/^[0-9a-f]{64}$/.test(sha))
      throw badRequest("An archived file is named by its sha256: 64 hex digits", "bad_sha");
    const {path, file} = deps.archive.file(sha);
    sendRanged(ctx, await deps.files.resourceAt(path, contentTypeOf(file)));
  });

  router.get("/api/archive/:card", (ctx) => {
    ctx.body = deps.archive.card(ctx.params.card as string);
  });

  router.post("/api/archive/:card/restore", async (ctx) => {
    const body = await optionalBody(
      ctx,
      RESTORE_FIELDS,
      'Send {"mode": "new" | "replace", "audio": "upload" | "stream"}',
    );
    ctx.body = await deps.archive.restore(ctx.params.card as string, body as RestoreRequest);
  });

  router.post("/api/archive/:card/stream", async (ctx) => {
    const body = await optionalBody(ctx, ["name"], 'Send {"name": "grandmas-stories"} or nothing');
    if (body.name !== undefined && typeof body.name !== "string")
      throw badRequest("name must be a stream name (text)", "bad_stream");
    ctx.body = await deps.archive.stream(ctx.params.card as string, body.name as string | undefined);
  });
}
