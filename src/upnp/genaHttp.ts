import type {Context} from "koa";
import type {Logger} from "../core/logger.js";
import type {Subscription, Subscriptions} from "./gena.js";
import {GenaRefusal} from "./genaSubscribers.js";

/** How long after its SUBSCRIBE answer a subscription's first event waits. */
export const INITIAL_EVENT_DELAY_MS = 100;

export interface GenaRequestOptions {
  /** Sends a new subscription its initial event (SEQ 0). */
  initialEvent: (sub: Subscription) => void;
  /** Where subscriptions and renewals are noted, if anywhere. */
  log?: Pick<Logger, "debug"> | undefined;
}

/**
 * One SUBSCRIBE or UNSUBSCRIBE to a service's event URL, for the renderer and the library alike:
 * a refusal is answered with its status and words, any other method with 405.
 */
export function genaRequest(
  ctx: Context,
  subs: Subscriptions,
  service: string,
  address: string,
  opts: GenaRequestOptions,
): void {
  try {
    if (ctx.method === "SUBSCRIBE") {
      const {sub, isNew} = subs.subscribe({
        service,
        address,
        ...header(ctx, "SID", "sid"),
        ...header(ctx, "CALLBACK", "callback"),
        ...header(ctx, "NT", "nt"),
        ...header(ctx, "TIMEOUT", "timeout"),
      });
      ctx.status = 200;
      opts.log?.debug(`${isNew ? "Subscribed" : "Renewed"} ${address} to ${service} (${sub.callbacks.join(" ")})`);
      ctx.set("SID", sub.sid);
      ctx.set("TIMEOUT", `Second-${Math.round((sub.expiresAt - Date.now()) / 1000)}`);
      ctx.set("Content-Length", "0");
      ctx.body = "";
      // The initial event follows the answer, a moment later: it comes on another connection, and
      // a control point that has not yet read its SID from the answer refuses it (GUPnP does).
      if (isNew) ctx.res.once("finish", () => setTimeout(() => opts.initialEvent(sub), INITIAL_EVENT_DELAY_MS).unref());
      return;
    }
    if (ctx.method === "UNSUBSCRIBE") {
      subs.unsubscribe(ctx.get("SID") || undefined, service, address);
      ctx.status = 200;
      ctx.body = "";
      return;
    }
    ctx.status = 405;
    ctx.set("Allow", "SUBSCRIBE, UNSUBSCRIBE");
  } catch (err) {
    if (!(err instanceof GenaRefusal)) throw err;
    ctx.status = err.status;
    ctx.body = `${err.message}\n`;
  }
}

function header<K extends string>(ctx: Context, name: string, key: K): Partial<Record<K, string>> {
  const value = ctx.get(name);
  return value ? ({[key]: value} as Record<K, string>) : {};
}
