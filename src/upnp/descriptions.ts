import {RENDERER_TYPE, SERVICE_KEYS, SERVICES, type ServiceKey, type ServiceTable} from "./serviceTables.js";

/** What a renderer's description says of its player. */
export interface RendererIdentity {
  playerId: string;
  udn: string;
  name: string;
  /** The Yoto model ("Yoto Player", "Yoto Mini"). */
  model: string;
  version: string;
}

/**
 * Characters XML 1.0 cannot carry (control characters, lone surrogates from a file name that was
 * not UTF-8, U+FFFE/U+FFFF): they become U+FFFD, so one bad name or an echoed argument cannot make
 * a whole answer unreadable.
 */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML cannot carry
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text and attribute values as XML: the five characters that could end or open markup, and nothing XML cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Each renderer's documents live under its own path, named by the player id (never its name). */
export function rendererPath(playerId: string): string {
  return `/upnp/${encodeURIComponent(playerId)}`;
}

export const ICON_PATH = "/upnp/icon.png";

/**
 * The device description: one root MediaRenderer:1 per player, its three services and an icon.
 * The friendly name is the player's, so Home Assistant's entity follows a rename.
 */
export function deviceDescription(r: RendererIdentity): string {
  const base = rendererPath(r.playerId);
  const services = SERVICE_KEYS.map((key) => {
    const s = SERVICES[key];
    return `<service><serviceType>${s.type}</serviceType><serviceId>${s.id}</serviceId><SCPDURL>${base}/${key}.xml</SCPDURL><controlURL>${base}/${key}/control</controlURL><eventSubURL>${base}/${key}/event</eventSubURL></service>`;
  }).join("");
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<root xmlns="urn:schemas-upnp-org:device-1-0" xmlns:dlna="urn:schemas-dlna-org:device-1-0">',
    "<specVersion><major>1</major><minor>0</minor></specVersion>",
    "<device>",
    `<deviceType>${RENDERER_TYPE}</deviceType>`,
    `<friendlyName>${escapeXml(r.name || "Yoto Player")}</friendlyName>`,
    "<manufacturer>Yoto</manufacturer>",
    "<manufacturerURL>https://yotoplay.com</manufacturerURL>",
    `<modelDescription>${escapeXml(`${r.model} through Yoto Smart Stream`)}</modelDescription>`,
    `<modelName>${escapeXml(r.model)}</modelName>`,
    `<modelNumber>${escapeXml(r.version)}</modelNumber>`,
    "<modelURL>https://github.com/yoto-smart-stream/yoto-smart-stream</modelURL>",
    `<serialNumber>${escapeXml(r.playerId)}</serialNumber>`,
    `<UDN>${r.udn}</UDN>`,
    "<dlna:X_DLNADOC>DMR-1.50</dlna:X_DLNADOC>",
    `<iconList><icon><mimetype>image/png</mimetype><width>128</width><height>128</height><depth>32</depth><url>${ICON_PATH}</url></icon></iconList>`,
    `<serviceList>${services}</serviceList>`,
    "</device>",
    "</root>",
  ].join("\n");
}

/** A renderer service's SCPD, written from its table (serviceTables.ts). */
export function serviceDescription(key: ServiceKey): string {
  return scpdOf(SERVICES[key]);
}

/** Any service's SCPD from its table (the library's MediaServer writes its own with this too). */
export function scpdOf(s: ServiceTable): string {
  const args = (list: ReadonlyArray<readonly [string, string]>, direction: "in" | "out") =>
    list
      .map(
        ([name, variable]) =>
          `<argument><name>${name}</name><direction>${direction}</direction><relatedStateVariable>${variable}</relatedStateVariable></argument>`,
      )
      .join("");
  const actions = Object.entries(s.actions)
    .map(
      ([name, a]) =>
        `<action><name>${name}</name><argumentList>${args(a.in, "in")}${args(a.out, "out")}</argumentList></action>`,
    )
    .join("\n");
  const variables = s.variables
    .map((v) => {
      const allowed = v.allowed
        ? `<allowedValueList>${v.allowed.map((a) => `<allowedValue>${a}</allowedValue>`).join("")}</allowedValueList>`
        : "";
      const range = v.range
        ? `<allowedValueRange><minimum>${v.range.min}</minimum><maximum>${v.range.max}</maximum><step>${v.range.step}</step></allowedValueRange>`
        : "";
      return `<stateVariable sendEvents="${v.events ? "yes" : "no"}"><name>${v.name}</name><dataType>${v.type}</dataType>${allowed}${range}</stateVariable>`;
    })
    .join("\n");
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<scpd xmlns="urn:schemas-upnp-org:service-1-0">',
    "<specVersion><major>1</major><minor>0</minor></specVersion>",
    `<actionList>\n${actions}\n</actionList>`,
    `<serviceStateTable>\n${variables}\n</serviceStateTable>`,
    "</scpd>",
  ].join("\n");
}
