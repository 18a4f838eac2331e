import type Router from "@koa/router";
import type {Context} from "koa";
import {AppError, badRequest} from "../../core/errors.js";
import type {VirtualHands, VirtualPlayerView} from "../../shared/api/virtualPlayers.js";
import {readJsonObject} from "../body.js";

export type {VirtualHands, VirtualPlayerView};

/** `/api/virtual`: buttons, knob and card slot of the demo's players, for the panel's demo controls. */
export function virtualPlayerRoutes(router: Router, hands: VirtualHands | undefined): void {
  const target = (ctx: Context): {hands: VirtualHands; id: string} => {
    const id = ctx.params.id as string;
    if (!hands?.list().some((p) => p.id === id))
      throw new AppError(
        "not_virtual",
        `'${id}' is not a virtual player: only the demo's simulated players have buttons to press here`,
        {status: 404},
      );
    return {hands, id};
  };

  router.get("/api/virtual", (ctx) => {
    ctx.body = {players: hands?.list() ?? []};
  });
  router.post("/api/virtual/:id/press", async (ctx) => {
    const {hands, id} = target(ctx);
    const {button} = await readJsonObject(ctx);
    if (button !== "left" && button !== "right") throw badRequest('Send {"button": "left"} or {"button": "right"}');
    if (!hands.press(id, button))
      throw new AppError("nothing_to_press", `Pressing ${button} did nothing: insert a card first`, {status: 409});
    ctx.body = {ok: true};
  });
  router.post("/api/virtual/:id/knob", async (ctx) => {
    const {hands, id} = target(ctx);
    const {steps} = await readJsonObject(ctx);
    if (!Number.isInteger(steps) || steps === 0)
      throw badRequest('Send {"steps": n}: a whole number of clicks, negative to turn down');
    hands.turnKnob(id, steps as number);
    ctx.body = {ok: true};
  });
  router.post("/api/virtual/:id/card", async (ctx) => {
    const {hands, id} = target(ctx);
    const {cardId} = await readJsonObject(ctx);
    if (typeof cardId !== "string" || !cardId) throw badRequest('Send {"cardId": "<id of a card on the account>"}');
    if (!hands.insertCard(id, cardId))
      throw new AppError("unknown_card", `There is no card '${cardId}' on the account`, {status: 404});
    ctx.body = {ok: true};
  });
  router.delete("/api/virtual/:id/card", (ctx) => {
    const {hands, id} = target(ctx);
    hands.removeCard(id);
    ctx.body = {ok: true};
  });
  router.post("/api/virtual/:id/finish-track", (ctx) => {
    const {hands, id} = target(ctx);
    hands.finishTrack(id);
    ctx.body = {ok: true};
  });
}
