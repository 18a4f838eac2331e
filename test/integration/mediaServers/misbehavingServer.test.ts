import dgram from "node:dgram";
import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {ServerView, SourceItem} from "../../../src/mediaServers/mediaServer.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {didlFolder, didlTrack, fakeDlna, soapAnswer} from "../../helpers/fakeDlna.js";
import {until} from "../../helpers/icecast.js";
import {type MiniDlna, startMiniDlna} from "../../helpers/minidlna.js";
import {putStream} from "../../helpers/radio.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const MINIDLNA = systemNeed("minidlna");

let t: TestApp;
const closers: Array<() => Promise<void> | void> = [];

// At the file's end, not a describe's: every describe's servers and services go with it.
afterAll(async () => {
  await t?.stop();
  for (const close of closers.splice(0)) await close();
});

async function api<T>(route: string, init?: RequestInit): Promise<{status: number; body: T}> {
  const res = await fetch(`${t.adminUrl}/${route}`, init);
  return {status: res.status, body: (await res.json()) as T};
}

async function add(url: string): Promise<ServerView> {
  const {status, body} = await api<ServerView & {error?: string}>("api/sources", {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({url}),
  });
  expect(status, body.error).toBe(201);
  return body;
}

// The answer waits for the track however busy the machine: its failure is the answer these tests read.
const WAIT = {firstWaitMs: 60_000};

describe("a media server that misbehaves", () => {
  beforeAll(async () => {
    t = await startApp(["--media_discovery", "false"], {streams: WAIT});
  });

  it("refuses a DOCTYPE (entities) in a folder listing, and keeps running", async () => {
    const hostile = await fakeDlna(
      () =>
        `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&b;</s:Body></s:Envelope>`,
    );
    closers.push(hostile.close);
    const server = await add(`${hostile.url}/desc.xml`);
    const {status, body} = await api<{error: string}>(`api/sources/${server.id}/browse`);
    expect(status).toBe(502);
    expect(body.error).toBe(
      "Media server 'Fake NAS' answered what cannot be read: Its answer to Browse declares a DOCTYPE or entities, which a media server never needs: it was not read",
    );
    expect((await api("api/health")).status).toBe(200);
  });

  it("does not fetch a 2 GB 'track', and leaves nothing of it", async () => {
    let asked = 0;
    const big = await fakeDlna(
      (_call, base) => soapAnswer("Browse", didlTrack("big", "Big", `${base}/big.mp3`), 1),
      (_path, res) => {
        asked++;
        res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": String(2 * 1024 ** 3)});
        res.write(Buffer.alloc(64 * 1024));
      },
    );
    closers.push(big.close);
    const server = await add(`${big.url}/desc.xml`);
    const put = await putStream(t, "big", {items: [`dlna:${server.id}:big`]});
    expect(put.status).toBe(413);
    expect(put.body.error).toBe("'Big' is larger than 1 GB, more than any track: it was not fetched");
    expect(asked).toBe(1);
    const kept = await readdir(path.join(t.dataDir, "uploads")).catch((): string[] => []);
    expect(kept.filter((f) => f !== ".incoming")).toEqual([]);
    expect(t.app.streams.has("big")).toBe(false);
  });

  it("gives up a track the server stops sending, and keeps nothing of it", async () => {
    const stalled = await startApp(["--media_discovery", "false"], {sources: {downloadIdleMs: 500}, streams: WAIT});
    closers.push(() => stalled.stop());
    const slow = await fakeDlna(
      (_call, base) => soapAnswer("Browse", didlTrack("slow", "Slow", `${base}/slow.mp3`), 1),
      (_path, res) => {
        res.writeHead(200, {"Content-Type": "audio/mpeg"});
        res.write(Buffer.alloc(16 * 1024, 0x55)); // then nothing, the connection left open
      },
    );
    closers.push(slow.close);
    const created = await fetch(`${stalled.adminUrl}/api/sources`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({url: `${slow.url}/desc.xml`}),
    });
    const server = (await created.json()) as ServerView;
    const put = await putStream(stalled, "slow", {items: [`dlna:${server.id}:slow`]});
    expect(put.status).toBe(504);
    expect(put.body.error).toBe("The media server stopped sending 'Slow' (nothing for 0.5 s)");
    const kept = await readdir(path.join(stalled.dataDir, "uploads")).catch((): string[] => []);
    expect(kept.filter((f) => f !== ".incoming")).toEqual([]);
    const incoming = await readdir(path.join(stalled.dataDir, "uploads", ".incoming")).catch((): string[] => []);
    expect(incoming).toEqual([]);
  });

  it("gives up a track the server drips too slowly to ever finish, and keeps nothing of it", async () => {
    const dripping = await startApp([], {sources: {downloadIdleMs: 1000, downloadDeadlineMs: 1500}, streams: WAIT});
    closers.push(() => dripping.stop());
    let dripped = 0;
    const drip = await fakeDlna(
      (_call, base) => soapAnswer("Browse", didlTrack("drip", "Drip", `${base}/drip.mp3`), 1),
      (_path, res) => {
        res.writeHead(200, {"Content-Type": "audio/mpeg"});
        // A byte well inside the idle limit each time, so only an overall deadline ends it; the
        // server itself gives up after 8 s, so the test cannot hang without one.
        const timer = setInterval(() => {
          dripped++;
          if (dripped > 80) {
            clearInterval(timer);
            res.end();
          } else res.write(Buffer.from([0x55]));
        }, 100);
        res.on("close", () => clearInterval(timer));
      },
    );
    closers.push(drip.close);
    const created = await fetch(`${dripping.adminUrl}/api/sources`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({url: `${drip.url}/desc.xml`}),
    });
    const server = (await created.json()) as ServerView;
    const put = await putStream(dripping, "drip", {items: [`dlna:${server.id}:drip`]});
    expect(put.status).toBe(504);
    expect(put.body.error).toBe(
      "The media server did not send all of 'Drip' within 1.5 s: it was given up (a server that sends this slowly cannot feed a stream)",
    );
    const kept = await readdir(path.join(dripping.dataDir, "uploads")).catch((): string[] => []);
    expect(kept.filter((f) => f !== ".incoming")).toEqual([]);
    const incoming = await readdir(path.join(dripping.dataDir, "uploads", ".incoming")).catch((): string[] => []);
    expect(incoming).toEqual([]);
  });

  it("asks again for a track the server is too busy to send (503) for a moment", async () => {
    const tone = await readFile(await makeTone(path.join(t.dataDir, "..", "busy.mp3"), {seconds: 1}));
    let asked = 0;
    const busy = await fakeDlna(
      (_call, base) => soapAnswer("Browse", didlTrack("busy", "Busy", `${base}/busy.mp3`), 1),
      (_path, res) => {
        asked++;
        if (asked === 1) res.writeHead(503).end();
        else res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": String(tone.length)}).end(tone);
      },
    );
    closers.push(busy.close);
    const server = await add(`${busy.url}/desc.xml`);
    const put = await putStream(t, "busy", {items: [`dlna:${server.id}:busy`]});
    expect(put.status, put.body.error).toBe(200);
    expect(asked).toBe(2);
    expect(put.body.stream.items.map((i) => i.title)).toEqual(["Busy"]);
  });

  it("walks a folder that contains itself and claims no total only once", async () => {
    let browses = 0;
    const looping = await fakeDlna((call, base) => {
      browses++;
      if (call.flag === "BrowseMetadata") return soapAnswer("Browse", didlFolder("loop", "Loop"), 1);
      // The folder lists itself, and says it holds nothing (TotalMatches 0) whatever the page.
      return soapAnswer("Browse", didlFolder("loop", "Loop") + didlTrack("t1", "One", `${base}/none.mp3`), 0);
    });
    closers.push(looping.close);
    const server = await add(`${looping.url}/desc.xml`);
    const put = await putStream(t, "loop", {items: [`dlna:${server.id}:loop`]});
    // The one track is found once; its audio is missing, which is the answer.
    expect(put.status).toBe(502);
    expect(put.body.error).toBe("The media server answered 404 for 'One'");
    expect(browses).toBeLessThan(5);
  });

  it("never lets a server's answers widen what feeds and announcements may fetch", async () => {
    const other = await startApp(["--media_discovery", "false", "--fetch_allow", "10.9.9.9"]);
    closers.push(() => other.stop());
    const nas = await fakeDlna(() => soapAnswer("Browse", "", 0));
    closers.push(nas.close);
    const url = new URL(`${nas.url}/desc.xml`);
    const before = other.app.fetchPolicy.refusal(url, "127.0.0.1");
    expect(before).toContain("127.0.0.1 is a loopback address");
    const res = await fetch(`${other.adminUrl}/api/sources`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({url: url.toString()}),
    });
    expect(res.status).toBe(201);
    await fetch(`${other.adminUrl}/api/sources`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({url: "http://127.0.0.1:9/desc.xml"}),
    });
    expect(other.app.fetchPolicy.refusal(url, "127.0.0.1")).toBe(before);
  });

  it("refuses a resource link that leads its fetch to another host", async () => {
    const redirecting = await fakeDlna(
      (_call, base) => soapAnswer("Browse", didlTrack("r", "Away", `${base}/away.mp3`), 1),
      (_path, res) => res.writeHead(302, {Location: "http://127.0.0.2:9/elsewhere.mp3"}).end(),
    );
    closers.push(redirecting.close);
    const server = await add(`${redirecting.url}/desc.xml`);
    const put = await putStream(t, "away", {items: [`dlna:${server.id}:r`]});
    expect(put.status).toBe(502);
    expect(put.body.error).toBe(
      "Media server 'Fake NAS' could not send 'Away': the media server at 127.0.0.1 pointed at another host (127.0.0.2:9); only its own host is fetched from",
    );
  });
});

describe("media servers found on the network (SSDP)", () => {
  let nas: MiniDlna;
  it.skipIf(!MINIDLNA.path)(
    "finds a server that answers an M-SEARCH, and lists it as discovered",
    async () => {
      nas = await startMiniDlna([{file: "A/01 Song.mp3", title: "Song"}]);
      closers.push(() => nas.stop());
      // A responder on a loopback port stands in for the multicast group, which this test cannot join.
      const responder = dgram.createSocket("udp4");
      const searches: string[] = [];
      responder.on("message", (msg, from) => {
        searches.push(msg.toString("utf8"));
        const answer = `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nLOCATION: ${nas.descriptionUrl}\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\nUSN: uuid:x::urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n`;
        responder.send(answer, from.port, from.address);
      });
      await new Promise<void>((resolve) => responder.bind(0, "127.0.0.1", resolve));
      closers.push(() => {
        responder.close();
      });
      const app = await startApp(["--media_discovery", "true"], {
        sources: {ssdpTarget: {host: "127.0.0.1", port: responder.address().port}, ssdpWindowMs: 300},
      });
      closers.push(() => app.stop());
      await until(
        async () => {
          const {servers} = (await (await fetch(`${app.adminUrl}/api/sources`)).json()) as {servers: ServerView[]};
          return servers.some((s) => s.name === "Family NAS" && s.discovered && s.state === "ok");
        },
        "the discovered server",
        20_000,
      );
      expect(searches[0]).toContain('MAN: "ssdp:discover"');
      expect(searches[0]).toContain("ST: urn:schemas-upnp-org:device:MediaServer:1");
      const {servers} = (await (await fetch(`${app.adminUrl}/api/sources`)).json()) as {servers: ServerView[]};
      const items = (await (await fetch(`${app.adminUrl}/api/sources/${servers[0]?.id}/browse`)).json()) as {
        items: SourceItem[];
      };
      expect(items.items.length).toBeGreaterThan(0);
    },
    60_000,
  );
});

describe("the media server cache", () => {
  it.skipIf(!MINIDLNA.path)(
    "lets the least recently queued track go past media_server_cache_mb, never one a stream plays",
    async () => {
      const nas = await startMiniDlna([
        {file: "Long/01 A.mp3", title: "A", track: 1, seconds: 40},
        {file: "Long/02 B.mp3", title: "B", track: 2, seconds: 40},
        {file: "Long/03 C.mp3", title: "C", track: 3, seconds: 40},
      ]);
      closers.push(() => nas.stop());
      const app = await startApp(
        [
          "--media_servers",
          nas.descriptionUrl,
          "--media_discovery",
          "false",
          "--media_server_cache_mb",
          "1",
          "--audio_normalize",
          "false",
        ],
        {sources: {cachePinMs: 0}, streams: WAIT},
      );
      closers.push(() => app.stop());
      const get = async <T>(route: string) => (await (await fetch(`${app.adminUrl}/${route}`)).json()) as T;
      await until(
        async () => (await get<{servers: ServerView[]}>("api/sources")).servers[0]?.state === "ok",
        "the server",
      );
      const [server] = (await get<{servers: ServerView[]}>("api/sources")).servers;
      const search = async (q: string) =>
        (await get<{items: SourceItem[]}>(`api/sources/${server?.id}/browse?q=${q}`)).items[0]?.ref as string;
      const cached = () => readdir(path.join(app.dataDir, "uploads", "media-servers", server?.id as string));
      // A (640 KB) is played by 'keep'; B is queued and then its stream deleted.
      const keep = await putStream(app, "keep", {items: [await search("A")]});
      expect(keep.status, keep.body.error).toBe(200);
      const gone = await putStream(app, "gone", {items: [await search("B")]});
      expect(gone.status, gone.body.error).toBe(200);
      await fetch(`${app.adminUrl}/api/streams/gone`, {method: "DELETE"});
      expect((await cached()).sort()).toEqual(["A.mp3", "B.mp3"]);
      // C takes the cache past 1 MB: B goes (nothing plays it), A stays (a stream plays it), C is kept.
      const next = await putStream(app, "next", {items: [await search("C")]});
      expect(next.status, next.body.error).toBe(200);
      expect((await cached()).sort()).toEqual(["A.mp3", "C.mp3"]);
    },
    60_000,
  );
});
