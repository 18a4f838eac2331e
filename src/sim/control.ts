import type Router from "@koa/router";
import type {Context} from "koa";
import type {SimBroker} from "./broker.js";
import {readText, type SimOAuth} from "./oauth.js";
import type {VirtualPlayer} from "./player.js";
import type {SimRestState} from "./rest.js";

export interface ControlDeps {
  oauth: SimOAuth;
  broker: SimBroker;
  state: SimRestState;
  acks: {delayMs: number; lose: boolean};
  /** The media, upload and rate-limit faults (SimulatorMedia.applyMediaFaults). */
  mediaFaults?: (f: Record<string, unknown>) => void;
}

/**
 * The hands of the person holding the player, and the faults of a bad day in the cloud, as a
 * small HTTP API under /sim: buttons, knob, cards, power, network, and injected failures.
 */
export function controlRoutes(router: Router, deps: ControlDeps): void {
  const {state} = deps;
  const player = (ctx: Context): VirtualPlayer => {
    const found = state.players.get(ctx.params.id as string);
    if (!found) ctx.throw(404, `no virtual player '${ctx.params.id}'`);
    return found as VirtualPlayer;
  };
  /** A 409 says why, as a person at the player would see it. */
  const answer = (ctx: Context, ok: boolean, p: VirtualPlayer, why?: () => string) => {
    ctx.status = ok ? 200 : 409;
    ctx.body = {ok, ...(ok || !why ? {} : {error: why()}), player: view(p)};
  };
  const pressRefusal = (p: VirtualPlayer, button: string) => () =>
    p.eventsSnapshot().cardId === "none"
      ? `Pressing ${button} did nothing: no card is playing on '${p.spec.name}'; insert one first (POST /sim/players/${p.spec.deviceId}/card with {"cardId": "…"})`
      : `Pressing ${button} did nothing: the playing card has nowhere to go with that button from here (the last or first track, or a scene without that exit)`;

  router.get("/sim/players", (ctx) => {
    ctx.body = {players: [...state.players.values()].map(view)};
  });
  router.get("/sim/players/:id", (ctx) => {
    ctx.body = view(player(ctx));
  });
  router.post("/sim/players/:id/press", async (ctx) => {
    const p = player(ctx);
    const {button} = await body(ctx);
    if (button !== "left" && button !== "right") ctx.throw(400, "button must be 'left' or 'right'");
    answer(ctx, button === "left" ? p.pressLeft() : p.pressRight(), p, pressRefusal(p, String(button)));
  });
  router.post("/sim/players/:id/knob", async (ctx) => {
    const p = player(ctx);
    const {steps} = await body(ctx);
    if (typeof steps !== "number") ctx.throw(400, "steps must be a number (negative turns down)");
    p.turnKnob(steps as number);
    answer(ctx, true, p);
  });
  router.post("/sim/players/:id/card", async (ctx) => {
    const p = player(ctx);
    const {cardId} = await body(ctx);
    answer(
      ctx,
      p.insertCard(String(cardId)),
      p,
      () =>
        `No card '${String(cardId)}' with a track on the simulated account: send {"cardId": "<id>"} of a card it has`,
    );
  });
  router.delete("/sim/players/:id/card", (ctx) => {
    const p = player(ctx);
    p.removeCard();
    answer(ctx, true, p);
  });
  router.post("/sim/players/:id/finish-track", (ctx) => {
    const p = player(ctx);
    p.finishTrack();
    answer(ctx, true, p);
  });
  router.post("/sim/players/:id/power", async (ctx) => {
    const p = player(ctx);
    const {on} = await body(ctx);
    if (on) p.setOnline(true);
    else p.powerOff();
    answer(ctx, true, p);
  });
  router.post("/sim/players/:id/online", async (ctx) => {
    const p = player(ctx);
    p.setOnline(Boolean((await body(ctx)).online));
    answer(ctx, true, p);
  });
  router.post("/sim/players/:id/silence", (ctx) => {
    const p = player(ctx);
    p.silenceEvents();
    answer(ctx, true, p);
  });
  router.post("/sim/faults", async (ctx) => {
    const f = await body(ctx);
    if (typeof f.ackDelayMs === "number") deps.acks.delayMs = f.ackDelayMs;
    if (typeof f.loseAcks === "boolean") deps.acks.lose = f.loseAcks;
    if (typeof f.fail5xx === "number") state.failNext = f.fail5xx;
    if (f.revokeRefreshTokens) deps.oauth.revokeRefreshTokens();
    // The family's app with some scopes unticked: the next tokens leave them out (null: all again).
    if (Array.isArray(f.grantScopes)) deps.oauth.grantOnly = f.grantScopes.map(String);
    if (f.grantScopes === null) deps.oauth.grantOnly = undefined;
    if (f.expireTokens) {
      deps.oauth.expireAllTokens();
      deps.broker.enforceExpiry();
    }
    if (typeof f.refuseConnections === "number") deps.broker.refuseNext = f.refuseConnections;
    if (f.dropConnections) deps.broker.dropConnections();
    deps.mediaFaults?.(f);
    ctx.body = {acks: deps.acks, failNext: state.failNext};
  });
}

export function view(p: VirtualPlayer) {
  return {
    ...p.spec,
    online: p.online,
    volume: p.volume,
    volumeMax: p.volumeMax,
    nightlight: p.nightlight,
    events: p.eventsSnapshot(),
    fetches: p.fetches,
    displayed: p.displayed,
  };
}

async function body(ctx: Context): Promise<Record<string, unknown>> {
  const text = await readText(ctx, 64 * 1024);
  try {
    const parsed = JSON.parse(text || "{}");
    return typeof parsed === "object" && parsed !== null ? parsed : {};
  } catch {
    ctx.throw(400, "body is not JSON");
  }
  return {};
}
