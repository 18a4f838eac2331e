import {readdir} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {ServerView, SourceItem} from "../../../src/mediaServers/mediaServer.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {until} from "../../helpers/icecast.js";
import {type MiniDlna, startMiniDlna} from "../../helpers/minidlna.js";
import {hasMp3Frames, putStream, streamView, tinyServer} from "../../helpers/radio.js";
import {untilAdded} from "../../helpers/streamAdding.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const MINIDLNA = systemNeed("minidlna");

let nas: MiniDlna;
let t: TestApp;
let server: ServerView;

async function api<T>(route: string, init?: RequestInit): Promise<{status: number; body: T}> {
  const res = await fetch(`${t.adminUrl}/${route}`, init);
  return {status: res.status, body: (await res.json()) as T};
}

const browse = (object?: string) =>
  api<{items: SourceItem[]; total: number; error?: string}>(
    `api/sources/${server.id}/browse${object === undefined ? "" : `?object=${encodeURIComponent(object)}`}`,
  );

/** Walk folders by their titles from the root, as a parent does in the panel. */
async function walk(...titles: string[]): Promise<SourceItem[]> {
  let items = (await browse()).body.items;
  for (const title of titles) {
    const folder = items.find((i) => i.kind === "folder" && i.title === title);
    if (!folder) throw new Error(`no folder '${title}' among ${items.map((i) => i.title).join(", ")}`);
    items = (await browse(folder.id)).body.items;
  }
  return items;
}

async function play(name: string): Promise<Buffer> {
  const {signedPath} = await streamView(t, name);
  const res = await fetch(`${t.audioUrl}${signedPath}`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe.skipIf(!MINIDLNA.path)("the home media server, a real MiniDLNA", () => {
  beforeAll(async () => {
    nas = await startMiniDlna([
      {file: "Sea Songs/01 Waves.mp3", title: "Waves", artist: "The Gulls", album: "Sea Songs", track: 1},
      {file: "Sea Songs/02 Tide.mp3", title: "Tide", artist: "The Gulls", album: "Sea Songs", track: 2},
      {file: "Bedtime/01 Moon.mp3", title: "Moon", artist: "Nana", album: "Bedtime", track: 1},
    ]);
    // The answer waits for a folder's first track however busy the machine.
    t = await startApp(["--media_servers", nas.descriptionUrl, "--media_discovery", "false"], {
      streams: {firstWaitMs: 60_000},
    });
    await makeTone(path.join(t.mediaDir, "hello.mp3"), {seconds: 1});
    await t.app.library.scan();
    await until(
      async () => (await api<{servers: ServerView[]}>("api/sources")).body.servers[0]?.state === "ok",
      "the server",
    );
    server = (await api<{servers: ServerView[]}>("api/sources")).body.servers[0] as ServerView;
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await nas?.stop();
  });

  it("lists the server given in media_servers, with its name and whether it can search", () => {
    expect(server).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{10}$/),
      name: "Family NAS",
      state: "ok",
      error: null,
      url: nas.descriptionUrl,
      search: true,
      discovered: false,
    });
  });

  it("browses folders to an album's tracks, with title, artist, duration and a ref", async () => {
    const root = (await browse()).body;
    expect(root.items.every((i) => i.kind === "folder")).toBe(true);
    const tracks = await walk("Music", "Album", "Sea Songs");
    expect(tracks.map((i) => [i.title, i.artist, i.kind])).toEqual([
      ["Waves", "The Gulls", "track"],
      ["Tide", "The Gulls", "track"],
    ]);
    expect(tracks[0]?.duration).toBeCloseTo(2, 0);
    expect(tracks[0]?.ref).toBe(`dlna:${server.id}:${encodeURIComponent(tracks[0]?.id ?? "")}`);
  });

  it("searches the server's titles", async () => {
    const {body} = await api<{items: SourceItem[]}>(`api/sources/${server.id}/browse?q=Tide`);
    expect(body.items.map((i) => i.title)).toEqual(["Tide"]);
  });

  it("queues a server's track with a library item, fetches it once, and plays them as one MP3", async () => {
    const [waves] = await walk("Music", "Album", "Sea Songs");
    const put = await putStream(t, "mixed", {items: [waves?.ref, "hello.mp3"]});
    expect(put.status).toBe(200);
    expect(put.body.stream.items.map((i) => i.title)).toEqual(["Waves", "hello"]);
    const audio = await play("mixed");
    expect(hasMp3Frames(audio)).toBe(true);
    const cached = await readdir(path.join(t.dataDir, "uploads", "media-servers", server.id));
    expect(cached).toHaveLength(1);
    // Queued again: the same library item, nothing fetched again.
    const again = await putStream(t, "again", {items: [waves?.ref]});
    expect(again.body.stream.items[0]?.id).toBe(put.body.stream.items[0]?.id);
    expect(await readdir(path.join(t.dataDir, "uploads", "media-servers", server.id))).toHaveLength(1);
  }, 30_000);

  it("queues a folder as its tracks in order, and makes an album a card's chapters' worth of items", async () => {
    const albums = await walk("Music", "Album");
    const sea = albums.find((a) => a.title === "Sea Songs") as SourceItem;
    const put = await putStream(t, "album", {items: [sea.ref]});
    expect(put.body.stream.items[0]?.title).toBe("Waves");
    // The answer comes with the first track in; the next follows.
    await untilAdded(t.app, "album");
    expect((await streamView(t, "album")).items.map((i) => i.title)).toEqual(["Waves", "Tide"]);
  }, 30_000);

  it("answers that a server gone away is not answering, while what was fetched keeps playing", async () => {
    await nas.stop();
    try {
      const {status, body} = await api<{error: string}>(`api/sources/${server.id}/browse`);
      expect(status).toBe(502);
      expect(body.error).toBe(
        `Media server 'Family NAS' is not answering: connection refused by ${new URL(nas.descriptionUrl).host}`,
      );
      const listed = (await api<{servers: ServerView[]}>("api/sources")).body.servers[0];
      expect(listed?.state).toBe("not_answering");
      expect(hasMp3Frames(await play("mixed"))).toBe(true);
    } finally {
      await nas.restart();
    }
  }, 60_000);

  it("refuses what is not a media server, and an unknown field, saying what to send", async () => {
    // A web page on the home network (this service's own are refused before they are asked: serverLinks.test.ts).
    const web = await tinyServer((_req, res) => res.writeHead(200, {"Content-Type": "application/json"}).end("{}"));
    const page = await api<{error: string}>("api/sources", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({url: `${web.url}/api/health`}),
    });
    await web.close();
    expect(page.status).toBe(400);
    expect(page.body.error).toBe(
      `'${web.url}/api/health' did not answer as a UPnP media server: its answer is not a UPnP device description`,
    );
    const typo = await api<{error: string}>("api/sources", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({ulr: "http://x"}),
    });
    expect(typo.body.error).toBe("Unknown field 'ulr' (this request takes 'url')");
    const unknown = await api<{error: string}>("api/sources/nope/browse");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe(`There is no media server 'nope'; there are: ${server.id} (Family NAS)`);
  });
});
