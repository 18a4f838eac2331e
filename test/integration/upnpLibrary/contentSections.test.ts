import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runFfmpeg} from "../../../src/core/ffmpeg.js";
import {librarySections} from "../../../src/upnpLibrary/sections/index.js";
import type {Entry, ItemEntry, LibrarySection} from "../../../src/upnpLibrary/tree.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {decodeErrors, ffmpegPath} from "../../helpers/audio.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {type FeedServer, followFeed, taleEpisode, toneFeedServer} from "../../helpers/feedServer.js";
import {rawRequest} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

/** A tone with the tags a family's music has (and the markup and emoji real tags carry). */
async function taggedTone(file: string, tags: Record<string, string>, frequency: number): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true});
  const metadata = Object.entries(tags).flatMap(([k, v]) => ["-metadata", `${k}=${v}`]);
  await runFfmpeg(ffmpegPath, [
    "-y",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=${frequency}:duration=1`,
    "-codec:a",
    "libmp3lame",
    "-b:a",
    "64k",
    ...metadata,
    file,
  ]);
}

const STORY = `story:
  id: garden
  title: The Garden
  mode: linear
  start: gate
  scenes:
    gate:
      title: At the gate
      audio: garden/gate.mp3
      end: pond
    pond:
      title: By the pond
      audio: [garden/pond-1.mp3, garden/pond-2.mp3]
`;

/** A story whose scene plays a stream a rule makes, only for the story (as the demo's dragon lullaby). */
const BIRDSONG_RULE = `- id: birdsong_stream
  triggers: [{trigger: startup}]
  actions:
    - {action: stream.replace, stream: birdsong, items: ["Songs/Night/Moon.mp3"]}
`;
const BIRDS = `story:
  id: birds
  title: Bird walk
  mode: linear
  start: song
  scenes:
    song:
      title: The blackbird sings
      audio: {stream: birdsong}
`;

let t: TestApp;
let feed: FeedServer;
let sections: Map<string, LibrarySection>;
beforeAll(async () => {
  const root = await tempDir("yss-sections-");
  const media = path.join(root, "media");
  await Promise.all([
    taggedTone(
      path.join(media, "Songs", "01 Morning.mp3"),
      {title: "Morning 🌞", artist: "Anna <A&B>", album: "Sunny Days"},
      440,
    ),
    taggedTone(
      path.join(media, "Songs", "02 Evening.mp3"),
      {title: "Evening", artist: "Anna <A&B>", album: "Sunny Days"},
      550,
    ),
    taggedTone(path.join(media, "Songs", "Night", "Moon.mp3"), {title: "Moon", artist: "Ben", album: "Night/Day"}, 660),
    taggedTone(path.join(media, "garden", "gate.mp3"), {title: "Gate"}, 300),
    taggedTone(path.join(media, "garden", "pond-1.mp3"), {title: "Pond one"}, 350),
    taggedTone(path.join(media, "garden", "pond-2.mp3"), {title: "Pond two"}, 380),
  ]);
  await mkdir(path.join(root, "rules"), {recursive: true});
  await writeFile(path.join(root, "rules", "garden.yaml"), STORY);
  await writeFile(path.join(root, "rules", "birds.yaml"), BIRDS);
  await writeFile(path.join(root, "rules", "birdsong.yaml"), BIRDSONG_RULE);
  feed = await toneFeedServer(3);
  feed.episodes = [taleEpisode(1), taleEpisode(2), taleEpisode(3)];
  feed.image = `${feed.url}/art/tales-3000.jpg`;
  // A linked account, so cards can be made: a stream with a card is listed under the card's title.
  const sim = await startSimulator();
  t = await startApp(["--yoto_client_id", CLIENT_ID], {
    dataDir: path.join(root, "data"),
    mediaDir: media,
    linkToOwnAudioListener: true,
    cloud: sim.endpoints,
  });
  await linkAccount(t.app.account);
  await t.app.streams.replace("bedtime", ["Songs/01 Morning.mp3", "Songs/02 Evening.mp3"]);
  await t.app.streams.replace("loopy", ["Songs/Night/Moon.mp3"], "loop");
  await waitFor(() => t.app.streams.has("birdsong"), "the startup rule's birdsong stream");
  await t.app.streams.setRadio("jazz", {url: "http://127.0.0.1:9/jazz"});
  await t.app.streams.setRadio("demo-radio", {url: "http://127.0.0.1:9/demo"});
  await followFeed(t.adminUrl, "tales", {url: `${feed.url}/feed.xml`, keep: 3});
  await t.app.cards.fromStream("bedtime", {title: "Bedtime songs"});
  await t.app.cards.fromStream("jazz", {title: "Jazz FM"});
  sections = new Map(librarySections(t.app).map((s) => [s.id, s]));
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await feed?.stop();
});

const section = (id: string) => sections.get(id) as LibrarySection;
const summary = (entries: Entry[]) =>
  entries.map(
    (e) =>
      `${e.kind === "container" ? "+" : "-"} ${e.id} | ${e.title}${e.kind === "container" ? ` (${e.childCount})` : ""}`,
  );

describe("the family's library sections over the real services", () => {
  it("are the top-level containers in the order a parent reads them", () => {
    expect(librarySections(t.app).map((s) => `${s.id}: ${s.title}`)).toEqual([
      "cards: Cards",
      "streams: Streams",
      "radio: Radio",
      "podcasts: Podcasts",
      "stories: Stories",
      "library: Library",
      "recent: Recently played",
    ]);
  });

  it("Streams: each stream (not the stations, not one only a story plays) as its continuous MP3 and as a container of its queue, under its card's title", async () => {
    const s = section("streams");
    const top = await s.children("streams");
    expect(summary(top)).toEqual([
      "- streams/bedtime | Bedtime songs",
      "+ streams/bedtime/queue | Bedtime songs (queue) (2)",
      // A feed stream without a card of its own is called by its podcast's title; one with neither by its name in words.
      "- streams/tales | Bedtime Tales",
      "+ streams/tales/queue | Bedtime Tales (queue) (3)",
      "- streams/loopy | Loopy",
      "+ streams/loopy/queue | Loopy (queue) (1)",
    ]);
    const [bedtime, , , , loopy] = top as ItemEntry[];
    expect(bedtime?.upnpClass).toBe("object.item.audioItem.musicTrack");
    expect(bedtime?.res.duration).toBeCloseTo(2, 0);
    // A looping stream has no end: a broadcast, with no length.
    expect(loopy?.upnpClass).toBe("object.item.audioItem.audioBroadcast");
    expect(loopy?.res.duration).toBeUndefined();
    expect(bedtime?.res.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/streams\/bedtime\.mp3\?sig=/);
    const part = await rawRequest(bedtime?.res.url as string, {headers: {Range: "bytes=0-99"}});
    expect(part.status).toBe(206);
    expect(part.headers["content-type"]).toBe("audio/mpeg");
    const whole = await rawRequest(bedtime?.res.url as string);
    const file = path.join(await tempDir("yss-sections-"), "bedtime.mp3");
    await writeFile(file, whole.body);
    expect(await decodeErrors(file)).toBe("");

    const queue = (await s.children("streams/bedtime/queue")) as ItemEntry[];
    expect(queue.map((i) => [i.id, i.title, i.trackNumber, i.creator, i.album])).toEqual([
      ["streams/bedtime/queue/1", "Morning 🌞", 1, "Anna <A&B>", "Bedtime songs"],
      ["streams/bedtime/queue/2", "Evening", 2, "Anna <A&B>", "Bedtime songs"],
    ]);
    expect(queue[0]?.res).toMatchObject({mime: "audio/mpeg", bitrate: 8000});
    expect(await s.entry("streams/bedtime/queue/2")).toMatchObject({
      title: "Evening",
      parentId: "streams/bedtime/queue",
    });
    expect(await s.entry("streams/jazz")).toBeUndefined();
    expect(await s.children("streams/jazz/queue")).toEqual([]);
    // The bird walk's stream is the story's: under "Stories", not here.
    expect(await s.entry("streams/birdsong")).toBeUndefined();
    expect(await s.children("streams/birdsong/queue")).toEqual([]);
  });

  it("Radio: each station as one endless broadcast, under its card's title or else its name in words", async () => {
    const stations = (await section("radio").children("radio")) as ItemEntry[];
    expect(summary(stations)).toEqual(["- radio/demo-radio | Demo radio", "- radio/jazz | Jazz FM"]);
    expect(stations[1]?.upnpClass).toBe("object.item.audioItem.audioBroadcast");
    expect(stations[1]?.res.url).toMatch(/\/streams\/jazz\.mp3\?sig=/);
  });

  it("Podcasts: each feed with its cover, its episodes newest first with their dates and the cover", async () => {
    const s = section("podcasts");
    const podcasts = await s.children("podcasts");
    expect(summary(podcasts)).toEqual(["+ podcasts/tales | Bedtime Tales (3)"]);
    // The feed's itunes:image, as the feed gives it (someone else's picture: no DLNA profile claimed).
    expect(podcasts[0]).toMatchObject({albumArt: `${feed.url}/art/tales-3000.jpg`, albumArtForeign: true});
    const episodes = (await s.children("podcasts/tales")) as ItemEntry[];
    expect(new Set(episodes.map((e) => e.albumArt))).toEqual(new Set([`${feed.url}/art/tales-3000.jpg`]));
    expect(episodes.map((e) => [e.title, e.date, e.album])).toEqual([
      ["Tale 3", "2026-11-03", "Bedtime Tales"],
      ["Tale 2", "2026-11-02", "Bedtime Tales"],
      ["Tale 1", "2026-11-01", "Bedtime Tales"],
    ]);
    expect(await s.entry(episodes[1]?.id as string)).toMatchObject({title: "Tale 2"});
    expect((await rawRequest(episodes[0]?.res.url as string, {headers: {Range: "bytes=0-9"}})).status).toBe(206);
  });

  it("Stories: each story's scenes in order, a scene of several items a container of them", async () => {
    const s = section("stories");
    expect(summary(await s.children("stories"))).toEqual([
      "+ stories/birds | Bird walk (1)",
      "+ stories/garden | The Garden (2)",
    ]);
    expect(summary(await s.children("stories/birds"))).toEqual(["- stories/birds/song | The blackbird sings"]);
    expect(summary(await s.children("stories/garden"))).toEqual([
      "- stories/garden/gate | At the gate",
      "+ stories/garden/pond | By the pond (2)",
    ]);
    expect(summary(await s.children("stories/garden/pond"))).toEqual([
      "- stories/garden/pond/1 | Pond one",
      "- stories/garden/pond/2 | Pond two",
    ]);
    // Never the story's own scene URL, which would move a player along the story.
    const [gate] = (await s.children("stories/garden")) as ItemEntry[];
    expect(gate?.res.url).toMatch(/\/audio\/[0-9a-f]{16}\.mp3\?sig=/);
    expect((await s.items()).map((i) => i.title)).toEqual([
      "The blackbird sings",
      "At the gate",
      "Pond one",
      "Pond two",
    ]);
  });

  it("Library: the media folders as folders, and by artist and album from the tags, names with '/' one level", async () => {
    const s = section("library");
    expect(summary(await s.children("library"))).toEqual([
      "+ library/folders | Folders (3)",
      "+ library/artists | Artists (2)",
      "+ library/albums | Albums (2)",
    ]);
    expect(summary(await s.children("library/folders"))).toEqual([
      "+ library/folders/garden | garden (3)",
      "+ library/folders/Songs | Songs (3)",
      "+ library/folders/Uploads | Uploads (1)",
    ]);
    const songs = await s.children("library/folders/Songs");
    expect(summary(songs).map((line) => line.replace(/@[0-9a-f]{16}/, "@id"))).toEqual([
      "+ library/folders/Songs/Night | Night (1)",
      "- library/folders/Songs/@id | Morning 🌞",
      "- library/folders/Songs/@id | Evening",
    ]);
    expect(summary(await s.children("library/artists"))).toEqual([
      "+ library/artists/Anna%20%3CA%26B%3E | Anna <A&B> (1)",
      "+ library/artists/Ben | Ben (1)",
    ]);
    expect(summary(await s.children("library/artists/Ben"))).toEqual([
      "+ library/artists/Ben/Night%2FDay | Night/Day (1)",
    ]);
    const moon = await s.children("library/artists/Ben/Night%2FDay");
    expect(moon.map((e) => e.title)).toEqual(["Moon"]);
    expect(await s.entry(moon[0]?.id as string)).toMatchObject({title: "Moon", album: "Night/Day", creator: "Ben"});
    expect(summary(await s.children("library/albums"))).toEqual([
      "+ library/albums/Night%2FDay | Night/Day (1)",
      "+ library/albums/Sunny%20Days | Sunny Days (2)",
    ]);
    for (const unknown of [
      "library/folders/Nope",
      "library/artists/Zed",
      "library/albums/Sunny%20Days/x",
      "library/x",
      "library/folders/%E0%A4%A",
    ])
      expect(await s.entry(unknown)).toBeUndefined();
    expect((await s.items()).length).toBe(9);
  });
});
