import type {Context} from "koa";
import {errorMessage} from "../core/errors.js";
import type {ServiceTable} from "./serviceTables.js";
import {parseSoapCall, type SoapCall, soapFault, soapResponse, UpnpError} from "./soap.js";

/** A control request larger than this is refused: the biggest (SetAVTransportURI with DIDL) is a few KB. */
export const MAX_BODY_BYTES = 64 * 1024;

export class TooLarge extends Error {}

/** The request body, refused past MAX_BODY_BYTES before more of it is read. */
export async function readBody(ctx: Context): Promise<string> {
  if (Number(ctx.get("Content-Length") || 0) > MAX_BODY_BYTES) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Only GET and HEAD read a description; anything else is 405 naming them. */
export function getOrHead(ctx: Context): boolean {
  if (ctx.method === "GET" || ctx.method === "HEAD") return true;
  ctx.status = 405;
  ctx.set("Allow", "GET, HEAD");
  return false;
}

/**
 * One SOAP control request, for any device here (a renderer, the library): POST only, the body
 * bounded, the call checked against the service's table, run, and answered as SOAP. What `run`
 * refuses (or fails with) is a SOAP fault (500) that `refused` is told of; a body over the limit is
 * a plain 413, since no SOAP fault can say that.
 */
export async function answerControl(
  ctx: Context,
  service: ServiceTable,
  run: (call: SoapCall) => Promise<Record<string, string | number>>,
  refused: (error: UpnpError, cause: unknown) => void,
): Promise<void> {
  if (ctx.method !== "POST") {
    ctx.status = 405;
    ctx.set("Allow", "POST");
    return;
  }
  ctx.type = 'text/xml; charset="utf-8"';
  try {
    const call = parseSoapCall(service, ctx.get("SOAPACTION") || undefined, await readBody(ctx));
    const out = await run(call);
    ctx.body = soapResponse(service, call.action, out);
  } catch (err) {
    if (err instanceof TooLarge) {
      ctx.status = 413;
      // Plain words, not the SOAP type set above: this answer is no SOAP fault.
      ctx.type = "text/plain; charset=utf-8";
      ctx.set("Connection", "close");
      ctx.body = `A control request is at most ${MAX_BODY_BYTES / 1024} KB\n`;
      return;
    }
    const upnp = err instanceof UpnpError ? err : new UpnpError(501, errorMessage(err));
    refused(upnp, err);
    ctx.status = 500;
    ctx.body = soapFault(upnp);
  }
}
