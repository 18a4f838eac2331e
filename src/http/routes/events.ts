import {PassThrough} from "node:stream";
import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {EventBus, EventMap} from "../../core/events.js";
import type {LiveEventMap, LiveEventName} from "../../shared/api/events.js";
import {type DeviceEvent, type DeviceEventFamily, forDevice} from "../deviceEvents.js";
import {DEVICE_EVENTS} from "../middleware/deviceAccess.js";
import {openRoute} from "../routeAccess.js";

/** Events passed through unchanged; `player.changed` is trimmed on the way. */
const PASSED_THROUGH = [
  "player.added",
  "player.removed",
  "player.buttonPressed",
  "story.sceneEntered",
  "stream.changed",
  "stream.addProgress",
  "stream.deleted",
  "stream.requested",
  "feed.progress",
  "feed.refreshed",
  "feed.followed",
  "library.changed",
  "history.changed",
  "log.written",
  "quiet.changed",
  "family.changed",
  "family.requested",
  "rules.changed",
  "rules.traced",
  "account.changed",
  "cloud.stateChanged",
  "service.stateChanged",
  "archive.progress",
  "archive.changed",
  "radio.songChanged",
  "radio.stateChanged",
  "upnp.castTitleChanged",
  "upnp.castTrackEnded",
  "story.narrationProgress",
  "story.cardsChanged",
  "pictures.changed",
  "assistants.changed",
] as const satisfies readonly LiveEventName[];
type PassedThrough = (typeof PASSED_THROUGH)[number];

/**
 * Compiles only while each event passed through carries on the bus what the wire contract says the
 * panel gets (`true`); a payload that drifts from `LiveEventMap` makes it `never`, a type error.
 */
type PassedThroughMatchesWire = {[K in PassedThrough]: EventMap[K]} extends {[K in PassedThrough]: LiveEventMap[K]}
  ? true
  : never;
true satisfies PassedThroughMatchesWire;

/** Under the listener's idle timeout, and under the 60 s proxies commonly allow a silent response. */
const HEARTBEAT_MS = 25_000;

/**
 * Unsent bytes a client may fall behind by: minutes of an ordinary panel's events, or a few
 * thousand lines of a debug log. A client further behind (a frozen tab, a stalled proxy) is cut
 * off rather than kept in memory line by line; its EventSource reconnects and the panel reloads.
 */
export const MAX_BACKLOG_BYTES = 1_000_000;

/**
 * Server-sent events for the panel. Each client gets its own subscription owner, dropped when the
 * connection closes, so a closed tab leaves nothing behind on the bus.
 */
export function eventRoutes(
  router: Router,
  bus: EventBus,
  family: DeviceEventFamily,
  heartbeatMs = HEARTBEAT_MS,
  /** A player as the panel shows it (what a card of this service's plays, named: ownNames.ts). */
  shownPlayer: (p: LiveEventMap["player.changed"]["player"]) => LiveEventMap["player.changed"]["player"] = (p) => p,
): void {
  openRoute(router, "devices", "GET", "/api/events", (ctx) => {
    // A child's tablet follows only its page's events, each with what its own child's page needs.
    const caller = ctx.state.caller as {via?: string; linkId?: string; child?: string} | undefined;
    const child = caller?.via === "device" ? caller.child : undefined;
    const device = caller?.via === "device";
    const only = device ? deviceOnly(ctx.query.only) : wanted(ctx.query.only);
    const out = new PassThrough();
    const owner = {};
    // The players this tablet is shown as its child's: one a sibling takes from it is told, once.
    const shown = new Set<string>();
    if (child !== undefined)
      try {
        for (const id of family.pagePlayers(child)) shown.add(id);
      } catch {
        // The plan not loaded: the tablet is shown no player until it is.
      }
    const send = (event: LiveEventName, payload: unknown) => {
      if (out.writableLength > MAX_BACKLOG_BYTES) return cutOff();
      // Every device stream passes one filter: a device with no child (none is made) gets nothing.
      const data = device
        ? child === undefined
          ? undefined
          : forDevice(family, child, event as DeviceEvent, payload as LiveEventMap[DeviceEvent], shown)
        : payload;
      if (data !== undefined) out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    for (const event of PASSED_THROUGH)
      if (!only || only.has(event)) bus.on(owner, event, (payload) => void send(event, payload));
    if (!only || only.has("player.changed"))
      bus.on(owner, "player.changed", ({player, changed}) => {
        const trimmed: LiveEventMap["player.changed"] = {player: shownPlayer(player), changed};
        send("player.changed", trimmed);
      });
    // A revoked link's stream ends with it: what it opened it opens no longer.
    if (device)
      bus.on(owner, "device.revoked", ({id}) => {
        if (id === caller?.linkId) cutOff();
      });
    const heartbeat = setInterval(() => out.write(": keep-alive\n\n"), heartbeatMs);
    const close = () => {
      clearInterval(heartbeat);
      bus.off(owner);
      out.end();
    };
    // Ending would queue behind the backlog it is meant to drop: the connection goes at once.
    const cutOff = () => {
      close();
      out.destroy();
      ctx.res.destroy();
    };
    ctx.req.once("close", close);
    out.once("error", close);

    ctx.status = 200;
    ctx.type = "text/event-stream";
    ctx.set("Cache-Control", "no-cache, no-transform");
    // nginx-style proxies (and HA ingress) must not buffer the stream.
    ctx.set("X-Accel-Buffering", "no");
    ctx.body = out;
    // Reconnect after 2 s if the service restarts; the first event tells the client it is live.
    out.write(`retry: 2000\nevent: hello\ndata: {}\n\n`);
  });
}

/**
 * `?only=family.changed,player.changed`: a page that shows a little (the child's page) takes only
 * the events it reloads on, not every log line. Undefined: all of them.
 */
function wanted(only: unknown): Set<string> | undefined {
  if (only === undefined) return undefined;
  const known: readonly string[] = [...PASSED_THROUGH, "player.changed"];
  // `?only=a,b` and `?only=a&only=b` alike.
  const given = (Array.isArray(only) ? only : [only]).flatMap((o) => String(o).split(","));
  const names = given.map((n) => n.trim());
  const wrong = names.filter((n) => !known.includes(n)).map((n) => (n ? `'${n.slice(0, 40)}'` : "an empty name"));
  if (names.length > known.length || wrong.length > 0)
    throw badRequest(
      `'only' must name live events, separated by commas (${names.length > known.length ? `${names.length} names given` : `not ${[...new Set(wrong)].slice(0, 3).join(", ")}`}); they are ${known.join(", ")}`,
      "bad_query",
    );
  return new Set(names);
}

/** A device's `only`: the child's page's own events (`DEVICE_EVENTS`), never more. */
function deviceOnly(only: unknown): Set<string> {
  const asked = wanted(only);
  return new Set(asked ? [...asked].filter((e) => (DEVICE_EVENTS as readonly string[]).includes(e)) : DEVICE_EVENTS);
}
