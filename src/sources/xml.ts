import {XMLParser} from "fast-xml-parser";

/**
 * UPnP documents as plain objects. A DOCTYPE is refused before parsing: no media server needs one,
 * and entity definitions are how XML is made to read files or expand to gigabytes. Namespace
 * prefixes are dropped (`dc:title` → `title`), attributes kept with an `@` prefix.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) =>
    name === "item" || name === "container" || name === "res" || name === "service" || name === "device",
});

export class XmlRefused extends Error {}

export function parseXml(text: string, what: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new XmlRefused(`${what} declares a DOCTYPE or entities, which a media server never needs: it was not read`);
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new XmlRefused(`${what} is not XML that can be read (${(err as Error).message.split("\n")[0]})`);
  }
}

/** A text node whatever the parser made of it (a string, a number, an object with `#text`). */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === "object" && "#text" in value) return textOf((value as {"#text": unknown})["#text"]);
  return undefined;
}

/** Own-property access into parsed XML: element names come from the server. */
export function child(value: unknown, name: string): unknown {
  if (typeof value !== "object" || value === null || !Object.hasOwn(value, name)) return undefined;
  return (value as Record<string, unknown>)[name];
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
