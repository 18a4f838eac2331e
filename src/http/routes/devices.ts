import type Router from "@koa/router";
import {AppError, badRequest} from "../../core/errors.js";
import type {DeviceLinkMade, DeviceLinksList, DeviceLinkView} from "../../shared/api/devices.js";
import {readJsonObject} from "../body.js";
import type {DeviceCaller} from "../middleware/adminAccess.js";
import type {DeviceCredentials} from "../middleware/deviceAccess.js";
import {openRoute} from "../routeAccess.js";

export interface DeviceRouteDeps {
  /** What a credential opens (the device access asks it), and the links a parent makes. */
  devices: DeviceCredentials & {
    create(child: string, name: unknown): Promise<{link: DeviceLinkView; token: string}>;
    list(child?: string): DeviceLinkView[];
    revoke(id: string): Promise<DeviceLinkView>;
    pin: {
      readonly isSet: boolean;
      set(pin: unknown): Promise<void>;
      remove(): Promise<void>;
      matches(pin: unknown, who: {tablet: string; address: string}): Promise<boolean>;
    };
  };
  /** The panel's own port: the Family page builds the tablet's address with it. */
  panelPort(): number;
}

const MAX_BASE = 200;

/** Where the tablet reaches the panel: `http(s)://host[:port]/` and maybe a path, as the Family page saw it. */
function baseOf(raw: unknown, own: string): string {
  if (raw === undefined) return own;
  if (typeof raw !== "string" || raw.length > MAX_BASE || !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(raw))
    throw badRequest(
      `'base' must be the panel's address as the tablet reaches it, such as "http://192.168.1.20:8099/" (got ${JSON.stringify(raw).slice(0, 60)})`,
      "bad_device_base",
    );
  return raw.endsWith("/") ? raw : `${raw}/`;
}

/**
 * The children's device links (docs/child.md): made, listed and revoked by a parent (admin routes),
 * and the parent PIN a locked tablet asks for. `POST …/unlock` is the one a device may call too.
 */
export function deviceRoutes(router: Router, deps: DeviceRouteDeps): void {
  router.get("/api/devices", (ctx) => {
    const body: DeviceLinksList & {panel_port: number} = {
      links: deps.devices.list(),
      pin_set: deps.devices.pin.isSet,
      panel_port: deps.panelPort(),
    };
    ctx.body = body;
  });

  router.get("/api/children/:name/devices", (ctx) => {
    const body: DeviceLinksList = {
      links: deps.devices.list(ctx.params.name as string),
      pin_set: deps.devices.pin.isSet,
    };
    ctx.body = body;
  });

  router.post("/api/children/:name/devices", async (ctx) => {
    const body = await readJsonObject(ctx, 'Send {"name": "Kitchen tablet"}', "bad_device_link");
    const base = baseOf(body.base, `${ctx.protocol}://${ctx.host}/`);
    const {link, token} = await deps.devices.create(ctx.params.name as string, body.name);
    const path = `child/${encodeURIComponent(link.child)}#device=${token}`;
    const url = `${base}${path}`;
    // The QR code maker is loaded by the first device link made, not at start.
    const {renderSVG} = await import("uqr");
    const made: DeviceLinkMade = {link, token, path, url, qr_svg: renderSVG(url, {border: 2})};
    ctx.status = 201;
    ctx.set("Cache-Control", "no-store");
    ctx.body = made;
  });

  router.put("/api/devices/pin", async (ctx) => {
    const body = await readJsonObject(ctx, 'Send {"pin": "2580"} (4 to 8 digits)', "bad_pin");
    await deps.devices.pin.set(body.pin);
    ctx.body = {pin_set: deps.devices.pin.isSet};
  });

  // Removing the PIN is a request of its own: no body, however malformed, removes it.
  router.delete("/api/devices/pin", async (ctx) => {
    await deps.devices.pin.remove();
    ctx.body = {pin_set: deps.devices.pin.isSet};
  });

  // After the PIN's own route, which ':id' would otherwise take.
  router.delete("/api/devices/:id", async (ctx) => {
    ctx.body = {revoked: await deps.devices.revoke(ctx.params.id as string)};
  });

  // A locked tablet lets go of its child: a parent's own session may, a device only with the PIN.
  openRoute(router, "child", "POST", "/api/children/:child/unlock", async (ctx) => {
    const caller = ctx.state.caller as DeviceCaller | {via: "admin" | "ingress"} | undefined;
    if (caller?.via !== "device") {
      ctx.body = {unlocked: true};
      return;
    }
    // Guesses come in bursts: their log lines are counted past the first few, not written each.
    ctx.state.audit = "summarised";
    const body = await readJsonObject(ctx, 'Send {"pin": "<the parent PIN>"}', "bad_pin");
    let right: boolean;
    try {
      right = await deps.devices.pin.matches(body.pin, {tablet: caller.linkId, address: caller.address});
    } catch (err) {
      const wait = (err as {retryAfterSeconds?: unknown}).retryAfterSeconds;
      if (typeof wait === "number") ctx.set("Retry-After", String(wait));
      throw err;
    }
    if (!right) throw new AppError("wrong_pin", "That is not the parent PIN", {status: 403});
    ctx.body = {unlocked: true};
  });
}
