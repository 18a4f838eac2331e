import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {Sources} from "../../mediaServers/sources.js";
import {readJsonObject} from "../body.js";

export interface SourceRouteDeps {
  sources: Pick<Sources, "list" | "add" | "remove" | "browse">;
}

/**
 * The home media servers (docs/media-servers.md, "Your media server"): list them, add one by the address of its
 * description, browse and search them. What browsing answers carries the `ref` queues and cards take.
 */
export function sourceRoutes(router: Router, {sources}: SourceRouteDeps): void {
  router.get("/api/sources", (ctx) => {
    ctx.body = {servers: sources.list()};
  });
  router.post("/api/sources", async (ctx) => {
    const body = await readJsonObject(ctx, 'Send {"url": "<the server\'s description address>"}', "bad_body");
    const unknown = Object.keys(body).filter((k) => k !== "url");
    if (unknown.length > 0) throw badRequest(`Unknown field '${unknown[0]}' (this request takes 'url')`, "bad_body");
    ctx.status = 201;
    ctx.body = await sources.add(body.url);
  });
  router.delete("/api/sources/:id", async (ctx) => {
    await sources.remove(ctx.params.id as string);
    ctx.body = {success: true};
  });
  router.get("/api/sources/:id/browse", async (ctx) => {
    const q = ctx.query;
    const one = (name: string) => {
      const value = q[name];
      if (Array.isArray(value)) throw badRequest(`Give ${name} once`, "bad_query");
      return value;
    };
    const whole = (name: string) => {
      const value = one(name);
      if (value === undefined) return undefined;
      if (!/^\d{1,6}$/.test(value)) throw badRequest(`${name} must be a whole number`, "bad_query");
      return Number(value);
    };
    const words = one("q");
    if (words !== undefined && (words.trim() === "" || words.length > 200))
      throw badRequest("q must be 1 to 200 characters of what to look for", "bad_query");
    ctx.body = await sources.browse(ctx.params.id as string, {
      object: one("object"),
      q: words?.trim(),
      start: whole("start"),
      count: whole("count"),
    });
  });
}
