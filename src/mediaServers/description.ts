import {createHash} from "node:crypto";
import {child, list, parseXml, textOf} from "../upnp/xml.js";
import {checkServerUrl, onServerHost, type ServerAccess, serverText} from "./serverFetch.js";

const DESCRIPTION_BYTES = 512 * 1024;
export const SERVER_TIMEOUT_MS = 10_000;

/** What a media server's description document says about it. */
export interface ServerDescription {
  /** Short and stable (from its UDN): what refs and the API use. */
  id: string;
  name: string;
  /** Where the description came from. */
  url: string;
  /** Where ContentDirectory's SOAP actions go. */
  controlUrl: string;
}

/**
 * Read a UPnP device description and find its ContentDirectory. Anything that is not a media
 * server with one (a router, a TV, a web page) is refused with what it is.
 */
export async function describeServer(
  url: string,
  server: ServerAccess,
  signal?: AbortSignal,
): Promise<ServerDescription> {
  const target = new URL(url);
  const {status, text} = await serverText(url, {
    server,
    signal,
    timeoutMs: SERVER_TIMEOUT_MS,
    maxBytes: DESCRIPTION_BYTES,
  });
  if (status !== 200) throw new Error(`it answered ${status}`);
  const doc = child(parseXml(text, "Its description"), "root");
  const device = list(child(doc, "device"))[0];
  if (!device) throw new Error("its answer is not a UPnP device description");
  const type = textOf(child(device, "deviceType")) ?? "";
  const services = list(child(child(device, "serviceList"), "service"));
  const directory = services.find((s) =>
    (textOf(child(s, "serviceType")) ?? "").includes(":service:ContentDirectory:"),
  );
  const control = directory ? textOf(child(directory, "controlURL")) : undefined;
  if (!control)
    throw new Error(`it is a ${shortType(type) || "device"} without a ContentDirectory, not a media server`);
  const base = textOf(child(doc, "URLBase")) ?? url;
  const udn = textOf(child(device, "UDN")) ?? url;
  // A base with no host (a server that found no address to name) means the address it was found on.
  const controlUrl = URL.canParse(control, base)
    ? new URL(control, base)
    : onServerHost(control, target.hostname, base);
  if (!controlUrl) throw new Error(`its ContentDirectory's address cannot be read ('${control.slice(0, 200)}')`);
  if (controlUrl.hostname !== target.hostname)
    throw new Error(`its ContentDirectory is on another host (${controlUrl.host}); only its own host is fetched from`);
  // Its port too: a controlURL on another port of the host could be anything there (this service's admin API).
  checkServerUrl(controlUrl, server);
  return {
    id: serverIdOf(udn),
    name: (textOf(child(device, "friendlyName")) ?? target.host).slice(0, 120),
    url,
    controlUrl: controlUrl.toString(),
  };
}

/** A server's id from its UDN: the same from its description and from the USN of its SSDP answers. */
export function serverIdOf(udn: string): string {
  return createHash("sha256").update(udn).digest("base64url").slice(0, 10);
}

function shortType(type: string): string {
  return /:device:([A-Za-z]+):/.exec(type)?.[1] ?? "";
}
