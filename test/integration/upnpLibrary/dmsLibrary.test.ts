import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {MediaServer} from "../../../src/upnpLibrary/mediaServer.js";
import {addGrandmasStories, uploadTone} from "../../helpers/archiveCards.js";
import {makeTone} from "../../helpers/audio.js";
import {DmsLikeDevice, HA_BROWSE_FILTER, HA_RESOLVE_FILTER} from "../../helpers/dmsDevice.js";
import {type ArchiveStack, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {type FeedServer, followFeed, taleEpisode, toneFeedServer} from "../../helpers/feedServer.js";
import {rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

/**
 * The library as Home Assistant's dlna_dms (and so async_upnp_client's DmsDevice) meets it, over
 * real HTTP: the description and its icon, the first update's polls (GetProtocolInfo, the
 * capabilities), and Browse and Search with dlna_dms's own Filter and SortCriteria.
 */

const MP3_FILE =
  "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000";
const MP3_LIVE =
  "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=00;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000";

let stack: ArchiveStack;
let feed: FeedServer;
let dms: DmsLikeDevice;
beforeAll(async () => {
  const root = await tempDir("yss-dms-library-");
  await makeTone(path.join(root, "media", "lullaby.mp3"), {seconds: 2});
  stack = await archiveStack([], {root});
  const {sim, t} = stack;
  const [fox, owl, hare] = await Promise.all([
    uploadTone(sim, "fox", 2, 440),
    uploadTone(sim, "owl", 2, 550),
    uploadTone(sim, "hare", 2, 660),
  ]);
  addGrandmasStories(sim, {fox, owl, hare} as never);
  expect((await archiveNow(stack.api)).run).toMatchObject({state: "done", problems: []});
  await t.app.streams.replace("bedtime", ["lullaby.mp3"]);
  // A station with no card made for it, and a card's stream named as earlier versions named them.
  await t.app.streams.setRadio("tone-fm", {url: "http://127.0.0.1:9/tone"});
  await t.app.streams.replace("archive-gran01", ["lullaby.mp3"]);
  feed = await toneFeedServer(3);
  feed.episodes = [taleEpisode(1), taleEpisode(2), taleEpisode(3)];
  feed.image = `${feed.url}/art/tales-3000.jpg`;
  await followFeed(t.adminUrl, "tales", {url: `${feed.url}/feed.xml`, keep: 3});
  const udn = (t.app.upnp.library as MediaServer).udn;
  expect(udn).toMatch(/^uuid:/);
  dms = await DmsLikeDevice.open(`http://127.0.0.1:${t.app.upnp.port}/upnp/library/description.xml`);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  await feed?.stop();
});

describe("the library as Home Assistant's dlna_dms (async_upnp_client's DmsDevice) browses it", () => {
  it("names DLNA's MP3 profile in GetProtocolInfo's Source, as MiniDLNA does, and lists upnp:class among the sort keys", () => {
    expect(dms.sourceProtocolInfo[0]).toBe("http-get:*:audio/mpeg:DLNA.ORG_PN=MP3");
    expect(dms.sourceProtocolInfo).toContain("http-get:*:audio/mp4:*");
    expect(dms.sourceProtocolInfo.at(-1)).toBe("http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN");
    expect(dms.sourceProtocolInfo).not.toContain("http-get:*:audio/mpeg:*");
    expect(dms.sortCapabilities).toEqual(["dc:title", "dc:date", "upnp:class", "upnp:originalTrackNumber"]);
    expect(dms.haSort()).toEqual(["+upnp:class", "+upnp:originalTrackNumber", "+dc:title"]);
  });

  it("shows the library's own icon, not the renderers' speaker: PNGs of the sizes the description lists", async () => {
    expect(dms.icons.map((i) => [i.mimetype, i.width, i.height])).toEqual([
      ["image/png", 48, 48],
      ["image/png", 120, 120],
    ]);
    expect(dms.icon).toMatch(/\/upnp\/library\/icon-120\.png$/);
    for (const icon of dms.icons) {
      const got = await rawRequest(icon.url);
      expect(got.status).toBe(200);
      expect(got.headers["content-type"]).toBe("image/png");
      // PNG signature, then IHDR: width and height as listed, 8-bit RGBA.
      expect(got.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect([got.body.readUInt32BE(16), got.body.readUInt32BE(20), got.body[24], got.body[25]]).toEqual([
        icon.width,
        icon.height,
        8,
        6,
      ]);
    }
    const speaker = await rawRequest(`http://127.0.0.1:${stack.t.app.upnp.port}/upnp/icon.png`);
    expect(speaker.body.equals((await rawRequest(dms.icon as string)).body)).toBe(false);
  });

  it("lists a one-track chapter as its track and a chapter of several as a folder, under dlna_dms's sort", async () => {
    const card = await dms.browseDirectChildren("cards/gran01", HA_BROWSE_FILTER, 0, 0, dms.haSort());
    expect(card.result.map((o) => [o.id, o.tag, o.title, o.upnpClass, o.childCount])).toEqual([
      ["cards/gran01/1", "container", "Woodland", "object.container.storageFolder", "2"],
      ["cards/gran01/2", "item", "Meadow", "object.item.audioItem.musicTrack", undefined],
    ]);
    expect(card.result[1]?.protocolInfo).toBe(MP3_FILE);
    // dlna_dms resolves what it plays with BrowseMetadata: the chapter is the track, its res the archived file.
    const meadow = await dms.browseMetadata("cards/gran01/2", HA_RESOLVE_FILTER);
    expect(meadow).toMatchObject({tag: "item", title: "Meadow", protocolInfo: MP3_FILE});
    expect(meadow.res).toMatch(/\/archive\/gran01\/2\/1\.mp3\?sig=/);
    const woodland = await dms.browseDirectChildren("cards/gran01/1", HA_BROWSE_FILTER, 0, 0, dms.haSort());
    expect(woodland.result.map((o) => [o.title, o.tag])).toEqual([
      ["The fox", "item"],
      ["The owl", "item"],
    ]);
  });

  it("calls a station by its name in words and an archived card's stream by the card, each a live stream without seeking", async () => {
    const radio = await dms.browseDirectChildren("radio", HA_BROWSE_FILTER, 0, 0, dms.haSort());
    expect(radio.result.map((o) => [o.id, o.title, o.upnpClass, o.protocolInfo])).toEqual([
      ["radio/tone-fm", "Tone fm", "object.item.audioItem.audioBroadcast", MP3_LIVE],
    ]);
    const streams = await dms.browseDirectChildren("streams", HA_BROWSE_FILTER, 0, 0, dms.haSort());
    expect(streams.result.filter((o) => o.tag === "item").map((o) => [o.id, o.title, o.protocolInfo])).toEqual([
      ["streams/bedtime", "Bedtime", MP3_FILE],
      ["streams/tales", "Bedtime Tales", MP3_FILE],
      ["streams/archive-gran01", "Grandma's stories", MP3_FILE],
    ]);
  });

  it("shows a podcast with its feed's itunes:image, on the podcast and on each episode", async () => {
    const podcasts = await dms.browseDirectChildren("podcasts", HA_BROWSE_FILTER, 0, 0, dms.haSort());
    expect(podcasts.result.map((o) => [o.id, o.title, o.albumArtUri])).toEqual([
      ["podcasts/tales", "Bedtime Tales", `${feed.url}/art/tales-3000.jpg`],
    ]);
    const episodes = await dms.browseDirectChildren("podcasts/tales", HA_BROWSE_FILTER, 0, 0, dms.haSort());
    expect(episodes.result.map((o) => [o.title, o.albumArtUri])).toEqual([
      ["Tale 3", `${feed.url}/art/tales-3000.jpg`],
      ["Tale 2", `${feed.url}/art/tales-3000.jpg`],
      ["Tale 1", `${feed.url}/art/tales-3000.jpg`],
    ]);
  });

  it("finds each episode once by Search from the root (not from its feed stream's queue and the library's files too)", async () => {
    const found = await dms.searchDirectory(
      "0",
      'upnp:class derivedfrom "object.item.audioItem" and dc:title startsWith "Tale"',
      HA_BROWSE_FILTER,
      0,
      0,
      dms.haSort(),
    );
    // The podcast's episodes (newest first, as the podcast lists them), each once.
    expect(found.result.map((o) => [o.parentId, o.title])).toEqual([
      ["podcasts/tales", "Tale 3"],
      ["podcasts/tales", "Tale 2"],
      ["podcasts/tales", "Tale 1"],
    ]);
    expect([found.numberReturned, found.totalMatches]).toEqual([3, 3]);
    // Below the Streams section the queue's copies are all there is: found there, once each.
    const inStreams = await dms.searchDirectory("streams", 'dc:title startsWith "Tale"', HA_BROWSE_FILTER);
    expect(inStreams.totalMatches).toBe(3);
    // A one-track chapter is found once too, as the chapter.
    const meadow = await dms.searchDirectory("0", 'dc:title = "Meadow"', HA_RESOLVE_FILTER);
    expect(meadow.result.map((o) => o.id)).toEqual(["cards/gran01/2"]);
  });
});
