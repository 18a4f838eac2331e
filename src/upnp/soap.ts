import {escapeXml} from "./descriptions.js";
import type {ServiceTable} from "./serviceTables.js";
import {parseXml, RAW_XML_OPTIONS, unescapeXml, XmlRefused, xmlParser} from "./xml.js";

/** A UPnP error: the code and description a control point shows (UPnP Device Architecture §3.2.2, AVTransport §2.4). */
export class UpnpError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "UpnpError";
  }
}

export const invalidAction = (why: string) => new UpnpError(401, why);
export const invalidArgs = (why: string) => new UpnpError(402, why);
export const actionFailed = (why: string) => new UpnpError(501, why);
export const transitionNotAvailable = (why: string) => new UpnpError(701, why);
export const illegalMimeType = (why: string) => new UpnpError(714, why);
export const resourceNotFound = (why: string) => new UpnpError(716, why);

/**
 * Control requests are read with entities left as they are and unescaped per argument by
 * `unescapeXml` (one linear pass): the parser's own handling skips character references, so
 * `&#38;` in a URL reached the player as text. CDATA is kept apart: its text is taken as it is.
 */
const SOAP_PARSER = xmlParser({...RAW_XML_OPTIONS, cdataPropName: "#cdata"});

export interface SoapCall {
  action: string;
  args: Record<string, string>;
}

/**
 * Read one control request: the SOAPACTION header names the service and action, and the body's
 * element must be that action with exactly the arguments the service's table lists. Anything else
 * is 401 (no such action) or 402 (its arguments are wrong), saying which.
 */
export function parseSoapCall(service: ServiceTable, soapAction: string | undefined, body: string): SoapCall {
  const header = /^"?([^"#]+)#([A-Za-z0-9_]+)"?$/.exec((soapAction ?? "").trim());
  if (!header)
    throw invalidAction(`SOAPACTION must be "${service.type}#<action>", not '${clip(soapAction ?? "(none)")}'`);
  const [, type, action = ""] = header;
  if (type !== service.type) throw invalidAction(`This control URL is ${service.type}'s, not ${clip(type ?? "")}'s`);
  const table = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
  if (!table)
    throw invalidAction(
      `${service.type.split(":")[3]} has no action '${action}': it has ${Object.keys(service.actions).join(", ")}`,
    );
  // Said here for a control request: the XML reader's own words are about media servers' answers.
  if (/<!DOCTYPE|<!ENTITY/i.test(body))
    throw invalidArgs(
      "The request declares a DOCTYPE or entities, which no UPnP control request needs: it was not read",
    );
  let doc: Record<string, unknown>;
  try {
    doc = parseXml(body, "The request", SOAP_PARSER);
  } catch (err) {
    if (err instanceof XmlRefused) throw invalidArgs(err.message);
    throw err;
  }
  const envelope = record(doc.Envelope);
  const call = record(record(envelope?.Body)?.[action]);
  if (!call) throw invalidAction(`The body is not a SOAP envelope whose Body holds <${action}>`);
  const args: Record<string, string> = {};
  for (const [name] of table.in) {
    const value = Object.hasOwn(call, name) ? call[name] : undefined;
    if (value === undefined) throw invalidArgs(`${action} needs the argument '${name}'`);
    args[name] = argumentText(value, name, action);
  }
  if (Object.hasOwn(call, "#text") || Object.hasOwn(call, "#cdata"))
    throw invalidArgs(`${action} has text outside its arguments: each value goes inside its argument's element`);
  const extra = Object.keys(call).filter(
    (k) => !k.startsWith("@") && k !== "#text" && k !== "#cdata" && !table.in.some(([name]) => name === k),
  );
  if (extra.length > 0)
    throw invalidArgs(`${action} has no argument(s) ${extra.map((k) => `'${clip(k)}'`).join(", ")}`);
  return {action, args};
}

/** A control request to another device (a media server's ContentDirectory): the envelope, arguments escaped. */
export function soapRequest(serviceType: string, action: string, args: Record<string, string | number>): string {
  const params = Object.entries(args)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${serviceType}">${params}</u:${action}></s:Body></s:Envelope>`;
}

/** The answer to a call, its out arguments in the table's order. */
export function soapResponse(service: ServiceTable, action: string, out: Record<string, string | number>): string {
  const table = service.actions[action];
  const args = (table?.out ?? []).map(([name]) => `<${name}>${escapeXml(String(out[name] ?? ""))}</${name}>`).join("");
  return envelope(`<u:${action}Response xmlns:u="${service.type}">${args}</u:${action}Response>`);
}

/** A UPnP error as SOAP's fault (sent with HTTP 500). */
export function soapFault(error: UpnpError): string {
  return envelope(
    `<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${error.code}</errorCode><errorDescription>${escapeXml(error.message)}</errorDescription></UPnPError></detail></s:Fault>`,
  );
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${body}</s:Body></s:Envelope>`;
}

function record(value: unknown): Record<string, unknown> | undefined {
  if (value === "") return {};
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * An argument's text, its entities and character references read. An element with attributes
 * (`<Target xsi:type="…">0:01:00</Target>`) is still its text; CDATA is taken as it is.
 */
function argumentText(value: unknown, name: string, action: string): string {
  if (Array.isArray(value)) throw invalidArgs(`${action}'s '${name}' is given more than once: send it once`);
  if (value === "" || value === null) return "";
  if (typeof value === "string") return unescaped(value, name, action);
  const element = record(value);
  if (!element || !Object.keys(element).every((k) => k.startsWith("@") || k === "#text" || k === "#cdata"))
    throw invalidArgs(`${action}'s '${name}' must be text, not markup`);
  const text = element["#text"];
  const cdata = element["#cdata"];
  return (
    (typeof text === "string" ? unescaped(text, name, action) : "") +
    (Array.isArray(cdata) ? cdata.join("") : typeof cdata === "string" ? cdata : "")
  );
}

function unescaped(text: string, name: string, action: string): string {
  try {
    return unescapeXml(text, `${action}'s '${name}'`);
  } catch (err) {
    if (err instanceof XmlRefused) throw invalidArgs(err.message);
    throw err;
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
