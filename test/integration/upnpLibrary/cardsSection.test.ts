import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {cardsSection} from "../../../src/upnpLibrary/sections/cards.js";
import type {ItemEntry} from "../../../src/upnpLibrary/tree.js";
import {addGrandmasStories, uploadTone} from "../../helpers/archiveCards.js";
import {decodeErrors} from "../../helpers/audio.js";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {rawRequest} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let stack: ArchiveStack;
beforeAll(async () => {
  stack = await archiveStack();
  const {sim} = stack;
  const [fox, owl, hare] = await Promise.all([
    uploadTone(sim, "fox", 2, 440),
    uploadTone(sim, "owl", 2, 550),
    uploadTone(sim, "hare", 2, 660),
  ]);
  addGrandmasStories(sim, {fox, owl, hare} as never);
  await addFamilyCard(sim, "bed1", "Bedtime <songs> & more", [{title: "Lullaby"}], {cover: true});
  // A card whose only track streams from a web address: archived, but none of its audio is held here.
  sim.addCard({
    cardId: "live1",
    title: "Only streams",
    content: {
      chapters: [
        {
          key: "01",
          title: "Live",
          tracks: [
            {key: "01", title: "Live", trackUrl: "https://radio.example/live.mp3", type: "stream", format: "mp3"},
          ],
        },
      ],
    },
  });
  expect((await archiveNow(stack.api)).run).toMatchObject({state: "done", problems: []});
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const section = () => cardsSection(stack.t.app.archive, stack.t.app.links);
/** The named fields of each entry (containers and items alike), for exact comparison. */
const pick = (entries: object[], keys: string[]) =>
  entries.map((e) => Object.fromEntries(keys.map((k) => [k, (e as Record<string, unknown>)[k]])));

describe("the Cards section of the family's library", () => {
  it("lists the archived cards by title (not one that only streams), each a container of its chapters, a card with a cover showing it", async () => {
    expect(stack.t.app.archive.has("live1")).toBe(true);
    const cards = await section().children("cards");
    expect(pick(cards, ["id", "parentId", "title", "kind", "upnpClass", "childCount"])).toEqual([
      {
        id: "cards/bed1",
        parentId: "cards",
        title: "Bedtime <songs> & more",
        kind: "container",
        upnpClass: "object.container.album.musicAlbum",
        childCount: 1,
      },
      {
        id: "cards/gran01",
        parentId: "cards",
        title: "Grandma's stories",
        kind: "container",
        upnpClass: "object.container.album.musicAlbum",
        childCount: 2,
      },
    ]);
    expect(cards[0]?.albumArt).toMatch(/\/archive\/bed1\/cover\.jpg\?sig=/);
    expect(cards[1]?.albumArt).toBeUndefined();
    const cover = await rawRequest(cards[0]?.albumArt as string);
    expect(cover.status).toBe(200);
    expect(cover.headers["content-type"]).toBe("image/jpeg");
    expect(cover.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it("lists a card's chapters in order, and each chapter's tracks with their numbers, album and length", async () => {
    const s = section();
    // A chapter of several tracks is a folder of them; a chapter of one track is that track, named by its chapter.
    expect(
      pick(await s.children("cards/gran01"), ["id", "parentId", "title", "kind", "childCount", "trackNumber"]),
    ).toEqual([
      {id: "cards/gran01/1", parentId: "cards/gran01", title: "Woodland", kind: "container", childCount: 2},
      {id: "cards/gran01/2", parentId: "cards/gran01", title: "Meadow", kind: "item", trackNumber: 2},
    ]);
    const woodland = (await s.children("cards/gran01/1")) as ItemEntry[];
    expect(pick(woodland, ["id", "parentId", "title", "upnpClass", "album", "trackNumber"])).toEqual([
      {
        id: "cards/gran01/1/1",
        parentId: "cards/gran01/1",
        title: "The fox",
        upnpClass: "object.item.audioItem.musicTrack",
        album: "Grandma's stories",
        trackNumber: 1,
      },
      {
        id: "cards/gran01/1/2",
        parentId: "cards/gran01/1",
        title: "The owl",
        upnpClass: "object.item.audioItem.musicTrack",
        album: "Grandma's stories",
        trackNumber: 2,
      },
    ]);
    expect(woodland[0]?.res).toMatchObject({mime: "audio/mpeg", duration: 30});
    expect(woodland[0]?.res.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archive\/gran01\/1\/1\.mp3\?sig=/);
    const meadow = (await s.entry("cards/gran01/2")) as ItemEntry;
    expect(meadow.res.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archive\/gran01\/2\/1\.mp3\?sig=/);
    expect(await s.children("cards/gran01/2")).toEqual([]);
    // Under the id it had as a folder's one track (a control point may have kept it): the same track.
    expect(await s.entry("cards/gran01/2/1")).toMatchObject({title: "Meadow", res: {url: meadow.res.url}});
    expect(await s.entry("cards/gran01/1/3")).toBeUndefined();
  });

  it("serves a track's res from the archive: ranges, and audio that decodes", async () => {
    const track = (await section().entry("cards/gran01/2")) as ItemEntry;
    const url = track?.res.url as string;
    const part = await rawRequest(url, {headers: {Range: "bytes=10-109"}});
    expect(part.status).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 10-109/${track?.res.size}`);
    expect(part.body.length).toBe(100);
    const whole = await rawRequest(url);
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBe(track?.res.size);
    const file = path.join(await tempDir("yss-cards-"), "hare.mp3");
    await writeFile(file, whole.body);
    expect(await decodeErrors(file)).toBe("");
    // Another track's path with this signature is refused like any unsigned URL.
    expect((await rawRequest(url.replace("/2/1.mp3", "/1/1.mp3"))).status).toBe(404);
  });

  it("answers an entry by id, nothing for an unknown one, and every track for search", async () => {
    const s = section();
    expect(await s.entry("cards")).toMatchObject({id: "cards", parentId: "0", title: "Cards", childCount: 2});
    expect(await s.entry("cards/gran01")).toMatchObject({title: "Grandma's stories", childCount: 2});
    expect(await s.entry("cards/gran01/1")).toMatchObject({title: "Woodland", parentId: "cards/gran01"});
    expect(await s.entry("cards/gran01/1/2")).toMatchObject({title: "The owl", kind: "item"});
    for (const unknown of ["cards/nope", "cards/gran01/9", "cards/gran01/1/7", "cards/gran01/x/1", "radio/x", "cardsx"])
      expect(await s.entry(unknown)).toBeUndefined();
    expect((await s.items()).map((i) => i.title)).toEqual(["Lullaby", "The fox", "The owl", "Meadow"]);
  });
});
