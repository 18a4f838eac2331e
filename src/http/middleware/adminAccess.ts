import {timingSafeEqual} from "node:crypto";
import type {Middleware} from "koa";
import {isLoopback, normalizeAddress} from "../../core/address.js";
import {AppError} from "../../core/errors.js";
import {hasSession} from "./signIn.js";

/** The Supervisor's ingress proxy: the only peer Home Assistant sends panel traffic from. */
export const INGRESS_PROXY_ADDRESS = "172.30.32.2";

export interface AdminAccessPolicy {
  ingressPeers: readonly string[];
  allowLoopback: boolean;
  apiToken?: string;
}

/** A child's tablet with a device link: that child's page, and nothing else (deviceAccess.ts). */
export interface DeviceCaller {
  via: "device";
  child: string;
  linkId: string;
  /** The tablet's address (through the ingress proxy, the one it forwarded for; IPv6 as its /64). */
  address: string;
}

export interface AdminCaller {
  via: "ingress" | "loopback" | "token" | "session";
  /** From X-Remote-User-*, which the Supervisor sets (and strips from clients) on ingress requests. */
  userId?: string;
  userName?: string;
  displayName?: string;
}

export const FORBIDDEN_MESSAGE =
  "The admin API answers only Home Assistant ingress, this machine, requests with 'Authorization: Bearer <api_token>', or a browser signed in at /signin";

/**
 * Who may use the panel and admin API. Anything else gets 403 before routing, so no route can
 * forget the check.
 */
export function adminAccess(policy: AdminAccessPolicy): Middleware {
  const ingress = new Set(policy.ingressPeers.map(normalizeAddress));
  return async (ctx, next) => {
    // A device's request, or a page anyone may load: the device access let it through (deviceAccess.ts).
    if (ctx.state.public) return next();
    const peer = normalizeAddress(ctx.req.socket.remoteAddress);
    let caller: AdminCaller | undefined;
    if (ingress.has(peer)) {
      caller = {
        via: "ingress",
        userId: ctx.get("X-Remote-User-Id") || undefined,
        userName: ctx.get("X-Remote-User-Name") || undefined,
        displayName: ctx.get("X-Remote-User-Display-Name") || undefined,
      };
    } else if (policy.allowLoopback && isLoopback(peer)) {
      caller = {via: "loopback"};
    } else if (policy.apiToken && bearerMatches(ctx.get("Authorization"), policy.apiToken)) {
      caller = {via: "token"};
    } else if (hasSession(ctx, policy.apiToken)) {
      caller = {via: "session"};
    }
    if (!caller) {
      // A browser on another device is shown the sign-in page rather than a JSON refusal.
      if (ctx.method === "GET" && !ctx.path.startsWith("/api/") && ctx.accepts("html") === "html") {
        ctx.redirect("/signin");
        return;
      }
      throw new AppError("forbidden", FORBIDDEN_MESSAGE, {status: 403});
    }
    ctx.state.caller = caller;
    await next();
  };
}

function bearerMatches(header: string, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1] as string);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
