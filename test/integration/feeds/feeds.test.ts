import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {taleEpisode as episode, FeedServer} from "../../helpers/feedServer.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {call} from "../../helpers/http.js";
import {freePort, watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

let server: FeedServer;
let t: TestApp | undefined;
beforeAll(async () => {
  server = new FeedServer();
  await server.start();
  const dir = await tempDir("yss-feed-audio-");
  for (let i = 1; i <= 5; i++)
    server.files.set(
      `/audio/${i}.mp3`,
      await makeTone(path.join(dir, `${i}.mp3`), {seconds: 1, frequency: 300 + i * 100}),
    );
  server.files.set("/audio/page.html", Buffer.from("<html><body>Our new episode is out!</body></html>"));
  server.files.set("/audio/huge.mp3", Buffer.alloc(3 * 1024 * 1024, 0x55));
}, 30_000);
afterAll(() => server.stop());
afterEach(async () => {
  await t?.stop();
  t = undefined;
  server.feedStatus = undefined;
  server.feedBody = undefined;
  server.log.length = 0;
});

async function follow(stream: string, feed: Record<string, unknown>) {
  const put = await call("PUT", `${t!.adminUrl}/api/streams/${stream}`, {feed});
  expect(put.status, JSON.stringify(put.body)).toBe(202);
  return refresh(stream);
}

async function refresh(stream: string) {
  const res = await call("POST", `${t!.adminUrl}/api/streams/${stream}/feed/refresh`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The app with one rules file in its rules folder. */
async function appWithRules(yaml: string, options: Parameters<typeof startApp>[1] = {}): Promise<TestApp> {
  const root = await tempDir("yss-feed-rules-");
  await mkdir(path.join(root, "rules"), {recursive: true});
  await writeFile(path.join(root, "rules", "rules.yaml"), yaml);
  return startApp([], {dataDir: path.join(root, "data"), mediaDir: path.join(root, "media"), ...options});
}

const titles = (view: {episodes: Array<{title: string}>}) => view.episodes.map((e) => e.title);

describe("streams that follow a podcast feed", () => {
  it("keeps the newest episodes in the order asked for, skips promos, takes in a new one and lets the oldest go", async () => {
    t = await startApp();
    server.episodes = [episode(1), episode(2, {title: "Trailer", duration: 30}), episode(3), episode(4)];
    server.bump();
    // Through a redirect, as feeds that moved host are.
    const first = await follow("tales", {
      url: `${server.url}/old-feed.xml`,
      keep: 2,
      order: "oldest_first",
      skip_shorter_than: "1m",
    });
    expect(titles(first)).toEqual(["Tale 3", "Tale 4"]);
    expect(first).toMatchObject({keep: 2, order: "oldest_first", skip_shorter_than: "1m", error: null});
    expect(first.title).toBe("Bedtime Tales");
    const stream = (await call("GET", `${t.adminUrl}/api/streams/tales`)).body;
    expect(stream.items.map((i: {id: string}) => i.id)).toEqual(first.episodes.map((e: {item: string}) => e.item));
    expect(stream.feed.last_refresh).not.toBeNull();
    // Checked and normalised like an upload: MP3 at 44.1 kHz, mono.
    const item = t.app.library.get(first.episodes[0].item)!;
    expect([item.codec, item.sampleRate, item.channels, item.relPath]).toEqual([
      "MPEG 1 Layer 3",
      44100,
      1,
      "feeds/tales/Tale 3.mp3",
    ]);

    server.episodes.push(episode(5));
    server.bump();
    const next = await refresh("tales");
    expect(titles(next)).toEqual(["Tale 4", "Tale 5"]);
    // Tale 4 was kept, not fetched again; Tale 3 left the library and the disk.
    expect(server.requests("/audio/4.mp3")).toHaveLength(1);
    expect(next.episodes[0].item).toBe(first.episodes[1].item);
    expect(t.app.library.get(first.episodes[0].item)).toBeUndefined();
    expect((await readdir(path.join(t.dataDir, "uploads", "feeds", "tales"))).sort()).toEqual([
      "Tale 4.mp3",
      "Tale 5.mp3",
    ]);

    // Newest first: the same episodes, the other way round, nothing downloaded again.
    const newest = await follow("tales", {url: `${server.url}/feed.xml`, keep: 2, order: "newest_first"});
    expect(titles(newest)).toEqual(["Tale 5", "Tale 4"]);
    expect(server.requests("/audio/5.mp3")).toHaveLength(1);
    const queue = (await call("GET", `${t.adminUrl}/api/streams/tales`)).body.items.map((i: {id: string}) => i.id);
    expect(queue).toEqual(newest.episodes.map((e: {item: string}) => e.item));
  });

  it("asks again with the feed's ETag, so an unchanged feed costs one small answer", async () => {
    t = await startApp();
    server.episodes = [episode(1), episode(2)];
    server.bump();
    await follow("unchanged", {url: `${server.url}/feed.xml`});
    server.log.length = 0;
    const again = await refresh("unchanged");
    expect(server.log).toEqual([{method: "GET", path: "/feed.xml", conditional: true, status: 304}]);
    expect(titles(again)).toEqual(["Tale 1", "Tale 2"]);
    expect(again.error).toBeNull();
  });

  it("keeps the last good episodes when the feed fails, and says why", async () => {
    t = await startApp();
    server.episodes = [episode(1), episode(2)];
    server.bump();
    const good = await follow("sturdy", {url: `${server.url}/feed.xml`});
    const queue = t.app.streams.get("sturdy").items;

    server.feedStatus = 500;
    const down = await refresh("sturdy");
    expect(down.error).toBe(`${server.url}/feed.xml answered 500`);
    expect(titles(down)).toEqual(titles(good));
    expect(t.app.streams.get("sturdy").items).toEqual(queue);
    expect(down.last_refresh).toBe(good.last_refresh);
    expect(
      t.logs.some(
        (l) =>
          l.includes(
            `The feed of stream 'sturdy' could not be refreshed: ${server.url}/feed.xml answered 500; it keeps its ${titles(good).length} episodes`,
          ) && /WARN/.test(l),
      ),
    ).toBe(true);
    expect((await call("GET", `${t.adminUrl}/api/health`)).body.services.feeds.details.failing).toEqual(["sturdy"]);

    server.feedStatus = undefined;
    server.feedBody = "<html><body><h1>Bedtime Tales</h1><p>Listen on your favourite app!</p></body></html>";
    server.bump();
    expect((await refresh("sturdy")).error).toBe(
      "it is not an RSS, Atom or JSON feed (is the address the feed's, not its web page?)",
    );
    server.feedBody = "<rss><channel><item><title>cut off";
    server.bump();
    expect((await refresh("sturdy")).error).toMatch(/^the feed cannot be read \(.+\)$/);
    expect(t.app.streams.get("sturdy").items).toEqual(queue);

    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await follow("nowhere", {url: `${closed}/feed.xml?token=private`});
    expect(unreachable.error).toBe(
      `${closed}/feed.xml could not be read (connection refused by ${closed.slice("http://".length)})`,
    );
    expect(unreachable.episodes).toEqual([]);
  });

  it("skips an episode that is not audio or too large, saying why, and brings in the rest", async () => {
    t = await startApp(["--upload_max_mb", "2"]);
    server.episodes = [
      episode(1, {title: "Tale 1: Owls & Moons"}),
      episode(2, {title: "Not audio", path: "/audio/page.html"}),
      episode(3, {title: "Enormous", path: "/audio/huge.mp3"}),
    ];
    server.bump();
    const view = await follow("mixed", {url: `${server.url}/feed.xml`});
    expect(titles(view)).toEqual(["Tale 1: Owls & Moons"]);
    // The library shows the feed's title as written, not the file name made of it.
    expect(t.app.library.get(view.episodes[0].item)?.title).toBe("Tale 1: Owls & Moons");
    expect(view.skipped).toEqual([
      {title: "Not audio", reason: expect.stringMatching(/^'Not audio\.html' is not audio that can be played \(.+\)$/)},
      {
        title: "Enormous",
        reason: `Could not fetch ${server.url}/audio/huge.mp3: it is 3.0 MiB, more than the 2.0 MiB allowed`,
      },
    ]);
    expect(view.error).toMatch(/^2 episodes could not be added: 'Not audio' \(.+\); 'Enormous' \(.+\)$/);
    // Nothing half-made is left behind.
    expect(await readdir(path.join(t.dataDir, "feed-downloads"))).toEqual([]);
  });

  it("stops at once while an episode is still downloading from a host that stalls", async () => {
    t = await startApp();
    server.hold.add("/audio/held.mp3");
    server.episodes = [episode(1, {path: "/audio/held.mp3"})];
    server.bump();
    const put = await call("PUT", `${t.adminUrl}/api/streams/stalled`, {feed: {url: `${server.url}/feed.xml`}});
    expect(put.status).toBe(202);
    await waitFor(() => server.held.includes("/audio/held.mp3"), "the download under way");
    // The host never sends the rest: a stop that waited for the download would never end.
    await t.stop();
    t = undefined;
    expect(server.held).toContain("/audio/held.mp3");
    server.hold.clear();
  });

  it("refuses feed options it does not know, with the fix", async () => {
    t = await startApp();
    const cases: Array<[unknown, string]> = [
      [{url: "ftp://example.com/feed"}, "feed.url must be the feed's http(s) address"],
      [{url: `${server.url}/feed.xml`, keep: 0}, "feed.keep must be a whole number from 1 to 100"],
      [{url: `${server.url}/feed.xml`, order: "random"}, "feed.order must be 'oldest_first' or 'newest_first'"],
      [
        {url: `${server.url}/feed.xml`, skip_shorter_than: "soon"},
        "feed.skip_shorter_than must be a length such as '2m' or '90s'",
      ],
      [
        {url: `${server.url}/feed.xml`, refresh_every: "5m"},
        "feed.refresh_every must be a length of at least 15m, such as '1h' or '6h'",
      ],
      [
        {url: `${server.url}/feed.xml`, __proto__x: 1},
        "feed has no option '__proto__x'; the options are url, keep, order, skip_shorter_than, refresh_every",
      ],
      ["https://example.com/feed", 'feed must be an object such as {"url": "https://example.com/podcast.xml"}'],
    ];
    for (const [feed, error] of cases) {
      const res = await call("PUT", `${t.adminUrl}/api/streams/bad`, {feed});
      expect([res.status, res.body]).toEqual([400, {error, code: "bad_feed"}]);
    }
    expect(t.app.streams.has("bad")).toBe(false);
    const badName = await call("PUT", `${t.adminUrl}/api/streams/Bedtime%20Tales`, {
      feed: {url: `${server.url}/feed.xml`},
    });
    expect([badName.status, badName.body.code]).toEqual([400, "bad_stream_name"]);
    server.episodes = [episode(1)];
    await follow("owned", {url: `${server.url}/feed.xml`});
    const replace = await call("PUT", `${t.adminUrl}/api/streams/owned`, {items: []});
    expect(replace.status).toBe(409);
    expect(replace.body.code).toBe("follows_feed");
  });
});

describe("feed streams in Home Assistant and in rules", () => {
  it("has a refresh button and a status sensor per feed that pass HA's rules, a bridge request, and a rule action", async () => {
    const rules = `- id: refresh_tales
  triggers:
    - trigger: mqtt
      topic: test/refresh
  actions:
    - action: stream.refresh_feed
      stream: tales
    - action: mqtt.publish
      topic: test/refreshed
      payload: done
`;
    server.episodes = [episode(1)];
    server.bump();
    t = await appWithRules(rules);
    await follow("tales", {url: `${server.url}/feed.xml`});
    // Rules name streams that exist: loaded again once the feed stream is there.
    await t.app.rules.reload();
    const login = t.app.broker.summary().login!;
    const w = await watchBroker({url: t.app.broker.connection().url, ...login}, ["#"]);
    try {
      const discovery = "homeassistant/device/yoto_bridge_yoto/config";
      await waitFor(() => w.lastJson(discovery)?.components?.feed_tales_refresh !== undefined, "the feed's entities");
      await waitFor(() => w.lastJson("yoto/bridge/info")?.feeds?.tales?.episodes === 1, "the feed in the bridge info");
      const retained = new Map(w.seen.map((m) => [m.topic, m.payload]));
      const payloads = [{topic: discovery, payload: w.lastJson(discovery)}];
      expect(checkDiscovery(payloads, retained)).toEqual([]);
      expect(w.lastJson("yoto/bridge/info").feeds.tales).toMatchObject({status: "ok", episodes: 1});

      // The button's press, as Home Assistant sends it.
      server.episodes.push(episode(2));
      server.bump();
      const button = w.lastJson(discovery).components.feed_tales_refresh;
      await w.client.publishAsync(button.command_topic, button.payload_press);
      await waitFor(() => w.last("yoto/bridge/response/stream/refresh") !== undefined, "the response");
      expect(w.lastJson("yoto/bridge/response/stream/refresh")).toMatchObject({
        status: "ok",
        data: {stream: "tales", episodes: 2, error: null},
      });

      // A failing feed: the sensor says why.
      server.feedStatus = 503;
      expect(t.app.rules.errors()).toEqual([]);
      await w.client.publishAsync("test/refresh", "go");
      await waitFor(() => w.last("test/refreshed") === "done", "the rule's next step, after the refresh");
      await waitFor(() => w.lastJson("yoto/bridge/info")?.feeds?.tales?.status !== "ok", "the failing status");
      expect(w.lastJson("yoto/bridge/info").feeds.tales).toMatchObject({
        status: `${server.url}/feed.xml answered 503`,
        episodes: 2,
      });
    } finally {
      await w.close();
    }
  });

  it("refuses a rule's queue edit that the next refresh would undo, as HTTP refuses it, and adds in front of the episodes", async () => {
    const action = (id: string, body: string) => `- id: ${id}
  triggers: [{trigger: mqtt, topic: test/${id}}]
  actions:
    - action: ${body}
`;
    const rules = [
      action("replace", "stream.replace\n      stream: owned\n      items: []"),
      action("insert", "stream.insert\n      stream: owned\n      items: [greeting.mp3]\n      index: 1"),
      action("radio", "stream.set_radio\n      stream: owned\n      url: https://radio.example/kids.mp3"),
      action("remove", "stream.remove\n      stream: owned\n      index: 0"),
      action("append", "stream.append\n      stream: owned\n      items: [greeting.mp3]"),
    ].join("");
    const mediaDir = await tempDir("yss-feed-own-");
    await makeTone(path.join(mediaDir, "greeting.mp3"), {seconds: 1, frequency: 880});
    server.episodes = [episode(1), episode(2)];
    server.bump();
    t = await appWithRules(rules, {mediaDir});
    await follow("owned", {url: `${server.url}/feed.xml`});
    expect((await t.app.rules.reload()).errors).toEqual([]);
    const episodes = t.app.streams.get("owned").items;
    expect(episodes).toHaveLength(2);
    const refused = async (rule: string) => (await t!.app.rules.run(rule))?.actions[0]?.error;

    const http = [
      await call("PUT", `${t.adminUrl}/api/streams/owned`, {items: []}),
      await call("POST", `${t.adminUrl}/api/streams/owned/queue`, {items: ["greeting.mp3"], index: 1}),
      await call("PUT", `${t.adminUrl}/api/streams/owned`, {radio: {url: "https://radio.example/kids.mp3"}}),
    ];
    expect(http.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([409, "follows_feed"]));
    expect(await refused("replace")).toBe(http[0]!.body.error);
    expect(await refused("insert")).toBe(http[1]!.body.error);
    expect(await refused("radio")).toBe(http[2]!.body.error);
    // Over HTTP an episode's row is hidden instead; a rule has no hide, so it is told how.
    expect(await refused("remove")).toBe(
      "Stream 'owned' follows a feed, which would bring episode 0 back at its next refresh: hide it instead (DELETE /api/streams/owned/queue/0 hides an episode)",
    );
    expect(t.app.streams.get("owned").items).toEqual(episodes);

    // Without an index, the item goes where the refresh keeps it: in front of the episodes.
    expect(await refused("append")).toBeUndefined();
    const greeting = t.app.library.items().find((i) => i.relPath === "greeting.mp3")!.id;
    expect(t.app.streams.get("owned").items).toEqual([greeting, ...episodes]);
  });
});

describe("a card made from a feed stream", () => {
  it("has a chapter per episode and follows the feed, keeping what the family set in Yoto's app", async () => {
    const sim = await startSimulator();
    try {
      t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints, linkToOwnAudioListener: true});
      await linkAccount(t.app.account);
      server.episodes = [episode(1), episode(2), episode(3)];
      server.bump();
      await follow("tales", {url: `${server.url}/feed.xml`, keep: 2});
      const made = await call("POST", `${t.adminUrl}/api/cards`, {
        from: "stream",
        stream: "tales",
        title: "Bedtime Tales",
        icon: "yoto:#feedIcon0001",
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const cardId = made.body.card.cardId as string;
      const chapters = () => sim.card(cardId)!.content.chapters;
      expect(chapters().map((c) => [c.key, c.title])).toEqual([
        ["01", "Tale 2"],
        ["02", "Tale 3"],
      ]);
      // Each chapter plays its episode's own file, so the player's buttons skip between episodes.
      const tale3 = t.app.feeds.episodes("tales")[1]!;
      expect(chapters()[1]!.tracks[0].trackUrl).toContain(`/audio/${tale3.itemId}`);

      // In Yoto's app the family gives Tale 3 an icon and renames the card.
      sim.editCard(cardId, (edited) => {
        edited.title = "Emma's tales";
        edited.content.chapters[1]!.display = {icon16x16: "yoto:#family-icon"};
      });

      server.episodes.push(episode(4));
      server.bump();
      await refresh("tales");
      await waitFor(() => chapters().some((c) => c.title === "Tale 4"), "the card's new chapters");
      expect(chapters().map((c) => [c.key, c.title, c.display?.icon16x16 ?? null])).toEqual([
        ["01", "Tale 3", "yoto:#family-icon"],
        ["02", "Tale 4", "yoto:#feedIcon0001"],
      ]);
      expect(sim.card(cardId)!.title).toBe("Emma's tales");
      expect(chapters().map((c) => c.tracks[0].key)).toEqual(["01", "02"]);
    } finally {
      await t?.stop();
      t = undefined;
      await sim.stop();
    }
  });
});

describe("spoken daily content", () => {
  it.skipIf(!SPEECH.path)(
    "speaks a templated greeting into the head of a stream, keeps only the newest, and says when HA templates cannot be used",
    async () => {
      const rules = `- id: greeting
  triggers: [{trigger: mqtt, topic: test/greeting}]
  actions:
    - action: stream.speak
      stream: morning
      message: "Good morning Emma, it is {{ trigger.day }}."
- id: weather
  triggers: [{trigger: mqtt, topic: test/weather}]
  actions:
    - action: stream.speak
      stream: morning
      ha_template: "It will be {{ states('weather.home') }} today."
`;
      server.episodes = [episode(1)];
      server.bump();
      t = await appWithRules(rules);
      await follow("morning", {url: `${server.url}/feed.xml`});
      expect((await t.app.rules.reload()).errors).toEqual([]);
      const episodeItem = t.app.feeds.episodes("morning")[0]!.itemId;

      const first = await t.app.rules.run("greeting", {day: "Tuesday"} as never);
      expect(first?.result, JSON.stringify(first)).toBe("completed");
      const queue = () => t!.app.streams.get("morning").items;
      const spokenItems = () => t!.app.library.items().filter((i) => i.relPath.startsWith("spoken/morning/"));
      expect(queue()).toEqual([spokenItems()[0]!.id, episodeItem]);
      expect(spokenItems()[0]).toMatchObject({codec: "MPEG 1 Layer 3", channels: 1});
      expect(spokenItems()[0]!.duration).toBeGreaterThan(1);

      // The next morning's greeting replaces it; the feed's refresh keeps it in front.
      await t.app.rules.run("greeting", {day: "Wednesday"} as never);
      expect(spokenItems()).toHaveLength(1);
      expect(queue()).toEqual([spokenItems()[0]!.id, episodeItem]);
      server.episodes.push(episode(2));
      server.bump();
      await refresh("morning");
      expect(queue()[0]).toBe(spokenItems()[0]!.id);
      expect(queue()).toHaveLength(3);

      const weather = await t.app.rules.run("weather");
      expect(weather?.actions[0]?.error).toBe(
        "ha_template needs Home Assistant, and this service is not running inside it: write the text in 'message' with the rules' own {{ }} expressions",
      );
    },
  );
});

describe("spoken daily content inside Home Assistant", () => {
  it("has Home Assistant render the template and speak it with the family's engine", async () => {
    const audio = await readFile(await makeTone(path.join(await tempDir("yss-ha-tts-"), "speech.mp3"), {seconds: 2}));
    const asked: Array<{url: string; body: Record<string, unknown>}> = [];
    const core = http.createServer(async (req, res) => {
      if (req.headers.authorization !== "Bearer sup-token") return res.writeHead(401).end("401: Unauthorized");
      let text = "";
      for await (const chunk of req) text += chunk;
      if (text) asked.push({url: req.url ?? "", body: JSON.parse(text)});
      if (req.url === "/core/api/template")
        return res.writeHead(200, {"Content-Type": "text/plain"}).end("It will be sunny today.");
      if (req.url === "/core/api/states") return res.writeHead(200).end(JSON.stringify([{entity_id: "tts.piper"}]));
      if (req.url === "/core/api/tts_get_url")
        return res
          .writeHead(200)
          .end(JSON.stringify({url: "http://ha/api/tts_proxy/a.mp3", path: "/api/tts_proxy/a.mp3"}));
      if (req.url === "/core/api/tts_proxy/a.mp3") return res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(audio);
      return res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => core.listen(0, "127.0.0.1", resolve));
    try {
      const rules = `- id: weather
  triggers: [{trigger: mqtt, topic: test/weather}]
  actions:
    - action: stream.speak
      stream: morning
      ha_template: "It will be {{ states('weather.home') }} today."
`;
      t = await appWithRules(rules, {
        homeAssistant: true,
        supervisor: {url: `http://127.0.0.1:${(core.address() as AddressInfo).port}`, token: "sup-token"},
      });
      const run = await t.app.rules.run("weather");
      expect(run?.result, JSON.stringify(run)).toBe("completed");
      // The add-on's MCP offer goes to the Supervisor too, on its own (assistants/supervisorOffer.ts).
      expect(asked.filter((a) => a.url !== "/discovery").map((a) => [a.url, a.body])).toEqual([
        ["/core/api/template", {template: "It will be {{ states('weather.home') }} today."}],
        ["/core/api/tts_get_url", {engine_id: "tts.piper", message: "It will be sunny today.", cache: true}],
      ]);
      const item = t.app.library.get(t.app.streams.get("morning").items[0]!)!;
      expect(item.relPath).toMatch(/^spoken\/morning\/Spoken .+\.mp3$/);
    } finally {
      core.closeAllConnections();
      await new Promise((resolve) => core.close(resolve));
    }
  });
});
