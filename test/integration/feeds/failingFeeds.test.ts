import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {HealthOverview} from "../../../src/shared/api/health.js";
import type {StreamView} from "../../../src/shared/api/streams.js";
import {makeTone} from "../../helpers/audio.js";
import {taleEpisode as episode, FeedServer} from "../../helpers/feedServer.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {renderValueTemplate} from "../../helpers/haTemplates.js";
import {call} from "../../helpers/http.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const BRIDGE_DISCOVERY = "homeassistant/device/yoto_bridge_yoto/config";
const INFO = "yoto/bridge/info";

let server: FeedServer;
beforeAll(async () => {
  server = new FeedServer();
  await server.start();
  const dir = await tempDir("yss-failing-feeds-");
  server.files.set("/audio/1.mp3", await makeTone(path.join(dir, "1.mp3"), {seconds: 1, frequency: 400}));
}, 30_000);
afterAll(() => server.stop());

const startLinked = linkedBridge();

describe("failing podcast feeds (issue 35: the Health page said everything was working)", () => {
  it("are problems on the Health overview, marked in the streams list, and a problem sensor in Home Assistant", async () => {
    const {t, watcher: w} = await startLinked();
    const admin = t.adminUrl;
    await waitFor(() => t.app.players.cloud.state === "connected", "the cloud connection");
    const overview = async () => (await call("GET", `${admin}/api/health/overview`)).body as HealthOverview;
    expect((await overview()).attention).toEqual([]);

    // Before any feed the problem sensor is there, off, and passes HA's rules.
    await waitFor(() => w.lastJson(BRIDGE_DISCOVERY)?.components?.feeds_problem !== undefined, "the problem sensor");
    await waitFor(() => w.lastJson(INFO)?.failing_feeds !== undefined, "the failing feeds in the bridge info");
    const sensor = w.lastJson(BRIDGE_DISCOVERY).components.feeds_problem;
    expect(sensor).toMatchObject({platform: "binary_sensor", device_class: "problem", name: "Podcast feeds"});
    expect(renderValueTemplate(sensor.value_template, w.last(INFO) as string)).toBe("OFF");

    // One feed worked and then its host fails; the other's address was never right.
    server.episodes = [episode(1)];
    server.bump();
    for (const [stream, url] of [
      ["tales", `${server.url}/feed.xml`],
      ["news", `${server.url}/gone.xml`],
    ]) {
      const put = await call("PUT", `${admin}/api/streams/${stream}`, {feed: {url}});
      expect(put.status, JSON.stringify(put.body)).toBe(202);
      await call("POST", `${admin}/api/streams/${stream}/feed/refresh`);
    }
    server.feedStatus = 500;
    const down = await call("POST", `${admin}/api/streams/tales/feed/refresh`);
    expect(down.body.error).toBe(`${server.url}/feed.xml answered 500`);

    const failing = await overview();
    expect(failing.status).toBe("degraded");
    expect(failing.attention).toEqual([
      `The podcast feed of stream 'news' has failed for less than a minute: ${server.url}/gone.xml answered 404. Check the feed's address in the Streams tab: the podcast may have moved or ended.`,
      `The podcast feed of stream 'tales' has failed for less than a minute: ${server.url}/feed.xml answered 500. The podcast's server has a problem: the feed is tried again at every refresh.`,
    ]);
    expect(failing.feeds.following).toBe(2);
    expect(failing.feeds.failing.map((f) => [f.stream, f.error])).toEqual([
      ["news", `${server.url}/gone.xml answered 404`],
      ["tales", `${server.url}/feed.xml answered 500`],
    ]);
    // The feeds service is running with problems, as a store that cannot write is.
    const health = (await call("GET", `${admin}/api/health`)).body;
    expect([health.status, health.services.feeds.degraded]).toEqual(["degraded", true]);
    expect(health.services.feeds.error).toBe(
      `Podcast feeds failing: 'news' (${server.url}/gone.xml answered 404); 'tales' (${server.url}/feed.xml answered 500)`,
    );

    // Failing again keeps the time it began; the streams list says it too.
    const since = failing.feeds.failing.find((f) => f.stream === "tales")!.since;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await call("POST", `${admin}/api/streams/tales/feed/refresh`);
    expect((await overview()).feeds.failing.find((f) => f.stream === "tales")!.since).toBe(since);
    const streams = (await call("GET", `${admin}/api/streams`)).body.streams as StreamView[];
    const feedOf = (name: string) => streams.find((s) => s.name === name)!.feed!;
    expect([feedOf("tales").error, feedOf("tales").failing_since]).toEqual([
      `${server.url}/feed.xml answered 500`,
      since,
    ]);
    expect(feedOf("news").error).toBe(`${server.url}/gone.xml answered 404`);
    expect(feedOf("tales").episodes.map((e) => e.title)).toEqual(["Tale 1"]);

    // Home Assistant: on, with each failing stream and why; the discovery still passes its rules.
    await waitFor(() => Object.keys(w.lastJson(INFO)?.failing_feeds ?? {}).length === 2, "both feeds in the info");
    expect(renderValueTemplate(sensor.value_template, w.last(INFO) as string)).toBe("ON");
    expect(JSON.parse(renderValueTemplate(sensor.json_attributes_template, w.last(INFO) as string))).toEqual({
      failing_feeds: {news: `${server.url}/gone.xml answered 404`, tales: `${server.url}/feed.xml answered 500`},
    });
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);

    // The host is back: that feed's problem is gone everywhere, the other's stays.
    server.feedStatus = undefined;
    const back = await call("POST", `${admin}/api/streams/tales/feed/refresh`);
    expect([back.body.error, back.body.failing_since]).toEqual([null, null]);
    expect((await overview()).attention).toEqual([
      `The podcast feed of stream 'news' has failed for less than a minute: ${server.url}/gone.xml answered 404. Check the feed's address in the Streams tab: the podcast may have moved or ended.`,
    ]);
    await waitFor(() => Object.keys(w.lastJson(INFO)?.failing_feeds ?? {}).length === 1, "one feed left failing");
    expect(w.lastJson(INFO).failing_feeds).toEqual({news: `${server.url}/gone.xml answered 404`});

    // Nothing followed that fails: all well again, the sensor off.
    await call("DELETE", `${admin}/api/streams/news/feed`);
    await waitFor(() => Object.keys(w.lastJson(INFO)?.failing_feeds ?? {x: 1}).length === 0, "no feed failing");
    expect(renderValueTemplate(sensor.value_template, w.last(INFO) as string)).toBe("OFF");
    const well = await overview();
    expect([well.status, well.attention, well.feeds]).toEqual(["ok", [], {following: 1, failing: []}]);
  }, 30_000);
});
