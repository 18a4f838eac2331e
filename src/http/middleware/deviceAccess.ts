import type Router from "@koa/router";
import type {Middleware} from "koa";
import {normalizeAddress} from "../../core/address.js";
import {AppError} from "../../core/errors.js";
import {clientAddress} from "../clientAddress.js";
import {type Reached, reachedRoute} from "../routeAccess.js";
import type {DeviceCaller} from "./adminAccess.js";
import {bucketKey} from "./rateLimit.js";

/** What the device access asks of the device links: what a credential opens. */
export interface DeviceCredentials {
  check(
    token: string,
  ): {ok: true; child: string; id: string} | {ok: false; why: "unknown" | "no_child" | "no_plan"; child?: string};
}

/** The events a device's page may follow; what each carries to it is decided in deviceEvents.ts. */
export const DEVICE_EVENTS = [
  "family.changed",
  "quiet.changed",
  "player.changed",
  "player.added",
  "player.removed",
  "stream.changed",
  "pictures.changed",
] as const;

const mayOnly = (child: string) =>
  `This is a device link for ${child}'s page: it may read ${child}'s shelf, play from it, pause, resume, skip, set the volume within the plan, ask for one more story and start the sleep sound, nothing else (a parent signs in for the rest)`;

/**
 * `Authorization: Device <credential>`; on a route opened to every device (the live events: an
 * EventSource sends no header) also `?device=`.
 */
function credentialOf(ctx: Parameters<Middleware>[0], route: Reached | undefined): string | undefined {
  const match = /^Device\s+(\S{1,200})$/i.exec(ctx.get("Authorization").trim());
  if (match) return match[1];
  const query = ctx.query.device;
  return ctx.method === "GET" && route?.opening === "devices" && typeof query === "string" ? query : undefined;
}

/** The child a route's `:child` names, decoded; undefined for a malformed one (it names nobody). */
function childOf(route: Reached): string | undefined {
  if (route.rawChild === undefined) return undefined;
  try {
    return decodeURIComponent(route.rawChild);
  } catch {
    return undefined;
  }
}

/**
 * Before the admin access: a child's device link (docs/child.md) opens that child's page and its
 * calls, and nothing else, whoever sends it (the loopback and ingress too: a request that carries a
 * device's credential is the device's). What a link opens is what the route it reaches declares
 * (routeAccess.ts, beside the route in its file): the pages themselves and their files are public;
 * every other request goes on to the admin access, which asks for a parent.
 */
export function deviceAccess(
  devices: DeviceCredentials,
  router: Router,
  ingressPeers: readonly string[] = [],
): Middleware {
  const trusted = new Set(ingressPeers.map(normalizeAddress));
  return async (ctx, next) => {
    const route = reachedRoute(router, ctx.method, ctx.path);
    const token = credentialOf(ctx, route);
    if (token === undefined) {
      if (route?.opening === "public") ctx.state.public = true;
      return next();
    }
    const checked = devices.check(token);
    if (!checked.ok && checked.why === "no_plan")
      throw new AppError(
        "family_plan_down",
        "The family plan did not load (the log says why), so no tablet's page opens until it does: this link is kept",
        {status: 503, expose: true},
      );
    if (!checked.ok)
      throw new AppError(
        checked.why === "no_child" ? "device_link_child_gone" : "device_link_revoked",
        checked.why === "no_child"
          ? `This device link was for ${checked.child}, who was removed from the family plan (a child added again is a new child): a parent makes a new link on the Family page`
          : "This device link was revoked, or is not one: a parent makes a new link on the Family page",
        {status: 401},
      );
    // One IPv6 host holds a whole /64: its addresses count as one, as the rate limiter counts them.
    const address = bucketKey(
      clientAddress(ctx.req.socket.remoteAddress, ctx.get("X-Forwarded-For") || undefined, trusted),
    );
    const caller: DeviceCaller = {via: "device", child: checked.child, linkId: checked.id, address};
    const own = (name: string | undefined) => name !== undefined && name.toLowerCase() === checked.child.toLowerCase();
    const allowed =
      route !== undefined && route.method === ctx.method && (route.opening !== "child" || own(childOf(route)));
    // The child the link is for comes with the refusal: a tablet at another child's address goes there.
    if (!allowed)
      throw new AppError("device_link_only", mayOnly(checked.child), {status: 403, details: {child: checked.child}});
    ctx.state.caller = caller;
    ctx.state.public = true;
    await next();
  };
}
