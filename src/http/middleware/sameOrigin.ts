import {isIP} from "node:net";
import {hostname} from "node:os";
import type {Middleware} from "koa";
import {isLoopback} from "../../core/address.js";
import {AppError} from "../../core/errors.js";
import type {AdminCaller} from "./adminAccess.js";

export interface SameOriginPolicy {
  /** Names accepted besides this machine's own: the `allowed_hosts` option and `public_url`'s host. */
  allowedHosts: readonly string[];
}

export const PANEL_HEADER = "X-Requested-With";
export const PANEL_HEADER_VALUE = "yoto-smart-stream";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Content types a web page may send to any site without a CORS preflight (plus none at all). */
const SIMPLE_TYPES = new Set(["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);

export const hostNotAllowedMessage = (name: string) =>
  `Host '${name}' is not a name this service is reached by: open it by its address or add the name to the allowed_hosts option`;
export const crossSiteMessage = (from: string) =>
  `Refused a cross-site request from ${from}: the admin API only takes changes from its own panel`;
export const formLikeMessage = (type: string) =>
  `Refused a ${type ? `'${type}'` : "bodiless"} request from a web page without '${PANEL_HEADER}: ${PANEL_HEADER_VALUE}': the admin API only takes changes from its own panel`;

/**
 * Outside Home Assistant ingress, the admin API trusts loopback callers, and a browser on this
 * machine is one: any web page it opens can send requests here. Two guards close that:
 *
 * - DNS rebinding: a page on attacker.example re-points its name at 127.0.0.1 and reads our answers
 *   as same-origin. The browser still sends `Host: attacker.example`, so only names this service is
 *   really reached by are answered.
 * - Cross-site requests: a page elsewhere cannot read our answers (no CORS headers) but can still
 *   send "simple" POSTs (text/plain, forms) that change things. Changes are refused when the browser
 *   says they come from another site, and a browser request must also carry what a simple request
 *   cannot: the panel's `X-Requested-With` header or a non-simple content type (both force a
 *   preflight, which we never grant).
 *
 * Ingress requests skip both: Home Assistant authenticated the user, and the Supervisor forwards with
 * its own `Host` and the Home Assistant page's `Origin`. Requests without `Origin` or `Sec-Fetch-Site`
 * (curl, scripts) are not from a web page and pass the same-origin part.
 */
export function sameOrigin(policy: SameOriginPolicy): Middleware {
  const own = ownNames(policy.allowedHosts);
  return async (ctx, next) => {
    const caller = ctx.state.caller as AdminCaller | undefined;
    if (caller?.via === "ingress") return next();

    const host = ctx.get("Host");
    // Browsers always send Host; without one there is no name for a rebinding attack to use.
    const name = host ? hostName(host) : undefined;
    if (name !== undefined && !acceptedHost(name, own))
      throw new AppError("host_not_allowed", hostNotAllowedMessage(name), {status: 403});

    if (!STATE_CHANGING.has(ctx.method)) return next();
    const origin = ctx.get("Origin");
    const site = ctx.get("Sec-Fetch-Site").toLowerCase();
    if (site === "cross-site" || site === "same-site")
      throw new AppError("cross_site", crossSiteMessage(origin ? `'${origin}'` : "another site"), {status: 403});
    if (origin && !sameOriginAs(origin, host, own))
      throw new AppError("cross_site", crossSiteMessage(`'${origin}'`), {status: 403});

    // A page's request carries Origin (every cross-origin POST does) or Sec-Fetch-Site. Not any
    // Sec-Fetch-* header: Node's own fetch sends Sec-Fetch-Mode, and scripts are not web pages.
    const fromBrowser = Boolean(origin) || Boolean(site);
    if (fromBrowser && ctx.get(PANEL_HEADER) !== PANEL_HEADER_VALUE) {
      const type = (ctx.get("Content-Type").split(";")[0] ?? "").trim().toLowerCase();
      if (SIMPLE_TYPES.has(type)) throw new AppError("cross_site", formLikeMessage(type), {status: 403});
    }
    return next();
  };
}

/** `Example.COM.:8099` → `example.com`, `[::1]:80` → `::1`: the name, lowercased, without port. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\]/.exec(h);
  const name = bracketed ? (bracketed[1] as string) : h.replace(/:\d*$/, "");
  return name.replace(/\.$/, "");
}

/** This machine's names, and the configured ones, as `hostName` writes them. */
function ownNames(configured: readonly string[]): Set<string> {
  const names = new Set(["localhost", ...configured.map(hostName)]);
  const machine = hostName(hostname());
  if (machine) names.add(machine).add(`${machine}.local`);
  return names;
}

/**
 * Any IP literal is accepted: rebinding needs a name the attacker controls, and behind Docker's port
 * mapping the address a user types is not one of this container's own.
 */
function acceptedHost(name: string, own: ReadonlySet<string>): boolean {
  return isIP(name) !== 0 || ownName(name, own);
}

function ownName(name: string, own: ReadonlySet<string>): boolean {
  return own.has(name) || name.endsWith(".localhost") || isLoopback(name);
}

/**
 * Same origin as the request's `Host`, or a page served under one of our own names (not any IP: a
 * page on an attacker's address must not pass). Ports are not compared for our own names: a browser
 * calls a different port same-site, which is refused above when it says so, and the panel may sit
 * behind a local proxy on another port.
 */
function sameOriginAs(origin: string, host: string, own: ReadonlySet<string>): boolean {
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and garbage
  }
  if (page.protocol !== "http:" && page.protocol !== "https:") return false;
  if (host) {
    try {
      if (new URL(`${page.protocol}//${host}`).host === page.host) return true;
    } catch {
      // an unparsable Host cannot match
    }
  }
  return ownName(hostName(page.host), own);
}
