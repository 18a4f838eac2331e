import {soapRequest} from "../upnp/soap.js";
import {child, list, parseXml, parseXmlRaw, textOf, unescapeXml} from "../upnp/xml.js";
import {SERVER_TIMEOUT_MS} from "./description.js";
import {onServerHost, type ServerAccess, serverAccess, serverText} from "./serverFetch.js";

/** A page of a folder is a few hundred entries; no server needs more, and more is not read. */
const SOAP_BYTES = 8 * 1024 * 1024;
const SERVICE = "urn:schemas-upnp-org:service:ContentDirectory:1";

/** One entry of a folder or a search, as the API shows it (`ref` added by the service). */
export interface DirectoryEntry {
  id: string;
  title: string;
  kind: "folder" | "track";
  duration: number | null;
  artist: string | null;
  album: string | null;
  cover: string | null;
  /** A track's audio. */
  audioUrl: string | null;
  /** Declared size in bytes, when the server says. */
  size: number | null;
}

export interface DirectoryPage {
  entries: DirectoryEntry[];
  total: number;
}

/** ContentDirectory's SOAP actions on one server, every fetch kept to its host. */
export class ContentDirectory {
  readonly #controlUrl: string;
  readonly #host: string;
  readonly #server: ServerAccess;

  /** `server`: where the server was found (its description); without it, the control URL's own origin. */
  constructor(controlUrl: string, server: ServerAccess = serverAccess(controlUrl)) {
    this.#controlUrl = controlUrl;
    this.#host = new URL(controlUrl).hostname;
    this.#server = server;
  }

  browse(objectId: string, start: number, count: number, signal?: AbortSignal): Promise<DirectoryPage> {
    return this.#page(
      "Browse",
      {
        ObjectID: objectId,
        BrowseFlag: "BrowseDirectChildren",
        Filter: "*",
        StartingIndex: start,
        RequestedCount: count,
        SortCriteria: "",
      },
      signal,
    );
  }

  /** One object itself (a track or a folder), as its parent's listing would show it. */
  async metadata(objectId: string, signal?: AbortSignal): Promise<DirectoryEntry | undefined> {
    const page = await this.#page(
      "Browse",
      {
        ObjectID: objectId,
        BrowseFlag: "BrowseMetadata",
        Filter: "*",
        StartingIndex: 0,
        RequestedCount: 0,
        SortCriteria: "",
      },
      signal,
    );
    return page.entries[0];
  }

  search(words: string, start: number, count: number, signal?: AbortSignal): Promise<DirectoryPage> {
    const criteria = `upnp:class derivedfrom "object.item.audioItem" and dc:title contains "${words.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    return this.#page(
      "Search",
      {
        ContainerID: "0",
        SearchCriteria: criteria,
        Filter: "*",
        StartingIndex: start,
        RequestedCount: count,
        SortCriteria: "",
      },
      signal,
    );
  }

  /** Whether the server can search titles at all (its SearchCapabilities name dc:title, or "*"). */
  async canSearch(signal?: AbortSignal): Promise<boolean> {
    const {body} = await this.#call("GetSearchCapabilities", {}, signal);
    const caps = textOf(child(body, "SearchCaps")) ?? "";
    return caps === "*" || caps.split(",").some((c) => c.trim() === "dc:title");
  }

  async #page(action: string, args: Record<string, string | number>, signal?: AbortSignal): Promise<DirectoryPage> {
    const {body, result} = await this.#call(action, args, signal);
    const didl = result ?? textOf(child(body, "Result")) ?? "";
    const total = Number(textOf(child(body, "TotalMatches")) ?? 0);
    const entries = didl ? parseDidl(didl, this.#host) : [];
    return {entries, total: Number.isFinite(total) && total > 0 ? total : entries.length};
  }

  async #call(
    action: string,
    args: Record<string, string | number>,
    signal?: AbortSignal,
  ): Promise<{body: unknown; result?: string}> {
    const envelope = soapRequest(SERVICE, action, args);
    const {status, text} = await serverText(this.#controlUrl, {
      server: this.#server,
      method: "POST",
      headers: {"Content-Type": 'text/xml; charset="utf-8"', SOAPACTION: `"${SERVICE}#${action}"`},
      body: envelope,
      signal,
      timeoutMs: SERVER_TIMEOUT_MS,
      maxBytes: SOAP_BYTES,
    });
    // The listing is one escaped text inside the envelope: taken out whole and unescaped in one
    // pass, rather than through the XML parser's entity handling, which took as long as parsing
    // the listing itself. The envelope around it is parsed as XML (a fault, the totals).
    const what = `Its answer to ${action}`;
    const {envelope: rest, result} = takeResult(text, what);
    const doc = parseXml(rest, what);
    const body = child(child(doc, "Envelope"), "Body");
    const fault = child(body, "Fault");
    if (status !== 200 || fault) {
      const detail =
        textOf(child(child(child(fault, "detail"), "UPnPError"), "errorDescription")) ??
        textOf(child(fault, "faultstring"));
      throw new Error(`${action} failed (${status}${detail ? `: ${detail}` : ""})`);
    }
    return {body: child(body, `${action}Response`), result};
  }
}

/** `<Result>…</Result>`'s text unescaped, and the envelope without it; no Result: the envelope as it is. */
function takeResult(text: string, what: string): {envelope: string; result?: string} {
  const open = text.indexOf("<Result>");
  const close = open === -1 ? -1 : text.indexOf("</Result>", open);
  if (close === -1) return {envelope: text};
  if (/<!DOCTYPE|<!ENTITY/i.test(text.slice(0, open))) return {envelope: text}; // refused by parseXml, with its words
  return {
    envelope: text.slice(0, open + 8) + text.slice(close),
    result: unescapeXml(text.slice(open + 8, close), what),
  };
}

/** DIDL-Lite entries: containers are folders, audio items tracks; other items (photos, videos) are left out. */
export function parseDidl(didl: string, host: string): DirectoryEntry[] {
  const root = child(parseXmlRaw(didl, "Its folder listing"), "DIDL-Lite");
  const out: DirectoryEntry[] = [];
  for (const c of list(child(root, "container"))) {
    const id = str(child(c, "@id"));
    if (id)
      out.push({
        id,
        title: titleOf(c),
        kind: "folder",
        duration: null,
        artist: str(child(c, "artist")) ?? null,
        album: null,
        cover: coverOf(c, host),
        audioUrl: null,
        size: null,
      });
  }
  for (const item of list(child(root, "item"))) {
    const id = str(child(item, "@id"));
    const cls = str(child(item, "class")) ?? "";
    const res = list(child(item, "res")).find((r) => /:audio\//.test(str(child(r, "@protocolInfo")) ?? ""));
    if (!id || !cls.startsWith("object.item.audioItem") || !res) continue;
    const url = str(res);
    out.push({
      id,
      title: titleOf(item),
      kind: "track",
      duration: seconds(str(child(res, "@duration"))),
      artist: str(child(item, "artist")) ?? str(child(item, "creator")) ?? null,
      album: str(child(item, "album")) ?? null,
      cover: coverOf(item, host),
      audioUrl: url ? onHost(url, host) : null,
      size: Number(str(child(res, "@size"))) || null,
    });
  }
  return out;
}

function titleOf(node: unknown): string {
  return (str(child(node, "title")) ?? "Untitled").slice(0, 200);
}

function coverOf(node: unknown, host: string): string | null {
  const url = str(child(node, "albumArtURI"));
  return url ? onHost(url, host) : null;
}

function onHost(url: string, host: string): string | null {
  return onServerHost(url, host)?.toString() ?? null;
}

/** A listing's text, its entities read here: only the few fields kept pay for it (see parseXmlRaw). */
function str(value: unknown): string | undefined {
  const text = textOf(value);
  return text === undefined ? undefined : unescapeXml(text, "Its folder listing");
}

/** `H:MM:SS(.fff)` → seconds. */
export function seconds(value: string | undefined): number | null {
  const m = value ? /^(\d{1,3}):(\d{1,2}):(\d{1,2}(?:\.\d{1,6})?)$/.exec(value.trim()) : null;
  if (!m) return null;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 10) / 10;
}
