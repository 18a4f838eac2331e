import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {PNG} from "pngjs";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

function squarePng(size: number, rgba: [number, number, number, number]): Buffer {
  const image = new PNG({width: size, height: size});
  for (let i = 0; i < size * size; i++) image.data.set(rgba, i * 4);
  return PNG.sync.write(image);
}

/** The app on the simulator with two songs, a stream of them, and a rule that plays it. */
async function cardsApp() {
  sim = await startSimulator();
  const root = await tempDir("yss-cards-");
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "songs/one.mp3"), {seconds: 2, title: "Song One"});
  await makeTone(path.join(mediaDir, "songs/two.ogg"), {seconds: 3, title: "Song Two", channels: 1});
  t = await startApp(["--yoto_client_id", CLIENT_ID], {
    dataDir: path.join(root, "data"),
    mediaDir,
    cloud: sim.endpoints,
    linkToOwnAudioListener: true,
  });
  await t.app.streams.replace("songs", ["songs/one.mp3"]);
  await linkAccount(t.app.account);
  await waitFor(() => t!.app.players.list().length === 2, "both players");
  // Written once the stream and the players exist, so the rule's names check out.
  await mkdir(path.join(root, "rules"), {recursive: true});
  await writeFile(
    path.join(root, "rules", "play.yaml"),
    "- id: play_songs\n  triggers: [{trigger: mqtt, topic: test/play}]\n  actions:\n    - {action: player.play_stream, player: Living Room, stream: songs}\n",
  );
  expect((await t.app.rules.reload()).errors).toEqual([]);
  return {sim, t, api: `${t.adminUrl}/api`};
}

describe("cards and icons", () => {
  it("makes a stream card and a card of library items, updates without losing what Yoto's app added, and plays a stream from a rule", async () => {
    const {sim, t, api} = await cardsApp();
    const made = await call("POST", `${api}/cards`, {from: "stream", stream: "songs", title: "Songs"});
    expect(made.status).toBe(201);
    const cardId = made.body.card.cardId as string;
    expect(made.body.card).toMatchObject({title: "Songs", source: {type: "stream", stream: "songs"}});
    const stored = sim.card(cardId)!;
    expect(stored.content).toMatchObject({playbackType: "linear", config: {autoadvance: "next"}});
    expect(stored.content.chapters).toHaveLength(1);
    expect(stored.content.chapters[0]).toMatchObject({
      key: "01",
      hasStreams: true,
      tracks: [{key: "01", type: "stream", format: "mp3", isNew: true, title: "Songs"}],
    });
    expect(stored.content.chapters[0]!.tracks[0]!.trackUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/streams\/songs\.mp3\?sig=/,
    );

    // Someone picks an icon and a cover in Yoto's app, and adds a track event.
    const chapter = stored.content.chapters[0]!;
    chapter.display = {icon16x16: "yoto:#pickedInYotoApp0001"};
    chapter.tracks[0]!.events = {onEnd: {cmd: "stop"}};
    stored.metadata = {...stored.metadata, cover: {imageL: "https://img/cover.png"}};
    const updated = await call("PUT", `${api}/cards/${cardId}`, {title: "Evening songs"});
    expect(updated.status).toBe(200);
    const after = sim.card(cardId)!;
    expect(after.title).toBe("Evening songs");
    expect(after.metadata).toMatchObject({cover: {imageL: "https://img/cover.png"}});
    expect(after.content.chapters[0]!.display).toEqual({icon16x16: "yoto:#pickedInYotoApp0001"});
    expect(after.content.chapters[0]!.tracks[0]!.events).toEqual({onEnd: {cmd: "stop"}});
    expect(after.content.chapters[0]!.tracks[0]!.title).toBe("Evening songs");

    const items = await call("POST", `${api}/cards`, {from: "items", items: ["songs/one.mp3", "songs/two.ogg"]});
    expect(items.status).toBe(201);
    const tracks = sim.card(items.body.card.cardId)!.content.chapters.map((c) => c.tracks[0]!);
    expect(tracks.map((tr) => [tr.key, tr.title, tr.format, tr.duration, tr.channels, tr.type])).toEqual([
      ["01", "Song One", "mp3", 2, "stereo", "stream"],
      ["02", "Song Two", "ogg", 3, "mono", "stream"],
    ]);
    expect(tracks[1]!.trackUrl).toMatch(/\/audio\/[\w-]+\.ogg\?sig=[\w-]{32}$/);
    expect(sim.card(items.body.card.cardId)!.title).toBe("Song One");

    // The rule plays the stream through the card made for it: no second card.
    await t.app.rules.run("play_songs");
    const player = sim.player(LIVING);
    await waitFor(() => player.fetches.at(-1)?.status === 200, "the player fetching the stream");
    expect(new URL(player.fetches[0]!.url).pathname).toBe("/streams/songs.mp3");
    expect((await call("GET", `${api}/cards`)).body.cards.map((c: {cardId: string}) => c.cardId).sort()).toEqual(
      [cardId, items.body.card.cardId].sort(),
    );
    // Remembered across a restart of the card service.
    await t.app.cards.stop();
    await t.app.cards.start();
    expect(t.app.cards.get(cardId).source).toEqual({type: "stream", stream: "songs"});
  });

  it("uploads, lists (cached), attaches and previews icons, with exact errors for bad ones", async () => {
    const {sim, api} = await cardsApp();
    const big = squarePng(32, [200, 30, 30, 255]);
    const refused = await call("POST", `${api}/icons`, big, "image/png");
    expect(refused).toEqual({
      status: 400,
      body: {
        error: "The icon is 32×32 pixels; Yoto icons are exactly 16×16 (upload it with convert on to resize it)",
        code: "bad_icon",
      },
    });
    const jpeg = await call("POST", `${api}/icons?convert=true`, Buffer.from([0xff, 0xd8, 0xff, 0, 0]), "image/jpeg");
    expect(jpeg.body.error).toBe("The icon is not a PNG image (it is a JPEG): save it as PNG");
    const converted = await call("POST", `${api}/icons?convert=true&filename=rocket.png`, big, "image/png");
    expect(converted.status).toBe(201);
    const icon = converted.body.icon;
    expect(icon).toMatchObject({ref: `yoto:#${icon.mediaId}`, public: false, new: true, title: "rocket.png"});
    const again = await call("POST", `${api}/icons?convert=true`, big, "image/png");
    expect(again.status).toBe(200);
    expect(again.body.icon).toMatchObject({mediaId: icon.mediaId, new: false});

    const listed = await call("GET", `${api}/icons`);
    expect(listed.body.public.map((i: {title: string}) => i.title)).toEqual(["star", "moon", "heart"]);
    expect(listed.body.user.map((i: {mediaId: string}) => i.mediaId)).toEqual([icon.mediaId]);
    sim.addUserIcon("madeInTheYotoApp01", "dragon");
    expect((await call("GET", `${api}/icons`)).body.user).toHaveLength(1); // cached
    expect(
      (await call("GET", `${api}/icons?refresh=1&search=DRAG`)).body.user.map((i: {title: string}) => i.title),
    ).toEqual(["dragon"]);
    expect((await call("GET", `${api}/icons?search=moon`)).body.public.map((i: {title: string}) => i.title)).toEqual([
      "moon",
    ]);

    const made = await call("POST", `${api}/cards`, {
      from: "items",
      items: ["songs/one.mp3", "songs/two.ogg"],
      title: "Two",
    });
    const cardId = made.body.card.cardId as string;
    const attached = await call("POST", `${api}/cards/${cardId}/icon`, {chapter: "02", icon: icon.mediaId});
    expect(attached.status).toBe(200);
    const chapters = sim.card(cardId)!.content.chapters;
    expect(chapters[1]!.display).toEqual({icon16x16: icon.ref});
    expect(chapters[1]!.tracks[0]!.display).toEqual({icon16x16: icon.ref});
    expect(chapters[0]!.display).toEqual({icon16x16: null});
    expect(sim.card(cardId)!.title).toBe("Two");
    const missing = await call("POST", `${api}/cards/${cardId}/icon`, {chapter: "2", icon: icon.ref});
    expect(missing).toEqual({
      status: 404,
      body: {error: `Card '${cardId}' has no chapter '2' (chapters: 01, 02)`, code: "unknown_chapter"},
    });

    const previewed = await call("POST", `${api}/players/${LIVING}/icon`, {icon: icon.ref, seconds: 5});
    expect(previewed.status).toBe(200);
    expect(sim.player(LIVING).displayed).toEqual([{uri: icon.ref, timeout: 5}]);
  });

  it("refuses to make a card without public_url, saying how to fix it", async () => {
    t = await startApp();
    await t.app.streams.replace("songs", []);
    const res = await call("POST", `${t.adminUrl}/api/cards`, {from: "stream", stream: "songs"});
    expect(res).toEqual({
      status: 409,
      body: {
        error:
          "Set 'public_url' first: card tracks stream from this service, so players need an address they can reach (for example https://yoto.example.com:8788)",
        code: "no_public_url",
      },
    });
    const bad = await call("POST", `${t.adminUrl}/api/cards`, {from: "playlist"});
    expect(bad.body.error).toBe(
      'Send {"from": "stream", "stream": "<name>"}, {"from": "items", "items": ["<id or path>", …]} or {"from": "story", "story": "<id>"}',
    );
  });

  it("plays a stream through the card that streams it as the account has it now: never a deleted card, never a second one", async () => {
    const {sim, t, api} = await cardsApp();
    const play = () => call("POST", `${api}/streams/songs/play`, {player: "Living Room"});
    const first = await play();
    expect(first.status).toBe(200);
    const made = first.body.card.cardId as string;
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === made, "the stream card playing");

    // Deleted in the Yoto app (or left from a simulator that is gone): forgotten, and a new one made.
    sim.removeCard(made);
    const second = await play();
    expect(second.status).toBe(200);
    const remade = second.body.card.cardId as string;
    expect(remade).not.toBe(made);
    expect((await call("GET", `${api}/cards`)).body.cards.map((c: {cardId: string}) => c.cardId)).toEqual([remade]);

    // Not remembered here (a reset data folder) but on the account: used, not made again.
    await t.app.cards.forget(remade);
    const before = sim.cardIds.length;
    const third = await play();
    expect([third.status, third.body.card.cardId]).toEqual([200, remade]);
    expect(sim.cardIds.length).toBe(before);
    expect(t.logs.some((l) => l.includes(`Card 'Songs' (${remade}) on the account streams 'songs': using it`))).toBe(
      true,
    );
  });
});
