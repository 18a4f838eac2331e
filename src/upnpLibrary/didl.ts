import {escapeXml} from "../upnp/descriptions.js";
import {invalidArgs} from "../upnp/soap.js";
import {upnpTime} from "../upnp/times.js";
import {resProtocolInfo} from "./profiles.js";
import type {Entry, ItemEntry} from "./tree.js";

/**
 * DIDL-Lite for Browse and Search results: each entry once, its text escaped once (the SOAP answer
 * escapes the whole document once more, as a string argument), with only the properties the
 * control point's Filter asks for beside the ones DIDL always carries.
 */

const NAMESPACES =
  'xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns:dlna="urn:schemas-dlna-org:metadata-1-0/"';

/** Which optional properties to write: every one ("*"), or those named. */
export type DidlFilter = "*" | ReadonlySet<string>;

/** `dc:title`, `res@duration`, `@childCount`, and bare names (`id`, `res`): Home Assistant's filter has "id". */
const FILTER_NAME = /^(?:(?:[A-Za-z][\w.-]*:)?[A-Za-z][\w.-]*(?:@[A-Za-z][\w:.-]*)?|@[A-Za-z][\w:.-]*)$/;

/** Filter: "*" or a comma-separated list of property names (`dc:creator`, `res@duration`, `@childCount`). */
export function parseFilter(text: string): DidlFilter {
  const trimmed = text.trim();
  if (trimmed === "*" || trimmed.split(",").some((name) => name.trim() === "*")) return "*";
  const names = new Set<string>();
  if (trimmed === "") return names;
  if (trimmed.length > 2048) throw invalidArgs("Filter is longer than 2048 characters");
  for (const raw of trimmed.split(",")) {
    const name = raw.trim();
    if (!FILTER_NAME.test(name))
      throw invalidArgs(
        `Filter '${name.slice(0, 60)}' is not a property name: use "*" or names like dc:title,res,res@duration,upnp:albumArtURI`,
      );
    names.add(name);
  }
  return names;
}

/** A whole result document. */
export function didl(entries: readonly Entry[], filter: DidlFilter): string {
  return `<DIDL-Lite ${NAMESPACES}>${entries.map((e) => entryXml(e, filter)).join("")}</DIDL-Lite>`;
}

function wants(filter: DidlFilter, name: string): boolean {
  return filter === "*" || filter.has(name);
}

function entryXml(e: Entry, filter: DidlFilter): string {
  const head = `id="${text(e.id)}" parentID="${text(e.parentId)}" restricted="1"`;
  const common = `<dc:title>${text(e.title)}</dc:title><upnp:class>${text(e.upnpClass)}</upnp:class>${albumArt(e, filter)}`;
  if (e.kind === "container") {
    const count =
      e.childCount !== undefined && wants(filter, "@childCount") ? ` childCount="${Math.max(0, e.childCount)}"` : "";
    const searchable = wants(filter, "@searchable") ? ' searchable="1"' : "";
    return `<container ${head}${count}${searchable}>${common}</container>`;
  }
  return `<item ${head}>${common}${itemProperties(e, filter)}${res(e, filter)}</item>`;
}

function albumArt(e: Entry, filter: DidlFilter): string {
  if (!e.albumArt || !wants(filter, "upnp:albumArtURI")) return "";
  const profile = e.albumArtForeign ? "" : ' dlna:profileID="JPEG_TN"';
  return `<upnp:albumArtURI${profile}>${text(e.albumArt)}</upnp:albumArtURI>`;
}

function itemProperties(e: ItemEntry, filter: DidlFilter): string {
  let out = "";
  if (e.creator && wants(filter, "dc:creator")) out += `<dc:creator>${text(e.creator)}</dc:creator>`;
  if (e.creator && wants(filter, "upnp:artist")) out += `<upnp:artist>${text(e.creator)}</upnp:artist>`;
  if (e.album && wants(filter, "upnp:album")) out += `<upnp:album>${text(e.album)}</upnp:album>`;
  if (e.trackNumber !== undefined && wants(filter, "upnp:originalTrackNumber"))
    out += `<upnp:originalTrackNumber>${Math.trunc(e.trackNumber)}</upnp:originalTrackNumber>`;
  if (e.date && wants(filter, "dc:date")) out += `<dc:date>${text(e.date)}</dc:date>`;
  return out;
}

/** The one resource: the res element comes with "res" or any res@… in the Filter; its attributes as named. */
function res(e: ItemEntry, filter: DidlFilter): string {
  if (filter !== "*" && ![...filter].some((name) => name === "res" || name.startsWith("res@"))) return "";
  const r = e.res;
  let attrs = ` protocolInfo="${text(resProtocolInfo(r.mime, r.live === true))}"`;
  if (r.size !== undefined && wants(filter, "res@size")) attrs += ` size="${Math.trunc(r.size)}"`;
  if (r.duration !== undefined && wants(filter, "res@duration")) attrs += ` duration="${duration(r.duration)}"`;
  if (r.bitrate !== undefined && wants(filter, "res@bitrate")) attrs += ` bitrate="${Math.trunc(r.bitrate)}"`;
  return `<res${attrs}>${text(r.url)}</res>`;
}

/** res@duration: H+:MM:SS.FFF */
export function duration(seconds: number): string {
  return upnpTime(seconds, 3);
}

/** Text as XML (what XML cannot carry becomes U+FFFD: see escapeXml). */
export function text(value: string): string {
  return escapeXml(value);
}
