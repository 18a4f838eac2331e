import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {QuietHours} from "../../parents/quietHours.js";
import type {QuietHoursList} from "../../parents/types.js";
import {readJsonObject} from "../body.js";

const SEND_UNTIL = 'Send {"until": "07:00"}: the time of day quiet hours end';

export interface QuietRouteDeps {
  quietHours: Pick<QuietHours, "views" | "beginUntil" | "end">;
  /** The zone a time of day such as "07:00" is read in: the rules' own, as `player.quiet` reads it. */
  quietTimeZone: () => string;
}

/**
 * Quiet hours for the panel: `GET /api/quiet-hours` lists who is kept quiet and until when,
 * `POST /api/players/<player>/quiet {"until": "07:00"}` starts them as the `player.quiet` rule
 * action does, and `DELETE` ends them now. An unknown player is the players' usual 404 naming
 * the known ones; a player that is not quiet is a 404 saying so.
 */
export function quietRoutes(router: Router, deps: QuietRouteDeps): void {
  router.get("/api/quiet-hours", (ctx) => {
    ctx.body = {quiet: deps.quietHours.views()} satisfies QuietHoursList;
  });

  router.post("/api/players/:id/quiet", async (ctx) => {
    const body = await readJsonObject(ctx, SEND_UNTIL, "bad_quiet");
    const extra = Object.keys(body).filter((key) => key !== "until");
    if (extra.length)
      throw badRequest(`Unknown field ${extra.map((k) => `'${k}'`).join(", ")}: ${SEND_UNTIL}`, "bad_quiet");
    const period = await deps.quietHours.beginUntil(ctx.params.id as string, body.until, {
      timeZone: deps.quietTimeZone(),
    });
    ctx.body = deps.quietHours.views().find((v) => v.playerId === period.playerId);
  });

  router.delete("/api/players/:id/quiet", async (ctx) => {
    ctx.body = await deps.quietHours.end(ctx.params.id as string);
  });
}
