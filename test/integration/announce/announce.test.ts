import {readFile, writeFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

/** A two-chapter story, ten minutes a chapter: something to interrupt in the middle of. */
function addStory(sim: YotoSimulator): void {
  const chapter = (key: string, title: string) => ({
    key,
    title,
    tracks: [{key: "01", title, trackUrl: "yoto:#story", type: "audio" as const, duration: 600}],
  });
  sim.addCard({
    cardId: "story",
    title: "Story",
    content: {chapters: [chapter("01", "Start"), chapter("02", "Forest")]},
  });
}

async function start(flags: string[] = []) {
  const linked = await startLinked({flags, prepare: addStory, app: {linkToOwnAudioListener: true}});
  await waitFor(() => linked.t.app.players.list().length === 2, "both players");
  expect(linked.t.app.health().services.announcer).toMatchObject({state: "running"});
  return linked;
}

async function announce(adminUrl: string, player: string, body: unknown) {
  const res = await fetch(`${adminUrl}/api/players/${player}/announce`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the API answers
  return {status: res.status, body: (await res.json()) as Record<string, any>};
}

/** A local server for media announcements: a chime, a page that is not audio, a huge file. */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
async function mediaServer(routes: Record<string, (res: http.ServerResponse) => void>): Promise<string> {
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "").split("?")[0] as string;
    const route = Object.hasOwn(routes, pathname) ? routes[pathname] : undefined;
    if (route) route(res);
    else res.writeHead(404).end("no");
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("Announcements on a player", () => {
  it.skipIf(!SPEECH.path)(
    "speaks on a player interrupted at 1:23 of chapter 2, then puts it back at 1:23 of chapter 2 at its own volume",
    async () => {
      const {sim, t} = await start();
      const living = sim.player(LIVING);
      expect(living.startCard({uri: "https://yoto.io/story", chapterKey: "02", trackKey: "01", secondsIn: 83})).toBe(
        true,
      );
      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story playing");
      await waitFor(() => t.app.players.get(LIVING).volume.percent !== undefined, "the volume reported");
      const volumeBefore = t.app.players.get(LIVING).volume.percent;
      expect(volumeBefore).not.toBe(75);
      const volumes: Array<number | undefined> = [];
      t.app.bus.on(volumes, "player.changed", ({player, previous}) => {
        if (player.id === LIVING && player.volume.percent !== previous.volume.percent)
          volumes.push(player.volume.percent);
      });

      const done = await announce(t.adminUrl, "Living Room", {message: "Dinner is ready", volume: 75, chime: true});
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        player: "Living Room",
        result: "played",
        detail: "played to the end",
        audio: expect.stringMatching(/^speech by (espeak-ng|flite|piper)$/),
        resumed: {cardId: "story", chapterKey: "02", trackKey: "01"},
      });
      // Where it was: 83 s plus the moment between starting it and the announcement.
      expect(done.body.resumed.position).toBeGreaterThanOrEqual(83);
      expect(done.body.resumed.position).toBeLessThanOrEqual(86);

      // The virtual player really fetched the relay's audio over HTTP, and played it for its length.
      const relayFetch = living.fetches.find((f) => f.url.includes("/relay/"));
      expect(relayFetch).toMatchObject({status: 200, complete: true});
      expect(relayFetch!.bytes).toBeGreaterThan(16_000);

      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
      const back = t.app.players.get(LIVING).playback;
      expect(back).toMatchObject({status: "playing", chapterKey: "02", trackKey: "01"});
      expect(back.position).toBeGreaterThanOrEqual(83);
      expect(back.position).toBeLessThanOrEqual(88);
      // Up for the announcement, back down after it.
      expect(volumes).toEqual([75, volumeBefore]);
      expect(living.volume).toBe(8);
      expect(t.app.players.get(LIVING).volume.percent).toBe(volumeBefore);
      // Nothing left behind: the audio is removed once played.
      expect(t.app.announcer.clipFor(LIVING)).toBeUndefined();
    },
  );

  it("plays a URL and a library item; leaves a playing player alone with only_if_idle; a stopped player stays stopped", async () => {
    const {sim, t} = await start();
    const media = await tempDir("yss-media-");
    const chime = await readFile(await makeTone(path.join(media, "ding.mp3"), {seconds: 1, frequency: 880}));
    const base = await mediaServer({
      "/ding.mp3": (res) => res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(chime),
    });

    const fromUrl = await announce(t.adminUrl, MINI, {media: `${base}/ding.mp3?token=secret`});
    expect(fromUrl.body).toMatchObject({result: "played", audio: `${base}/ding.mp3`, resumed: null});
    expect(t.app.players.get(MINI).playback.status).toBe("stopped");

    await makeTone(path.join(t.mediaDir, "bell.mp3"), {seconds: 1, title: "Bell"});
    await t.app.library.scan();
    const bell = t.app.library.list({limit: 10}).items.find((i) => i.title === "Bell")!;
    const fromItem = await announce(t.adminUrl, MINI, {item: bell.id});
    expect(fromItem.body).toMatchObject({result: "played", audio: "library item 'Bell'"});
    expect((await announce(t.adminUrl, MINI, {item: "bell.mp3"})).body).toMatchObject({result: "played"});
    await makeTone(path.join(t.mediaDir, "bell2.mp3"), {seconds: 1});
    await t.app.library.scan();
    expect((await announce(t.adminUrl, MINI, {item: "bell*"})).body.error).toBe(
      "'bell*' names 2 library items; announce one (its id or path)",
    );
    expect((await announce(t.adminUrl, MINI, {item: "nothing.mp3"})).body.error).toBe(
      "'nothing.mp3' is not in the library",
    );

    sim.player(LIVING).insertCard("story");
    await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
    const fetchesBefore = sim.player(LIVING).fetches.length;
    const idle = await announce(t.adminUrl, LIVING, {message: "Bath time", only_if_idle: true});
    expect(idle).toEqual({
      status: 200,
      body: {
        player: "Living Room",
        playerId: LIVING,
        result: "skipped",
        detail: "'Living Room' is playing, and this announcement was only for when it is idle",
      },
    });
    expect(sim.player(LIVING).fetches.length).toBe(fetchesBefore);
    expect(t.app.players.get(LIVING).playback.cardId).toBe("story");
  });

  it.skipIf(!SPEECH.path)(
    "queues two announcements to one player, one after the other, and the story comes back once",
    async () => {
      const {sim, t} = await start();
      sim.player(LIVING).insertCard("story");
      await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
      const ends: string[] = [];
      const noting = (name: string) => (r: Awaited<ReturnType<typeof announce>>) => {
        ends.push(name);
        return r;
      };
      const first = announce(t.adminUrl, LIVING, {message: "First"}).then(noting("first"));
      const second = announce(t.adminUrl, LIVING, {message: "Second"}).then(noting("second"));
      const [a, b] = await Promise.all([first, second]);
      expect(ends).toEqual(["first", "second"]);
      expect(a.body).toMatchObject({result: "played", resumed: {cardId: "story", chapterKey: "01"}});
      expect(b.body).toMatchObject({result: "played", resumed: {cardId: "story", chapterKey: "01"}});
      expect(sim.player(LIVING).fetches.filter((f) => f.url.includes("/relay/")).length).toBe(2);
      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
    },
  );

  it.skipIf(!SPEECH.path)("puts a paused story back paused, at the same place", async () => {
    const {sim, t} = await start();
    sim.player(LIVING).startCard({uri: "https://yoto.io/story", chapterKey: "02", trackKey: "01", secondsIn: 200});
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story playing");
    expect(sim.player(LIVING).pause()).toBe(true);
    await waitFor(() => t.app.players.get(LIVING).playback.status === "paused", "the story paused");

    const done = await announce(t.adminUrl, LIVING, {message: "Teeth"});
    expect(done.body).toMatchObject({
      result: "played",
      resumed: {cardId: "story", chapterKey: "02", trackKey: "01", position: 200, paused: true},
    });
    await waitFor(() => t.app.players.get(LIVING).playback.status === "paused", "paused again");
    expect(t.app.players.get(LIVING).playback).toMatchObject({cardId: "story", chapterKey: "02", position: 200});
  });

  it.skipIf(!SPEECH.path)("makes the relay card again after the family deleted it", async () => {
    const {sim, t} = await start();
    expect((await announce(t.adminUrl, MINI, {message: "One"})).body.result).toBe("played");
    const [relay] = t.app.announcer.relayCards();
    expect(relay).toMatchObject({playerId: MINI});
    expect(sim.card(relay!.cardId)?.title).toBe("Announcements · Bedroom Mini");
    // It plays silence on its own: no picker offers it (read after the catalog's 2 s reuse window).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const picker = (await (await fetch(`${t.adminUrl}/api/account/cards`)).json()) as {cards: Array<{cardId: string}>};
    expect(picker.cards.map((c) => c.cardId)).toContain("story");
    expect(picker.cards.map((c) => c.cardId)).not.toContain(relay!.cardId);
    sim.removeCard(relay!.cardId);

    expect((await announce(t.adminUrl, MINI, {message: "Two"})).body.result).toBe("played");
    const [remade] = t.app.announcer.relayCards();
    expect(remade!.cardId).not.toBe(relay!.cardId);
    expect(sim.card(remade!.cardId)).toBeDefined();
    expect(t.logs.some((l) => l.includes("making it again"))).toBe(true);
  });

  it("says which engine failed, and why a URL could not be played, leaving the player as it was", async () => {
    const {sim, t} = await start();
    sim.player(LIVING).insertCard("story");
    await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
    const fetchesBefore = sim.player(LIVING).fetches.length;

    const noPiper = await announce(t.adminUrl, LIVING, {message: "Hello", engine: "piper"});
    expect(noPiper.status).toBe(500);
    expect(noPiper.body.error).toBe("Text-to-speech with 'piper' failed: 'piper' is not installed");

    const base = await mediaServer({
      "/page": (res) => res.writeHead(200, {"Content-Type": "text/html"}).end("<html>not audio</html>"),
      "/huge.mp3": (res) => res.writeHead(200, {"Content-Length": String(600 * 1024 * 1024)}).end(),
      "/moved": (res) => res.writeHead(302, {Location: "file:///etc/passwd"}).end(),
    });
    const page = await announce(t.adminUrl, LIVING, {media: `${base}/page`});
    expect(page.status).toBe(422);
    // What the URL served, never ffmpeg's words about the temporary file it was saved to.
    expect(page.body.error).toBe(`${base}/page is not audio this service can play (it served 'text/html')`);

    const huge = await announce(t.adminUrl, LIVING, {media: `${base}/huge.mp3`});
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe(`Could not fetch ${base}/huge.mp3: it is 600.0 MiB, more than the 500.0 MiB allowed`);

    const moved = await announce(t.adminUrl, LIVING, {media: `${base}/moved`});
    expect(moved.body.error).toBe(`Could not fetch ${base}/moved: it redirects to a file: address`);

    // A port nothing listens on.
    const closed = await mediaServer({});
    await new Promise((r) => servers.pop()!.close(r));
    const unreachable = await announce(t.adminUrl, LIVING, {media: `${closed}/gone.mp3`});
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error).toBe(`Could not fetch ${closed}/gone.mp3: it cannot be reached (ECONNREFUSED)`);

    expect(sim.player(LIVING).fetches.length).toBe(fetchesBefore);
    expect(t.app.players.get(LIVING).playback).toMatchObject({cardId: "story", status: "playing"});
  });

  it.skipIf(!SPEECH.path)(
    "announces from a rule on two players at once, and the rule's next step runs after both are back",
    async () => {
      // Written before the service starts: a save while it runs would reload (and abort) the run.
      const rulesDir = await tempDir("yss-rules-");
      await writeFile(
        path.join(rulesDir, "announce.yaml"),
        [
          "- id: bath_time",
          "  triggers: [{trigger: mqtt, topic: yoto/automation/bath}]",
          "  actions:",
          "    - action: player.announce",
          "      player: [Living Room, Bedroom Mini]",
          "      message: Bath time",
          "      only_if_idle: 'false'",
          "    - action: log",
          "      message: after the announcement",
        ].join("\n"),
      );
      const {sim, t} = await start(["--rules_dir", rulesDir]);
      sim.player(LIVING).insertCard("story");
      await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
      const res = await fetch(`${t.adminUrl}/api/rules/bath_time/run`, {method: "POST"});
      const {trace} = (await res.json()) as {trace: {result: string; error?: string}};
      expect(trace).toMatchObject({result: "completed"});
      for (const id of [LIVING, MINI])
        expect(sim.player(id).fetches.filter((f) => f.url.includes("/relay/")).length).toBe(1);
      expect(t.logs.findIndex((l) => l.includes("after the announcement"))).toBeGreaterThan(
        t.logs.findLastIndex((l) => l.includes("Announced speech")),
      );
      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
    },
  );

  it.skipIf(!SPEECH.path)("announces on several players at once from the API, each answering for itself", async () => {
    const {sim, t} = await start();
    const res = await fetch(`${t.adminUrl}/api/announce`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({players: ["Bedroom Mini", "Kitchen"], message: "Lunch"}),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      results: [
        expect.objectContaining({player: "Bedroom Mini", result: "played"}),
        {player: "Kitchen", error: expect.stringContaining("Kitchen"), code: "not_found"},
      ],
    });
    expect(sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toHaveLength(1);
  });

  it("refuses an offline player, saying so, and prepares nothing for it", async () => {
    const {sim, t} = await start();
    sim.player(MINI).setOnline(false);
    await waitFor(() => !t.app.players.get(MINI).online, "the Mini offline");
    expect(await announce(t.adminUrl, MINI, {message: "Hello"})).toEqual({
      status: 409,
      body: expect.objectContaining({error: "'Bedroom Mini' is offline, so it cannot announce anything"}),
    });
    expect(t.app.announcer.relayCards()).toEqual([]);
  });

  it("answers a malformed announcement with what to send instead", async () => {
    const {t} = await start();
    // A misspelt player: the closest name is offered, as for a misspelt rule key.
    expect(await announce(t.adminUrl, encodeURIComponent("Bedrom Mini"), {message: "a"})).toEqual({
      status: 404,
      body: expect.objectContaining({
        error: `No player 'Bedrom Mini' (did you mean 'Bedroom Mini'?): known players are 'Living Room' (${LIVING}), 'Bedroom Mini' (${MINI})`,
      }),
    });
    expect(await announce(t.adminUrl, LIVING, {})).toEqual({
      status: 400,
      body: expect.objectContaining({
        error:
          "Say what to announce: 'message' (text to speak), 'media' (an http(s) URL) or 'item' (a library id or path)",
      }),
    });
    expect((await announce(t.adminUrl, LIVING, {message: "a", media: "http://x"})).body.error).toBe(
      "Give one of 'message', 'media' and 'item', not 'message' and 'media'",
    );
    expect((await announce(t.adminUrl, LIVING, {message: "a", volume: 120})).body.error).toBe(
      "'volume' must be a number from 0 to 100 (percent), not 120",
    );
    expect((await announce(t.adminUrl, LIVING, {media: "ftp://example.com/a.mp3"})).body.error).toBe(
      "'media' must be an http(s) URL; 'ftp:' is not fetched",
    );
    expect((await announce(t.adminUrl, LIVING, {message: "a", loud: true})).body.error).toBe(
      "Unknown announcement option(s) 'loud': known are message, media, item, volume, resume, only_if_idle, chime, language, engine, in_quiet, players",
    );
  });
});
