import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {taleEpisode as episode, FeedServer} from "../../helpers/feedServer.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

/** A media host on loopback that counts who asked, with a redirect into the service's admin API. */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
async function mediaHost(chime: Buffer, adminUrl: () => string) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/ding.mp3") res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(chime);
    else if (req.url === "/to-admin") res.writeHead(302, {Location: `${adminUrl()}/api/health`}).end();
    else if (req.url === "/to-ding") res.writeHead(302, {Location: "/ding.mp3"}).end();
    else res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {port: (server.address() as AddressInfo).port, hits};
}

const refusedText = (host: string) =>
  `is a loopback address, which this service does not fetch from unless you allow it: add '${host}' to the fetch_allow option (--fetch_allow ${host} or YSS_FETCH_ALLOW=${host}) if it is yours`;

describe("fetches others choose stay out of the home network", () => {
  it("refuses announcement media on loopback (its own admin API too), after DNS and on every redirect, and allows what fetch_allow lists", async () => {
    const dir = await tempDir("yss-fetch-");
    const chime = await readFile(await makeTone(path.join(dir, "ding.mp3"), {seconds: 1, frequency: 880}));
    let admin = "";
    const host = await mediaHost(chime, () => admin);
    const {t} = await startLinked({
      flags: ["--fetch_allow", `127.0.0.1:${host.port}`],
      app: {linkToOwnAudioListener: true},
    });
    admin = t.adminUrl;
    await waitFor(() => t.app.players.list().length === 2, "both players");
    const announce = (media: string) => call("POST", `${t.adminUrl}/api/players/${MINI}/announce`, {media});

    // The service's own admin API, as a trusted loopback caller: refused before any connection.
    const adminPort = new URL(t.adminUrl).port;
    const direct = await announce(`${t.adminUrl}/api/health?x=1`);
    expect(direct.status).toBe(403);
    expect(direct.body).toEqual({
      // Never this service's own admin port, whatever fetch_allow says: the words say so, not "allow it".
      error: `Could not fetch http://127.0.0.1:${adminPort}/api/health: 127.0.0.1:${adminPort} is this service's own admin listener, which it never fetches from`,
      code: "fetch_refused",
    });

    // An allowed host redirecting into the admin API: refused at the redirect.
    const redirected = await announce(`http://127.0.0.1:${host.port}/to-admin`);
    expect(redirected.status).toBe(403);
    expect(redirected.body.error).toBe(
      `Could not fetch http://127.0.0.1:${host.port}/to-admin: it redirects to http://127.0.0.1:${adminPort}/api/health, and 127.0.0.1:${adminPort} is this service's own admin listener, which it never fetches from`,
    );

    // A name is judged by what it resolves to: 'localhost' is loopback whatever it is called.
    const named = await announce(`http://localhost:${adminPort}/api/health`);
    expect(named.status, JSON.stringify(named.body)).toBe(403);
    expect(named.body.error).toMatch(
      new RegExp(
        `^Could not fetch http://localhost:${adminPort}/api/health: localhost:${adminPort} is this service's own admin listener`,
      ),
    );
    // Nothing reached the media host for any refused fetch, redirect aside.
    expect(host.hits).toEqual(["/to-admin"]);

    // What fetch_allow lists plays, through a redirect on the same host too.
    expect((await announce(`http://127.0.0.1:${host.port}/ding.mp3`)).body).toMatchObject({result: "played"});
    expect((await announce(`http://127.0.0.1:${host.port}/to-ding`)).body).toMatchObject({result: "played"});

    // The service's own audio URLs need no entry.
    await makeTone(path.join(t.mediaDir, "bell.mp3"), {seconds: 1, title: "Bell"});
    await t.app.library.scan();
    const bell = t.app.library.list({limit: 10}).items.find((i) => i.title === "Bell")!;
    const own = `${t.app.audio.url}${t.app.links.signed(t.app.links.itemPath(bell))}`;
    expect((await announce(own)).body).toMatchObject({result: "played"});
  });

  it("refuses a feed's enclosure on an address the feed's host may not send us to, and says so for that episode", async () => {
    const feeds = new FeedServer();
    await feeds.start();
    try {
      const dir = await tempDir("yss-fetch-feed-");
      feeds.files.set("/audio/1.mp3", await makeTone(path.join(dir, "1.mp3"), {seconds: 1}));
      const elsewhere = await mediaHost(Buffer.from("secret"), () => "");
      feeds.episodes = [episode(1), episode(2, {title: "Inside", path: `http://127.0.0.1:${elsewhere.port}/ding.mp3`})];
      const {t} = await startLinked({flags: ["--fetch_allow", new URL(feeds.url).host]});
      const put = await call("PUT", `${t.adminUrl}/api/streams/tales`, {feed: {url: `${feeds.url}/feed.xml`}});
      expect(put.status).toBe(202);
      const view = (await call("POST", `${t.adminUrl}/api/streams/tales/feed/refresh`)).body;
      expect(view.episodes.map((e: {title: string}) => e.title)).toEqual(["Tale 1"]);
      expect(view.skipped).toEqual([
        {
          title: "Inside",
          reason: `Could not fetch http://127.0.0.1:${elsewhere.port}/ding.mp3: 127.0.0.1 ${refusedText("127.0.0.1")}`,
        },
      ]);
      expect(elsewhere.hits).toEqual([]);
    } finally {
      await feeds.stop();
    }
  });

  it("refuses a feed itself on loopback unless allowed", async () => {
    const feeds = new FeedServer();
    await feeds.start();
    try {
      feeds.episodes = [episode(1)];
      const {t} = await startLinked({flags: ["--fetch_allow", "[]"]});
      await call("PUT", `${t.adminUrl}/api/streams/tales`, {feed: {url: `${feeds.url}/feed.xml`}});
      const view = (await call("POST", `${t.adminUrl}/api/streams/tales/feed/refresh`)).body;
      expect(view.error).toBe(`${feeds.url}/feed.xml could not be read (127.0.0.1 ${refusedText("127.0.0.1")})`);
      expect(feeds.log).toEqual([]);
    } finally {
      await feeds.stop();
    }
  });
});
