import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {MediaServer} from "../../../src/upnpLibrary/mediaServer.js";
import {addGrandmasStories, uploadTone} from "../../helpers/archiveCards.js";
import {decodeErrors, makeTone} from "../../helpers/audio.js";
import {type ArchiveStack, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {rawRequest} from "../../helpers/http.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";
import {GupnpControlPoint} from "../../helpers/upnpControlPoint.js";

const GUPNP = systemNeed("gupnp");

const MEDIA_SERVER = "urn:schemas-upnp-org:device:MediaServer:1";

/** One DIDL-Lite object as a control point reads it (attributes and text unescaped). */
interface Didl {
  tag: "container" | "item";
  id: string;
  parentId: string;
  title: string;
  upnpClass: string;
  childCount?: string;
  res?: string;
  protocolInfo?: string;
  duration?: string;
}

const fromXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

function objects(didl: string): Didl[] {
  return [...didl.matchAll(/<(container|item) ([^>]*)>(.*?)<\/\1>/gs)].map(([, tag, attrs = "", body = ""]) => {
    const attr = (text: string, name: string) => {
      const m = new RegExp(`\\b${name}="([^"]*)"`).exec(text);
      return m ? fromXml(m[1] as string) : undefined;
    };
    const element = (name: string) => {
      const m = new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`).exec(body);
      return m ? fromXml(m[1] as string) : undefined;
    };
    const res = /<res ([^>]*)>([^<]*)<\/res>/.exec(body);
    return {
      tag: tag as Didl["tag"],
      id: attr(attrs, "id") as string,
      parentId: attr(attrs, "parentID") as string,
      title: element("dc:title") as string,
      upnpClass: element("upnp:class") as string,
      ...(attr(attrs, "childCount") !== undefined ? {childCount: attr(attrs, "childCount")} : {}),
      ...(res
        ? {
            res: fromXml(res[2] as string),
            protocolInfo: attr(res[1] as string, "protocolInfo"),
            duration: attr(res[1] as string, "duration"),
          }
        : {}),
    };
  });
}

const browse = (id: string, flag = "BrowseDirectChildren", more: Record<string, string> = {}) => ({
  ObjectID: id,
  BrowseFlag: flag,
  Filter: "*",
  StartingIndex: "0",
  RequestedCount: "0",
  SortCriteria: "",
  ...more,
});

let stack: ArchiveStack;
let cp: GupnpControlPoint;
let udn: string;
beforeAll(async () => {
  const root = await tempDir("yss-gupnp-library-");
  await makeTone(path.join(root, "media", "lullaby.mp3"), {seconds: 2});
  // GUPnP searches the SSDP group's own port only. The renderers' GUPnP file answers there too:
  // each service's group socket takes every search (reuseAddr), and each control point looks only
  // for its own device type and UDN.
  stack = await archiveStack(["--ssdp_port", "1900"], {root});
  const {sim} = stack;
  const [fox, owl, hare] = await Promise.all([
    uploadTone(sim, "fox", 2, 440),
    uploadTone(sim, "owl", 2, 550),
    uploadTone(sim, "hare", 2, 660),
  ]);
  addGrandmasStories(sim, {fox, owl, hare} as never);
  expect((await archiveNow(stack.api)).run).toMatchObject({state: "done", problems: []});
  await stack.t.app.streams.replace("bedtime", ["lullaby.mp3"]);
  await stack.t.app.streams.setRadio("tone-fm", {url: "http://127.0.0.1:9/tone"});
  udn = (stack.t.app.upnp.library as MediaServer).udn;
  cp = await GupnpControlPoint.start(MEDIA_SERVER);
  await cp.find(udn);
}, 90_000);
afterAll(async () => {
  await cp?.stop();
  await stack?.stop();
});

describe.skipIf(!GUPNP.path)("the family's library as a UPnP MediaServer, browsed by GUPnP", () => {
  it("is found by SSDP as one MediaServer and lists its sections at the root", async () => {
    const found = await cp.find(udn);
    expect(found.name).toBe("Yoto Smart Stream");
    const rootMeta = await cp.contentDirectory(udn, "Browse", browse("0", "BrowseMetadata"));
    expect(objects(rootMeta.didl as string)).toEqual([
      {
        tag: "container",
        id: "0",
        parentId: "-1",
        title: "Yoto Smart Stream",
        upnpClass: "object.container.storageFolder",
        childCount: "7",
      },
    ]);
    const top = await cp.contentDirectory(udn, "Browse", browse("0"));
    expect(top.ok).toBe(true);
    const sections = objects(top.didl as string);
    expect(sections.map((s) => [s.id, s.parentId, s.tag])).toEqual(
      ["cards", "streams", "radio", "podcasts", "stories", "library", "recent"].map((id) => [id, "0", "container"]),
    );
    expect(sections[0]?.title).toBe("Cards");
    expect(top.returned).toBe(7);
    expect(top.total).toBe(7);
  });

  it("pages the root: StartingIndex and RequestedCount, with the total", async () => {
    const page = await cp.contentDirectory(
      udn,
      "Browse",
      browse("0", "BrowseDirectChildren", {StartingIndex: "2", RequestedCount: "3"}),
    );
    expect(objects(page.didl as string).map((o) => o.id)).toEqual(["radio", "podcasts", "stories"]);
    expect([page.returned, page.total]).toEqual([3, 7]);
    const past = await cp.contentDirectory(
      udn,
      "Browse",
      browse("0", "BrowseDirectChildren", {StartingIndex: "7", RequestedCount: "3"}),
    );
    expect([past.returned, past.total, objects(past.didl as string)]).toEqual([0, 7, []]);
  });

  it("shows a card's chapters, and a chapter's tracks sorted as asked, each with a DLNA MP3 res", async () => {
    const chapters = await cp.contentDirectory(udn, "Browse", browse("cards/gran01"));
    // A chapter of two tracks is a folder; a chapter of one track is that track.
    expect(objects(chapters.didl as string).map((o) => [o.id, o.tag, o.title, o.childCount])).toEqual([
      ["cards/gran01/1", "container", "Woodland", "2"],
      ["cards/gran01/2", "item", "Meadow", undefined],
    ]);
    const tracks = await cp.contentDirectory(
      udn,
      "Browse",
      browse("cards/gran01/1", "BrowseDirectChildren", {SortCriteria: "-upnp:originalTrackNumber"}),
    );
    const items = objects(tracks.didl as string);
    expect(items.map((o) => [o.title, o.tag, o.upnpClass])).toEqual([
      ["The owl", "item", "object.item.audioItem.musicTrack"],
      ["The fox", "item", "object.item.audioItem.musicTrack"],
    ]);
    expect(items[1]?.protocolInfo).toBe(
      "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000",
    );
    expect(items[1]?.duration).toBe("0:00:30.000");
  });

  it("answers Home Assistant's own browse: its Filter (with a bare 'id') and its sort, in the card's order", async () => {
    // dlna_dms asks for these properties and sorts by those of +upnp:class,+upnp:originalTrackNumber,
    // +dc:title that GetSortCapabilities lists: all three, as MiniDLNA lists them.
    const sortCaps = await cp.call(udn, "ContentDirectory", "GetSortCapabilities", {}, ["SortCaps"]);
    expect(sortCaps.out?.SortCaps).toBe("dc:title,dc:date,upnp:class,upnp:originalTrackNumber");
    // Every property Search takes is listed (a client offers only those).
    const searchCaps = await cp.call(udn, "ContentDirectory", "GetSearchCapabilities", {}, ["SearchCaps"]);
    expect(searchCaps.out?.SearchCaps).toBe(
      "@id,@parentID,dc:title,upnp:class,dc:creator,upnp:artist,upnp:album,dc:date,upnp:originalTrackNumber",
    );
    const haSort = ["+upnp:class", "+upnp:originalTrackNumber", "+dc:title"]
      .filter((c) => sortCaps.out?.SortCaps?.split(",").includes(c.slice(1)))
      .join(",");
    expect(haSort).toBe("+upnp:class,+upnp:originalTrackNumber,+dc:title");
    // A card's chapters keep the card's order under that sort: the folder first, as upnp:class asks, then the one-track chapter.
    const chapters = await cp.contentDirectory(
      udn,
      "Browse",
      browse("cards/gran01", "BrowseDirectChildren", {SortCriteria: haSort}),
    );
    expect(objects(chapters.didl as string).map((o) => o.title)).toEqual(["Woodland", "Meadow"]);
    const answer = await cp.contentDirectory(
      udn,
      "Browse",
      browse("cards/gran01/1", "BrowseDirectChildren", {
        Filter: "id,upnp:class,dc:title,res,@childCount,upnp:albumArtURI",
        SortCriteria: haSort,
      }),
    );
    expect(answer.ok).toBe(true);
    const items = objects(answer.didl as string);
    expect(items.map((o) => o.title)).toEqual(["The fox", "The owl"]);
    expect(items[0]?.protocolInfo).toMatch(/^http-get:\*:audio\/mpeg:DLNA\.ORG_PN=MP3;/);
    // Only what was asked: no duration, no album.
    expect(items[0]?.duration).toBeUndefined();
    expect(answer.didl).not.toContain("upnp:album>");
  });

  it("names DLNA's MP3 profile in its ConnectionManager's Source, and a station's res is live (OP=00) under its name in words", async () => {
    const info = await cp.call(udn, "ConnectionManager", "GetProtocolInfo", {}, ["Source", "Sink"]);
    const source = (info.out?.Source ?? "").split(",");
    expect(source[0]).toBe("http-get:*:audio/mpeg:DLNA.ORG_PN=MP3");
    expect(source.at(-1)).toBe("http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN");
    expect(info.out?.Sink).toBe("");
    const radio = await cp.contentDirectory(udn, "Browse", browse("radio"));
    expect(objects(radio.didl as string).map((o) => [o.id, o.title, o.protocolInfo])).toEqual([
      [
        "radio/tone-fm",
        "Tone fm",
        "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=00;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000",
      ],
    ]);
  });

  it("answers an item's res with audio that decodes", async () => {
    const meta = await cp.contentDirectory(udn, "Browse", browse("cards/gran01/2", "BrowseMetadata"));
    const [hare] = objects(meta.didl as string);
    expect(hare?.title).toBe("Meadow");
    const got = await rawRequest(hare?.res as string);
    expect(got.status).toBe(200);
    const file = path.join(await tempDir("yss-gupnp-res-"), "hare.mp3");
    await writeFile(file, got.body);
    expect(await decodeErrors(file)).toBe("");
  });

  it("finds a title by Search, and a path's next step as Home Assistant asks for it", async () => {
    const search = (criteria: string) =>
      cp.contentDirectory(udn, "Search", {
        ContainerID: "0",
        SearchCriteria: criteria,
        Filter: "dc:title,upnp:class",
        StartingIndex: "0",
        RequestedCount: "0",
        SortCriteria: "+dc:title",
      });
    const found = await search('upnp:class derivedfrom "object.item.audioItem" and dc:title contains "OWL"');
    expect(objects(found.didl as string).map((o) => [o.id, o.title])).toEqual([["cards/gran01/1/2", "The owl"]]);
    expect(found.didl).not.toContain("<res");
    const step = await search('@parentID="cards" and dc:title="Grandma\'s stories"');
    expect(objects(step.didl as string).map((o) => [o.id, o.tag])).toEqual([["cards/gran01", "container"]]);
    const bad = await search('dc:title contains "owl" and');
    expect(bad).toMatchObject({ok: false, code: 708});
    expect(bad.error).toBe("Expected a property like dc:title at the end");
  });

  it("events a new SystemUpdateID, naming the section, when a stream changes", async () => {
    await cp.subscribe(udn, "ContentDirectory", "SystemUpdateID");
    await cp.subscribe(udn, "ContentDirectory", "ContainerUpdateIDs");
    const ids = () => cp.notified.filter((n) => n.variable === "SystemUpdateID").map((n) => Number(n.value));
    await cp.until(() => ids().length > 0, "the initial SystemUpdateID");
    const before = await cp.call(udn, "ContentDirectory", "GetSystemUpdateID", {}, ["Id"]);
    const first = Number(before.out?.Id);
    expect(ids().at(-1)).toBe(first);
    await stack.t.app.streams.replace("bedtime", ["lullaby.mp3", "lullaby.mp3"]);
    await cp.until(() => (ids().at(-1) ?? 0) > first, "a later SystemUpdateID");
    const after = await cp.call(udn, "ContentDirectory", "GetSystemUpdateID", {}, ["Id"]);
    expect(Number(after.out?.Id)).toBe(ids().at(-1));
    const containers = cp.notified.filter((n) => n.variable === "ContainerUpdateIDs").map((n) => n.value);
    expect(containers.at(-1)).toMatch(/^streams,\d+$/);
  });
});
