import {createRequire} from "node:module";
import type {X2jOptions, XMLParser} from "fast-xml-parser";

const require = createRequire(import.meta.url);

/**
 * A parser made by the first document it reads. fast-xml-parser and its entity tables (about 0.5 MB
 * of heap) are loaded then, not at start: until a control point or a media server speaks, nothing
 * is XML. Loaded with `require` (the package's CommonJS build) so that reading stays synchronous.
 */
export function xmlParser(options: X2jOptions): () => XMLParser {
  let made: XMLParser | undefined;
  return () => {
    made ??= new (require("fast-xml-parser") as typeof import("fast-xml-parser")).XMLParser(options);
    return made;
  };
}

/**
 * UPnP documents as plain objects. A DOCTYPE is refused before parsing: no media server needs one,
 * and entity definitions are how XML is made to read files or expand to gigabytes. Namespace
 * prefixes are dropped (`dc:title` → `title`), attributes kept with an `@` prefix.
 */
const parser = xmlParser({
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

/**
 * The same without entity handling, for folder listings: half the time for 500 entries, and
 * `unescapeXml` then reads only the fields kept.
 */
/** UPnP documents read with entities left as they are (namespace prefixes dropped, attributes as `@name`). */
export const RAW_XML_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
} as const;

const rawParser = xmlParser({
  ...RAW_XML_OPTIONS,
  isArray: (name) => name === "item" || name === "container" || name === "res",
});

export class XmlRefused extends Error {}

export function parseXml(text: string, what: string, using = parser): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new XmlRefused(`${what} declares a DOCTYPE or entities, which a media server never needs: it was not read`);
  try {
    return using().parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new XmlRefused(`${what} is not XML that can be read (${(err as Error).message.split("\n")[0]})`);
  }
}

/** `parseXml` leaving entities as they are: read what is kept with `unescapeXml`. */
export function parseXmlRaw(text: string, what: string): Record<string, unknown> {
  return parseXml(text, what, rawParser);
}

const ENTITIES: Record<string, string> = {lt: "<", gt: ">", amp: "&", quot: '"', apos: "'"};

/** XML's five entities and character references, in one linear pass; any other entity is refused. */
export function unescapeXml(text: string, what: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (_, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(Math.min(Number.parseInt(name.slice(2), 16), 0x10ffff));
    if (name.startsWith("#")) return String.fromCodePoint(Math.min(Number(name.slice(1)), 0x10ffff));
    if (!Object.hasOwn(ENTITIES, name))
      throw new XmlRefused(`${what} uses an entity (&${name};) XML does not define: it was not read`);
    return ENTITIES[name] as string;
  });
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
