import http from "node:http";
import type {AddressInfo} from "node:net";
import type {AppOptions} from "../../src/app/app.js";
import {DEMO_PLAYERS} from "../../src/sim/simulator.js";
import {unescapeXml as readXmlText} from "../../src/upnp/xml.js";
import {atFileEnd} from "./fileEnd.js";
import {rawRequest} from "./http.js";
import type {LinkedBridge, linkedBridge} from "./linkedBridge.js";
import {waitFor} from "./players.js";

/** The Bedroom Mini of the simulator: the renderer the attack tests drive. */
export const MINI = DEMO_PLAYERS[1]!.deviceId;
export const AVT = "urn:schemas-upnp-org:service:AVTransport:1";
export const RCS = "urn:schemas-upnp-org:service:RenderingControl:1";

/** The service on the simulator with the Bedroom Mini's renderer up and its volume known. */
export async function miniRenderer(
  start: ReturnType<typeof linkedBridge>,
  flags: string[] = [],
  app: Partial<AppOptions> = {},
): Promise<LinkedBridge & {base: string}> {
  const s = await start({flags, app});
  await waitFor(
    () => s.t.app.upnp.renderer(MINI) !== undefined && s.t.app.players.get(MINI).volume.level !== undefined,
    "the Mini's renderer and volume",
  );
  return {...s, base: `http://127.0.0.1:${s.t.app.upnp.port}/upnp/${MINI}`};
}

export const envelope = (inner: string, prolog = '<?xml version="1.0"?>') =>
  `${prolog}<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${inner}</s:Body></s:Envelope>`;

/** An action's element with its arguments written as given (already XML: `&#38;` stays a reference). */
export const actionBody = (type: string, action: string, args: Record<string, string>) =>
  envelope(
    `<u:${action} xmlns:u="${type}">${Object.entries(args)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join("")}</u:${action}>`,
  );

/** XML text as it reads (the service's own one-pass reader, character references included). */
export const unescapeXml = (text: string) => readXmlText(text, "the answer");

export interface SoapAnswer {
  status: number;
  code?: number;
  error?: string;
  body: string;
}

/** One SOAP call as any control point sends it; a fault's UPnP code and description read out. */
export async function soap(
  base: string,
  service: "AVTransport" | "RenderingControl",
  action: string,
  args: Record<string, string>,
  opts: {body?: string; soapAction?: string; localAddress?: string} = {},
): Promise<SoapAnswer> {
  const type = service === "AVTransport" ? AVT : RCS;
  const res = await rawRequest(`${base}/${service}/control`, {
    method: "POST",
    headers: {
      "Content-Type": 'text/xml; charset="utf-8"',
      SOAPACTION: opts.soapAction ?? `"${type}#${action}"`,
    },
    body: opts.body ?? actionBody(type, action, args),
    ...(opts.localAddress ? {localAddress: opts.localAddress} : {}),
  });
  const body = res.body.toString();
  const code = /<errorCode>(\d+)<\/errorCode>/.exec(body)?.[1];
  const error = /<errorDescription>([^<]*)<\/errorDescription>/.exec(body)?.[1];
  return {
    status: res.status,
    body,
    ...(code ? {code: Number(code)} : {}),
    ...(error !== undefined ? {error: unescapeXml(error)} : {}),
  };
}

/** An HTTP server on a loopback address, closed at the file's end; `handle` answers each request. */
export async function host(
  address: string,
  handle: http.RequestListener,
): Promise<{origin: string; server: http.Server}> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  atFileEnd(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {origin: `http://${address}:${(server.address() as AddressInfo).port}`, server};
}

/** A tiny HTTP server on a loopback address that answers 200 and keeps every request it got. */
export async function callbackServer(
  address: string,
): Promise<{url: string; got: Array<{method: string; sid: string}>}> {
  const got: Array<{method: string; sid: string}> = [];
  const {origin} = await host(address, (req, res) => {
    got.push({method: req.method ?? "", sid: String(req.headers.sid ?? "")});
    req.resume();
    res.end();
  });
  return {url: `${origin}/event`, got};
}

export function subscribe(base: string, service: string, callback: string, localAddress = "127.0.0.1") {
  return rawRequest(`${base}/${service}/event`, {
    method: "SUBSCRIBE",
    headers: {CALLBACK: `<${callback}>`, NT: "upnp:event", TIMEOUT: "Second-300"},
    localAddress,
  });
}
