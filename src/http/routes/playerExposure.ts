import type Router from "@koa/router";
import {AppError, badRequest} from "../../core/errors.js";
import type {GatedPlayers} from "../../gate/gatedPlayers.js";
import type {PlayerExposure} from "../../mediaPlayer/playerExposure.js";
import type {Exposure} from "../../shared/api/exposure.js";
import type {UpnpStatus} from "../../shared/api/upnp.js";
import {readJsonObject} from "../body.js";

const SWITCHES = ["media_player", "upnp"] as const;
const SEND_EXPOSURE =
  'Send {"media_player": true or false, "upnp": true or false} (either or both): the player\'s Home Assistant switches';

export interface PlayerExposureRouteDeps {
  exposure: Pick<PlayerExposure, "get" | "set">;
  players: GatedPlayers;
  /** How each DLNA renderer is seen, with description addresses on `host`. */
  upnpStatus?: (host: string) => UpnpStatus;
}

/**
 * The player details' Home Assistant switches: `GET /api/players/<player>/exposure` answers both,
 * `PUT` changes either or both and answers them once saved. The player is named by id or name; an
 * unknown one is the players' usual 404 naming the known ones.
 */
export function playerExposureRoutes(router: Router, deps: PlayerExposureRouteDeps): void {
  // The panel's player details show how control points see each renderer (the host: the one it was opened on).
  router.get("/api/upnp", (ctx) => {
    if (!deps.upnpStatus)
      throw new AppError("not_found", "The DLNA renderers are not part of this service", {status: 404});
    ctx.body = deps.upnpStatus(ctx.hostname || "127.0.0.1") satisfies UpnpStatus;
  });

  router.get("/api/players/:player/exposure", (ctx) => {
    const player = deps.players.get(ctx.params.player as string);
    ctx.body = deps.exposure.get(player.id) satisfies Exposure;
  });

  router.put("/api/players/:player/exposure", async (ctx) => {
    const player = deps.players.get(ctx.params.player as string);
    const patch = exposurePatch(await readJsonObject(ctx, SEND_EXPOSURE, "bad_exposure"));
    ctx.body = (await deps.exposure.set(player.id, patch)) satisfies Exposure;
  });
}

/** The switches a body changes: only the known ones, each true or false, at least one. */
function exposurePatch(body: Record<string, unknown>): Partial<Exposure> {
  const extra = Object.keys(body).filter((key) => !(SWITCHES as readonly string[]).includes(key));
  if (extra.length)
    throw badRequest(`Unknown field ${extra.map((k) => `'${k}'`).join(", ")}: ${SEND_EXPOSURE}`, "bad_exposure");
  const patch: Partial<Exposure> = {};
  for (const key of SWITCHES) {
    if (!Object.hasOwn(body, key)) continue;
    const value = body[key];
    if (typeof value !== "boolean")
      throw badRequest(`'${key}' must be true or false, not ${JSON.stringify(value)}`, "bad_exposure");
    patch[key] = value;
  }
  if (!Object.keys(patch).length) throw badRequest(`Nothing to change: ${SEND_EXPOSURE}`, "bad_exposure");
  return patch;
}
