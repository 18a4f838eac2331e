import http from "node:http";
import type {AddressInfo} from "node:net";
import {beforeAll, describe, expect, it} from "vitest";
import {FloodSummary} from "../../../src/core/floodSummary.js";
import {Logger} from "../../../src/core/logger.js";
import {UpnpAccess} from "../../../src/upnp/access.js";
import {escapeXml} from "../../../src/upnp/descriptions.js";
import {parseXml} from "../../../src/upnp/xml.js";
import {MediaServer} from "../../../src/upnpLibrary/mediaServer.js";
import type {ContainerEntry, Entry, ItemEntry, LibrarySection} from "../../../src/upnpLibrary/tree.js";
import {createUpnpApp} from "../../../src/upnpRenderers/rendererApp.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {rawRequest} from "../../helpers/http.js";
import {unescapeXml} from "../../helpers/upnpHttp.js";

const CDS = "urn:schemas-upnp-org:service:ContentDirectory:1";
const MANY = 50_000;

const folder = (id: string, parentId: string, title: string): ContainerEntry => ({
  kind: "container",
  id,
  parentId,
  title,
  upnpClass: "object.container.storageFolder",
});
const track = (id: string, parentId: string, title: string): ItemEntry => ({
  kind: "item",
  id,
  parentId,
  title,
  upnpClass: "object.item.audioItem.musicTrack",
  res: {url: `http://127.0.0.1:9/${encodeURIComponent(id)}.mp3`, mime: "audio/mpeg", size: 1000, duration: 61.5},
});

/**
 * A section built to hurt: 50,000 tracks in one folder, titles with markup, emoji and a lone
 * surrogate (a file name that was not UTF-8), a folder that holds itself, and a chain 100 deep.
 */
/** Tracks of a folder that changes while the test runs (a stream's queue, a rescanned folder). */
const live: ItemEntry[] = [];

function hostileSection(): LibrarySection {
  const id = "x";
  const many = Array.from({length: MANY}, (_, i) => track(`x/many/${i}`, "x/many", `Track ${i}`));
  const odd = [
    track("x/odd/1", "x/odd", "<b>Bold</b> & \"quoted\" 'song'"),
    track("x/odd/2", "x/odd", "Moon 🌙 song"),
    track("x/odd/3", "x/odd", "Broken \uD800 name\u0007"),
  ];
  const byId = new Map<string, Entry>();
  const top = [
    folder("x/many", id, "Many"),
    folder("x/odd", id, "Odd"),
    folder("x/loop", id, "Loop"),
    folder("x/deep/0", id, "Deep"),
  ];
  for (const e of [...top, ...many, ...odd]) byId.set(e.id, e);
  const children = (of: string): Entry[] => {
    if (of === id) return top;
    if (of === "x/many") return many;
    if (of === "x/odd") return odd;
    if (of === "x/live") return [...live];
    // A folder whose only child is itself (a symlink loop), and one that goes on down.
    if (of === "x/loop") return [folder("x/loop", "x/loop", "Loop"), track("x/loop/t", "x/loop", "Loop track")];
    const deep = /^x\/deep\/(\d+)$/.exec(of);
    if (deep) {
      const n = Number(deep[1]);
      return n < 100 ? [folder(`x/deep/${n + 1}`, of, `Level ${n + 1}`), track(`x/deept/${n}`, of, `Deep ${n}`)] : [];
    }
    return [];
  };
  return {
    id,
    title: "Hostile",
    children: async (of) => children(of),
    entry: async (of) =>
      of === "x/live"
        ? folder(of, id, "Live")
        : (byId.get(of) ?? (/^x\/deep\/\d+$/.test(of) ? folder(of, "x", "Level") : undefined)),
    items: async () => [...many, ...odd, ...live],
  };
}

let base = "";
let server: MediaServer;
beforeAll(async () => {
  const log = new Logger({level: "error", sink: () => undefined});
  const flood = new FloodSummary(log);
  server = new MediaServer({
    name: () => "Yoto Smart Stream",
    version: "test",
    sections: () => [hostileSection()],
    sourceTypes: ["audio/mpeg"],
    flood,
    log,
  });
  server.start("uuid:00000000-0000-5000-8000-000000000001");
  const app = createUpnpApp({
    renderer: () => undefined,
    access: new UpnpAccess(),
    icon: async () => Buffer.alloc(0),
    serverHeader: "test",
    flood,
    hosted: server,
  });
  const listener = http.createServer(app.callback());
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  atFileEnd(() => {
    server.stop();
    flood.stop();
    return new Promise<void>((resolve) => listener.close(() => resolve()));
  });
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/upnp/library`;
});

interface Answer {
  status: number;
  code?: number;
  error?: string;
  result?: string;
  returned?: number;
  total?: number;
  body: string;
}

async function soap(action: string, args: Record<string, string>, body?: string): Promise<Answer> {
  const inner = Object.entries(args)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join("");
  const res = await rawRequest(`${base}/ContentDirectory/control`, {
    method: "POST",
    headers: {"Content-Type": 'text/xml; charset="utf-8"', SOAPACTION: `"${CDS}#${action}"`},
    body:
      body ??
      `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action} xmlns:u="${CDS}">${inner}</u:${action}></s:Body></s:Envelope>`,
  });
  const text = res.body.toString("utf8");
  const get = (name: string) => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
    return m ? unescapeXml(m[1] as string) : undefined;
  };
  return {
    status: res.status,
    body: text,
    ...(get("errorCode") !== undefined ? {code: Number(get("errorCode")), error: get("errorDescription")} : {}),
    ...(get("Result") !== undefined
      ? {result: get("Result"), returned: Number(get("NumberReturned")), total: Number(get("TotalMatches"))}
      : {}),
  };
}

const browse = (id: string, more: Record<string, string> = {}) =>
  soap("Browse", {
    ObjectID: id,
    BrowseFlag: "BrowseDirectChildren",
    Filter: "*",
    StartingIndex: "0",
    RequestedCount: "0",
    SortCriteria: "",
    ...more,
  });
const search = (criteria: string, more: Record<string, string> = {}) =>
  soap("Search", {
    ContainerID: "0",
    SearchCriteria: criteria,
    Filter: "dc:title",
    StartingIndex: "0",
    RequestedCount: "0",
    SortCriteria: "",
    ...more,
  });

describe("the library's ContentDirectory under bad input", () => {
  it("refuses unknown ids, bad paging, filters, sorts and containers with UPnP's codes, saying what was wrong", async () => {
    const refused = async (answer: Promise<Answer>) => {
      const a = await answer;
      expect(a.status).toBe(500);
      return [a.code, a.error];
    };
    expect(await refused(browse("nope/1"))).toEqual([
      701,
      `There is no object 'nope/1': browse from "0" (the root) for the ids there are`,
    ]);
    expect(await refused(browse("x", {BrowseFlag: "BrowseEverything"}))).toEqual([
      402,
      "BrowseFlag must be BrowseMetadata or BrowseDirectChildren, not 'BrowseEverything'",
    ]);
    expect(await refused(browse("x", {StartingIndex: "-1"}))).toEqual([
      402,
      "StartingIndex must be a whole number from 0 to 4294967295, not '-1'",
    ]);
    expect(await refused(browse("x", {RequestedCount: "99999999999"}))).toEqual([
      402,
      "RequestedCount must be a whole number from 0 to 4294967295, not '99999999999'",
    ]);
    expect(await refused(browse("x", {Filter: "dc:title,<b>"}))).toEqual([
      402,
      `Filter '<b>' is not a property name: use "*" or names like dc:title,res,res@duration,upnp:albumArtURI`,
    ]);
    expect(await refused(browse("x", {SortCriteria: "+upnp:genre"}))).toEqual([
      709,
      "Cannot sort by 'upnp:genre': sort by dc:title, dc:date, upnp:class, upnp:originalTrackNumber, each with + or -",
    ]);
    expect(await refused(search("*", {ContainerID: "x/odd/1"}))).toEqual([
      710,
      `There is no container 'x/odd/1' to search: search "0" (the root) or a container id`,
    ]);
  });

  it("refuses Search grammar it cannot read with 708 and where, and nesting or length past its bounds", async () => {
    const refused = async (criteria: string) => {
      const a = await search(criteria);
      return [a.code, a.error];
    };
    expect(await refused('dc:title contains "owl')).toEqual([
      708,
      "The quoted value at character 19 has no closing quote",
    ]);
    expect(await refused('dc:title like "owl"')).toEqual([
      708,
      "Expected an operator (=, !=, <, <=, >, >=, contains, doesNotContain, derivedfrom, startsWith, exists) at character 10 ('like')",
    ]);
    expect(await refused('upnp:genre = "Jazz"')).toEqual([
      708,
      "Search cannot look at 'upnp:genre': it searches @id, @parentID, dc:title, upnp:class, dc:creator, upnp:artist, upnp:album, dc:date, upnp:originalTrackNumber",
    ]);
    expect(await refused(`${"(".repeat(40)}dc:title = "a"${")".repeat(40)}`)).toEqual([
      708,
      "SearchCriteria nests parentheses deeper than 32",
    ]);
    expect(await refused(`dc:title = "${"a".repeat(3000)}"`)).toEqual([
      708,
      "SearchCriteria is longer than 2048 characters",
    ]);
  });

  it("caps a RequestedCount of 1,000,000 at one page of 500 and pages 50,000 items", async () => {
    const all = await browse("x/many", {RequestedCount: "1000000"});
    expect([all.status, all.returned, all.total]).toEqual([200, 500, MANY]);
    const late = await browse("x/many", {StartingIndex: "49990", RequestedCount: "50", SortCriteria: "-dc:title"});
    expect([late.returned, late.total]).toEqual([10, MANY]);
    // Sorted down by title with numbers read as numbers: the last ten are Track 9 … Track 0.
    expect([...(late.result ?? "").matchAll(/<dc:title>([^<]*)</g)].map((m) => m[1])).toEqual(
      Array.from({length: 10}, (_, i) => `Track ${9 - i}`),
    );
    const found = await search('dc:title contains "track 4999"');
    expect([found.returned, found.total]).toEqual([11, 11]);
  });

  it("writes markup, emoji and names that were not UTF-8 as XML that parses, each escaped once", async () => {
    const odd = await browse("x/odd", {Filter: "dc:title"});
    expect(odd.status).toBe(200);
    expect(() => parseXml(odd.body, "The answer")).not.toThrow();
    expect(() => parseXml(odd.result ?? "", "The DIDL")).not.toThrow();
    expect(odd.result).toContain(
      "<dc:title>&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; &apos;song&apos;</dc:title>",
    );
    expect(odd.result).toContain("<dc:title>Moon 🌙 song</dc:title>");
    expect(odd.result).toContain("<dc:title>Broken \uFFFD name\uFFFD</dc:title>");
  });

  it("walks a folder that holds itself, and one 100 deep, to an end", async () => {
    const loop = await search("*", {ContainerID: "x/loop"});
    expect([loop.returned, loop.total]).toEqual([1, 1]);
    const deep = await search('dc:title startsWith "Deep"', {ContainerID: "x/deep/0"});
    // A search below a section's own container goes 64 levels down, no further.
    expect(deep.total).toBe(64);
  });

  it("shows a change at once to the next Browse and Search: lists are kept only while nothing changed", async () => {
    // As a section's service does: each change comes with its event.
    live.push(track("x/live/1", "x/live", "Live one"));
    server.changed("x");
    const titles = (a: Answer) => [...(a.result ?? "").matchAll(/<dc:title>([^<]*)</g)].map((m) => m[1]);
    expect(titles(await browse("x/live"))).toEqual(["Live one"]);
    expect(titles(await search('dc:title startsWith "live"'))).toEqual(["Live one"]);
    live.push(track("x/live/2", "x/live", "Live two"));
    server.changed("x");
    expect(titles(await browse("x/live"))).toEqual(["Live one", "Live two"]);
    expect(titles(await search('dc:title startsWith "live"'))).toEqual(["Live one", "Live two"]);
  });

  it("refuses a control request over 64 KB before reading it all", async () => {
    const huge = await soap("Browse", {}, `<x>${"a".repeat(70 * 1024)}</x>`);
    expect(huge.status).toBe(413);
    expect(huge.body).toBe("A control request is at most 64 KB\n");
  });
});
