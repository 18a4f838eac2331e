import type Router from "@koa/router";
import type {Announcer} from "../../announce/announcer.js";
import {parseAnnounceRequest} from "../../announce/request.js";
import {badRequest} from "../../core/errors.js";
import {readJson} from "../body.js";

export interface AnnounceRouteDeps {
  announcer: Announcer;
}

/**
 * Announcements: the request is answered once the announcement is over and the player is back
 * where it was (or with why it could not be), so an automation can wait for it.
 */
export function announceRoutes(router: Router, deps: AnnounceRouteDeps): void {
  router.post("/api/players/:id/announce", async (ctx) => {
    const request = parseAnnounceRequest(await readJson(ctx));
    ctx.body = await deps.announcer.announce(ctx.params.id as string, request);
  });
  // Drops what waits for the player and stops what it says now (it then goes back to its story).
  router.delete("/api/players/:id/announce", (ctx) => {
    ctx.body = deps.announcer.cancel(ctx.params.id as string);
  });
  router.post("/api/announce", async (ctx) => {
    const body = await readJson(ctx);
    const request = parseAnnounceRequest(body);
    ctx.body = {results: await deps.announcer.announceMany(playersOf(body), request)};
  });
}

/** `players`: one name or id, or a list of them. */
export function playersOf(body: unknown): string[] {
  const raw = (body as {players?: unknown} | null)?.players;
  const list = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === "string" && p.trim() !== ""))
    throw badRequest(
      "Say which players announce: 'players' is a player's name or id, or a list of them",
      "bad_announcement",
    );
  return [...new Set(list as string[])];
}
