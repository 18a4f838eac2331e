import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {simulateRules} from "../../../src/rules/simulate.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {type Icecast, startIcecast, until} from "../../helpers/icecast.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {listen, putStream, streamView, tinyServer} from "../../helpers/radio.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

const ICECAST = systemNeed("icecast2");

let icecast: Icecast;
let t: TestApp;
const closers: Array<() => Promise<void>> = [];

describe.skipIf(!ICECAST.path)("a station address with a listener token in its query", () => {
  beforeAll(async () => {
    icecast = await startIcecast();
    await icecast.feed("kids");
    t = await startApp([], {radio: {lingerMs: 200}});
  }, 60_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await t?.stop();
    await icecast?.stop();
  });

  it("plays, and shows the query as '?…' everywhere: the API, bridge/info (HA's attributes), events, health and the log", async () => {
    const watcher = await watchBroker(t.app.broker.connection(), ["yoto/#", "homeassistant/#"]);
    closers.push(() => watcher.close());
    const events: string[] = [];
    for (const name of ["radio.stateChanged", "radio.songChanged", "stream.changed"] as const)
      t.app.bus.on({}, name, (e) => {
        events.push(JSON.stringify(e));
      });

    const put = await putStream(t, "kids", {radio: {url: `${icecast.url}/kids?token=tok-SECRET-1&listener=ben`}});
    expect(put.status).toBe(200);
    expect(put.body.stream.radio?.url).toBe(`${icecast.url}/kids?…`);
    // The station is fetched with its query: it plays.
    await icecast.setTitle("kids", "Row Your Boat");
    const player = await listen(t, "kids");
    await until(async () => (await streamView(t, "kids")).radio.now_playing === "Row Your Boat", "the song");
    await until(() => watcher.lastJson("yoto/bridge/info")?.radio?.kids?.state === "playing", "the station in HA");
    expect(watcher.lastJson("yoto/bridge/info").radio.kids.url).toBe(`${icecast.url}/kids?…`);
    player.close();

    // A station that sends the service on to an address with a token, which then fails.
    const redirecting = await tinyServer((req, res, base) => {
      if (req.url?.startsWith("/listen")) res.writeHead(302, {Location: `${base}/gone?token=tok-SECRET-2`}).end();
      else res.writeHead(404).end();
    });
    closers.push(() => redirecting.close());
    const refused = await putStream(t, "gone", {radio: {url: `${redirecting.url}/listen?token=tok-SECRET-3`}});
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(
      `The station at ${redirecting.url}/listen?… could not be played: ${redirecting.url}/gone?… answered 404`,
    );

    const health = await (await fetch(`${t.adminUrl}/api/health`)).text();
    const streams = await (await fetch(`${t.adminUrl}/api/streams`)).text();
    const everything = [
      streams,
      health,
      JSON.stringify(await streamView(t, "kids")),
      ...watcher.seen.map((m) => `${m.topic} ${m.payload}`),
      ...events,
      ...t.logs,
    ].join("\n");
    expect(everything).toContain("/kids?…");
    expect(everything).not.toMatch(/tok-SECRET|listener=ben/);
  }, 40_000);

  it("is shown with '?…' in a rule's simulated run (rules simulate)", async () => {
    const dir = path.join(await tempDir("yss-radio-rules-"), "rules");
    await mkdir(dir);
    await writeFile(
      path.join(dir, "radio.yaml"),
      `- id: tune_in
  triggers: [{trigger: mqtt, topic: test/radio}]
  actions:
    - action: stream.set_radio
      stream: kids
      url: "https://radio.example/kids.mp3?token=tok-SECRET-4"
`,
    );
    const {runs} = await simulateRules(dir, {
      at: Date.now(),
      timeZone: "UTC",
      event: {type: "mqtt", topic: "test/radio", payload: "go"},
      services: {log: new Logger({sink: () => {}})},
    });
    expect(runs.map((r) => r.would)).toEqual([[`stream.set_radio 'kids' url="https://radio.example/kids.mp3?…"`]]);
  });
});
