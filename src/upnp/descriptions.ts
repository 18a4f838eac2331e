import type {ServiceTable} from "./serviceTables.js";

// What every device this service hosts says of itself: its description and its services' SCPDs,
// written from tables, with text escaped as XML 1.0 can carry it.

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

/** The one icon every hosted device names (the renderers' listener serves it). */
export const ICON_PATH = "/upnp/icon.png";

/** What one hosted device's description says that another's does not. */
export interface RootDevice {
  type: string;
  /**
   * The elements from friendlyName to just before UDN, in order, as XML text: the caller escapes
   * what comes from users (a constant is written as it stands).
   */
  about: ReadonlyArray<readonly [element: string, xmlText: string]>;
  udn: string;
  /** The DLNA device class and version (DMR-1.50, DMS-1.50). */
  dlnaDoc: string;
  icon: string;
  /** Square PNGs by size, listed instead of `icon` (the library's own: 48 and 120 px). */
  icons?: ReadonlyArray<{url: string; size: number}>;
  /** The path the services' documents, control and event URLs live under. */
  base: string;
  services: ReadonlyArray<readonly [key: string, table: Pick<ServiceTable, "type" | "id">]>;
}

/** A root device's description (the renderers' and the library's): its details, icon and services. */
export function rootDescription(d: RootDevice): string {
  const services = d.services
    .map(
      ([key, s]) =>
        `<service><serviceType>${s.type}</serviceType><serviceId>${s.id}</serviceId><SCPDURL>${d.base}/${key}.xml</SCPDURL><controlURL>${d.base}/${key}/control</controlURL><eventSubURL>${d.base}/${key}/event</eventSubURL></service>`,
    )
    .join("");
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<root xmlns="urn:schemas-upnp-org:device-1-0" xmlns:dlna="urn:schemas-dlna-org:device-1-0">',
    "<specVersion><major>1</major><minor>0</minor></specVersion>",
    "<device>",
    `<deviceType>${d.type}</deviceType>`,
    ...d.about.map(([element, text]) => `<${element}>${text}</${element}>`),
    `<UDN>${d.udn}</UDN>`,
    `<dlna:X_DLNADOC>${d.dlnaDoc}</dlna:X_DLNADOC>`,
    `<iconList>${(d.icons ?? [{url: d.icon, size: 128}]).map((i) => `<icon><mimetype>image/png</mimetype><width>${i.size}</width><height>${i.size}</height><depth>32</depth><url>${i.url}</url></icon>`).join("")}</iconList>`,
    `<serviceList>${services}</serviceList>`,
    "</device>",
    "</root>",
  ].join("\n");
}

/** Any service's SCPD from its table . */
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
