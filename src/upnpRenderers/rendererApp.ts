import Koa, {type Context} from "koa";
import {normalizeAddress} from "../core/address.js";
import type {FloodSummary} from "../core/floodSummary.js";
import type {Logger} from "../core/logger.js";
import type {UpnpAccess} from "../upnp/access.js";
import {answerControl, getOrHead} from "../upnp/control.js";
import {ICON_PATH} from "../upnp/descriptions.js";
import {genaRequest} from "../upnp/genaHttp.js";
import type {HostedDevice} from "../upnp/hostedDevice.js";
import {UpnpError} from "../upnp/soap.js";
import type {Renderer} from "./renderer.js";
import {deviceDescription, serviceDescription} from "./rendererDescription.js";
import {SERVICE_KEYS, SERVICES, type ServiceKey} from "./rendererTables.js";
import {CONNECTION_ACTIONS, RENDERING_ACTIONS} from "./renderingActions.js";
import {TRANSPORT_ACTIONS} from "./transportActions.js";

const ACTIONS = {
  AVTransport: TRANSPORT_ACTIONS,
  RenderingControl: RENDERING_ACTIONS,
  ConnectionManager: CONNECTION_ACTIONS,
} as const;

export interface UpnpAppOptions {
  renderer(playerId: string): Renderer | undefined;
  access: UpnpAccess;
  icon: () => Promise<Buffer>;
  serverHeader: string;
  flood: FloodSummary;
  log?: Logger;
  /** Another device served here (the library's MediaServer), asked before the renderers. */
  hosted?: HostedDevice;
}

const PATH =
  /^\/upnp\/([A-Za-z0-9_-]{1,64})\/(?:(description)\.xml|([A-Za-z]{1,32})\.xml|([A-Za-z]{1,32})\/(control|event))$/;

/**
 * The renderers' own listener: descriptions, SCPDs, SOAP control and GENA eventing, for the home's
 * control points only (never on the audio listener, which faces the internet).
 */
export function createUpnpApp(opts: UpnpAppOptions): Koa {
  const app = new Koa();
  app.on("error", () => undefined);
  app.use(async (ctx) => {
    ctx.set("Server", opts.serverHeader);
    const address = normalizeAddress(ctx.req.socket.remoteAddress);
    if (address === "") {
      // A connection its client reset before its request was handled has no peer address left:
      // no client of elsewhere was refused, and nobody is there to answer.
      opts.log?.debug(`A UPnP ${ctx.method} came on a connection its client had already reset: not answered`);
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (!opts.access.allows(address)) {
      opts.flood.warning(
        "refused UPnP requests",
        `Refused a UPnP ${ctx.method} from ${address}: only the home network (and upnp_allow) may use the renderers`,
      );
      ctx.status = 403;
      ctx.body = "Only the home network may use these renderers (add the address to upnp_allow if it is yours)\n";
      return;
    }
    if (ctx.path === ICON_PATH && (ctx.method === "GET" || ctx.method === "HEAD")) {
      ctx.type = "image/png";
      ctx.body = await opts.icon();
      return;
    }
    if (opts.hosted && (await opts.hosted.handle(ctx, address))) return;
    const m = PATH.exec(ctx.path);
    const renderer = m ? opts.renderer(m[1] as string) : undefined;
    if (!m || !renderer) {
      ctx.status = 404;
      ctx.body = "No such renderer or document\n";
      return;
    }
    const [, , description, scpd, service, kind] = m;
    const key = (scpd ?? service) as ServiceKey | undefined;
    if (key !== undefined && !SERVICE_KEYS.includes(key)) {
      ctx.status = 404;
      ctx.body = `This renderer has no service ${key}: it has ${SERVICE_KEYS.join(", ")}\n`;
      return;
    }
    renderer.seenBy.delete(address);
    renderer.seenBy.set(address, new Date().toISOString());
    if (renderer.seenBy.size > 5) renderer.seenBy.delete(renderer.seenBy.keys().next().value as string);
    if (description || scpd) {
      if (!getOrHead(ctx)) return;
      ctx.type = 'text/xml; charset="utf-8"';
      ctx.body = description ? deviceDescription(renderer.identity) : serviceDescription(key as ServiceKey);
      return;
    }
    if (kind === "control") await control(ctx, renderer, key as ServiceKey, opts);
    else
      genaRequest(ctx, renderer.subs, key as ServiceKey, address, {
        initialEvent: (sub) => renderer.initialEvent(key as ServiceKey, sub.sid),
        log: opts.log,
      });
  });
  return app;
}

async function control(ctx: Context, renderer: Renderer, key: ServiceKey, opts: UpnpAppOptions): Promise<void> {
  await answerControl(
    ctx,
    SERVICES[key],
    async (call) => {
      if (Object.hasOwn(call.args, "InstanceID") && call.args.InstanceID !== "0")
        throw new UpnpError(718, `There is no instance ${call.args.InstanceID.slice(0, 12)}: only 0`);
      const run = ACTIONS[key][call.action];
      if (!run) throw new UpnpError(401, `${call.action} is not an action of ${key}`);
      const caller = normalizeAddress(ctx.req.socket.remoteAddress);
      const out = await run(renderer, call.args, caller);
      // What a parent wants to see is what was done to the player, not Home Assistant's polling.
      if (!call.action.startsWith("Get")) renderer.lastAction = {name: call.action, at: new Date().toISOString()};
      // The answer follows the event of what the action changed (see Renderer.settle).
      await renderer.settle(key, caller);
      return out;
    },
    (upnp) =>
      opts.flood.warning(
        "refused UPnP actions",
        `'${renderer.identity.name}' refused a UPnP ${key} action (error ${upnp.code}): ${upnp.message}`,
      ),
  );
}
