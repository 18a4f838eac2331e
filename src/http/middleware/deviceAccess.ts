import type {Middleware} from "koa";
import {AppError} from "../../core/errors.js";
import type {DeviceCaller} from "./adminAccess.js";

/** What the device access asks of the device links: what a credential opens. */
export interface DeviceCredentials {
  check(
    token: string,
  ): {ok: true; child: string; id: string} | {ok: false; why: "unknown" | "no_child"; child?: string};
}

/** The events a device's page may follow, each without its payload (only that something changed). */
export const DEVICE_EVENTS = [
  "family.changed",
  "quiet.changed",
  "player.changed",
  "player.added",
  "player.removed",
  "stream.changed",
  "pictures.changed",
] as const;

/** Pages and their files: nothing in them is the family's, and a tablet with a device link loads them. */
const PUBLIC_GET = /^\/(?:child(?:\/[^/]*)?\/?|assets\/[^/]+|api\/shelf\/(?:covers|pictures)\/[^/]+)$/;
/** The child's page's own calls, for the child named in the path. */
const DEVICE_ROUTES: Array<{method: string; path: RegExp}> = [
  {method: "GET", path: /^\/api\/children\/([^/]+)\/shelf$/},
  {method: "POST", path: /^\/api\/children\/([^/]+)\/shelf\/(?:play|control|ask)$/},
  {method: "POST", path: /^\/api\/children\/([^/]+)\/unlock$/},
];

const mayOnly = (child: string) =>
  `This is a device link for ${child}'s page: it may read ${child}'s shelf, play from it, pause, resume, skip, set the volume within the plan and ask for one more story, nothing else (a parent signs in for the rest)`;

/** `Authorization: Device <credential>`; for the live events (an EventSource sends no header) also `?device=`. */
function credentialOf(ctx: Parameters<Middleware>[0]): string | undefined {
  const match = /^Device\s+(\S{1,200})$/i.exec(ctx.get("Authorization").trim());
  if (match) return match[1];
  const query = ctx.query.device;
  return ctx.method === "GET" && ctx.path === "/api/events" && typeof query === "string" ? query : undefined;
}

function childInPath(path: string, method: string): string | undefined {
  for (const route of DEVICE_ROUTES) {
    if (route.method !== method) continue;
    const m = route.path.exec(path);
    if (!m) continue;
    try {
      return decodeURIComponent(m[1] as string);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Before the admin access: a child's device link (docs/child.md) opens that child's page and its
 * calls, and nothing else, whoever sends it (the loopback and ingress too: a request that carries a
 * device's credential is the device's). The pages themselves and their files are public; every
 * other request goes on to the admin access, which asks for a parent.
 */
export function deviceAccess(devices: DeviceCredentials): Middleware {
  return async (ctx, next) => {
    const token = credentialOf(ctx);
    if (token === undefined) {
      if ((ctx.method === "GET" || ctx.method === "HEAD") && PUBLIC_GET.test(ctx.path)) ctx.state.public = true;
      return next();
    }
    const checked = devices.check(token);
    if (!checked.ok)
      throw new AppError(
        checked.why === "no_child" ? "device_link_child_gone" : "device_link_revoked",
        checked.why === "no_child"
          ? `This device link was for ${checked.child}, who is no longer in the family plan: a parent makes a new link on the Family page`
          : "This device link was revoked, or is not one: a parent makes a new link on the Family page",
        {status: 401},
      );
    const caller: DeviceCaller = {via: "device", child: checked.child, linkId: checked.id};
    const own = (name: string | undefined) => name !== undefined && name.toLowerCase() === checked.child.toLowerCase();
    const allowed =
      (ctx.method === "GET" && PUBLIC_GET.test(ctx.path)) ||
      (ctx.method === "GET" && ctx.path === "/api/events") ||
      own(childInPath(ctx.path, ctx.method));
    if (!allowed) throw new AppError("device_link_only", mayOnly(checked.child), {status: 403});
    ctx.state.caller = caller;
    ctx.state.public = true;
    await next();
  };
}
