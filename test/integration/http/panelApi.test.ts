import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import {gunzipSync} from "node:zlib";
import {afterEach, describe, expect, it} from "vitest";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {simulatorHands} from "../../../src/sim/hands.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call, rawRequest} from "../../helpers/http.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
let sim: YotoSimulator | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  t = undefined;
  sim = undefined;
});

const LIVING_ROOM = "y7s9dk3mqp2x8v4n1c6b0zlq";

async function demoLikeApp(): Promise<TestApp> {
  sim = await startSimulator();
  addSongsCard(sim);
  const app = await startApp(["--yoto_client_id", CLIENT_ID], {
    cloud: sim.endpoints,
    virtualHands: simulatorHands(sim),
  });
  await linkAccount(app.app.account);
  await waitFor(() => app.app.players.list().length === 2, "both players");
  return app;
}

/** Read server-sent events until `until` matches one; resolves with the events seen. */
function readEvents(url: string, until: (event: string, data: unknown) => boolean) {
  const seen: Array<{event: string; data: unknown}> = [];
  let request: http.ClientRequest | undefined;
  const done = new Promise<typeof seen>((resolve, reject) => {
    request = http.get(url, (res) => {
      expect(res.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
      let buffer = "";
      res.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const event = block.match(/^event: (.+)$/m)?.[1];
          const data = block.match(/^data: (.+)$/m)?.[1];
          if (!event || data === undefined) continue;
          seen.push({event, data: JSON.parse(data)});
          if (until(event, JSON.parse(data))) resolve([...seen]);
        }
      });
    });
    request.on("error", reject);
  });
  return {done, close: () => request?.destroy()};
}

describe("what the panel needs from the admin API", () => {
  it("serves the built panel's files gzipped and immutable, and nothing outside assets", async () => {
    t = await startApp();
    const index = await (await fetch(`${t.adminUrl}/`)).text();
    const script = index.match(/src="\.\/assets\/([^"]+\.js)"/)?.[1];
    expect(script, "index.html loads its script by a relative URL").toBeDefined();
    const onDisk = await readFile(path.join(PACKAGE_ROOT, "dist", "ui", "assets", script as string));

    const zipped = await rawRequest(`${t.adminUrl}/assets/${script}`, {headers: {"Accept-Encoding": "gzip, br"}});
    expect(zipped.status).toBe(200);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(zipped.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(gunzipSync(zipped.body).equals(onDisk)).toBe(true);
    expect(zipped.body.length).toBeLessThan(onDisk.length / 2);

    const plain = await rawRequest(`${t.adminUrl}/assets/${script}`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(onDisk)).toBe(true);

    for (const bad of ["nothing-here.js", "..%2Fpackage.json", "index.html"])
      expect((await rawRequest(`${t.adminUrl}/assets/${bad}`)).status, bad).toBe(404);
    expect((await readdir(path.join(PACKAGE_ROOT, "dist", "ui", "assets"))).length).toBeGreaterThan(0);
  });

  it("streams live events over SSE and drops a closed client's subscriptions", async () => {
    t = await demoLikeApp();
    const baseline = t.app.bus.listenerCount("player.changed");
    const events = readEvents(`${t.adminUrl}/api/events`, (event, data) => {
      const player = (data as {player?: {id: string; volume: {percent?: number}}}).player;
      return event === "player.changed" && player?.id === LIVING_ROOM && (player.volume.percent ?? 0) > 50;
    });
    await waitFor(() => t!.app.bus.listenerCount("player.changed") === baseline + 1, "the client subscribed");
    const knob = await call("POST", `${t.adminUrl}/api/virtual/${LIVING_ROOM}/knob`, {steps: 2});
    expect(knob).toEqual({status: 200, body: {ok: true}});
    const seen = await events.done;
    expect(seen[0]).toEqual({event: "hello", data: {}});
    const last = seen.at(-1)?.data as {player: {volume: {percent: number}}; changed: string[]; previous?: unknown};
    expect(last.player.volume.percent).toBeGreaterThan(50);
    expect(last.changed).toContain("volume");
    expect(last.previous).toBeUndefined();
    events.close();
    await waitFor(() => t!.app.bus.listenerCount("player.changed") === baseline, "the subscription dropped");
  });

  it("gives the demo's virtual players hands, with errors that say what to do", async () => {
    t = await demoLikeApp();
    const base = `${t.adminUrl}/api/virtual`;
    expect(await call("GET", base)).toEqual({
      status: 200,
      body: {
        players: [
          {id: LIVING_ROOM, name: "Living Room"},
          {id: "y2m8rj5tnw4h9f1g7e3k6aqp", name: "Bedroom Mini"},
        ],
      },
    });
    expect(await call("POST", `${base}/${LIVING_ROOM}/press`, {button: "left"})).toEqual({
      status: 409,
      body: {error: "Pressing left did nothing: insert a card first", code: "nothing_to_press"},
    });
    expect(await call("POST", `${base}/${LIVING_ROOM}/press`, {button: "up"})).toEqual({
      status: 400,
      body: {error: 'Send {"button": "left"} or {"button": "right"}', code: "bad_request"},
    });
    expect(await call("POST", `${base}/${LIVING_ROOM}/knob`, {steps: 1.5})).toEqual({
      status: 400,
      body: {error: 'Send {"steps": n}: a whole number of clicks, negative to turn down', code: "bad_request"},
    });
    expect(await call("POST", `${base}/${LIVING_ROOM}/card`, {cardId: "nope"})).toEqual({
      status: 404,
      body: {error: "There is no card 'nope' on the account", code: "unknown_card"},
    });
    expect(await call("POST", `${base}/kitchen/press`, {button: "left"})).toEqual({
      status: 404,
      body: {
        error: "'kitchen' is not a virtual player: only the demo's simulated players have buttons to press here",
        code: "not_virtual",
      },
    });

    // The family's cards, for the pickers; inserting one plays it.
    const {body: cards} = await call("GET", `${t.adminUrl}/api/account/cards`);
    expect(cards.cards).toContainEqual({cardId: "songs", title: "Songs", madeByFamily: true});
    expect(await call("POST", `${base}/${LIVING_ROOM}/card`, {cardId: "songs"})).toEqual({
      status: 200,
      body: {ok: true},
    });
    await waitFor(() => t!.app.players.get(LIVING_ROOM).playback.cardId === "songs", "the card playing");
  });

  it("has no hands outside the demo", async () => {
    t = await startApp();
    expect(await call("GET", `${t.adminUrl}/api/virtual`)).toEqual({status: 200, body: {players: []}});
    expect((await call("POST", `${t.adminUrl}/api/virtual/${LIVING_ROOM}/press`, {button: "left"})).body.code).toBe(
      "not_virtual",
    );
  });

  it("lists no family cards before the account is linked, and says so", async () => {
    t = await startApp();
    expect(await call("GET", `${t.adminUrl}/api/account/cards`)).toEqual({
      status: 409,
      body: {error: "No Yoto account is linked yet: link one on the panel's Account page", code: "not_linked"},
    });
  });

  it("plays a stream on a player, asking for the player when it is missing", async () => {
    t = await startApp();
    expect(await call("POST", `${t.adminUrl}/api/streams/songs/play`, {})).toEqual({
      status: 400,
      body: {error: `'player' is missing. Send {"player": "<player id or name>"}`, code: "invalid_body"},
    });
  });
  it("answers 'Run now' once a long rule is under way, and the run goes on", async () => {
    const root = await tempDir("yss-run-now-");
    await mkdir(path.join(root, "rules"));
    // The run waits for a message the test sends only after the answer: long for as long as it must be.
    await writeFile(
      path.join(root, "rules", "slow.yaml"),
      "- id: slow\n  triggers: [{trigger: mqtt, topic: never/here}]\n  actions:\n    - wait_for_trigger: {trigger: mqtt, topic: test/go}\n      timeout: 60\n      continue_on_timeout: false\n    - action: log\n      message: slow rule done\n",
    );
    t = await startApp([], {
      dataDir: path.join(root, "data"),
      mediaDir: path.join(root, "media"),
      runAnswerWithinMs: 200,
    });
    const answer = await call("POST", `${t.adminUrl}/api/rules/slow/run`, {});
    expect(answer.status).toBe(202);
    expect(answer.body.trace).toMatchObject({rule: "slow", result: "running", trigger: {type: "manual"}});
    expect(t.app.rules.traces("slow")[0]?.result).toBe("running");
    // The step subscribes as it starts, a moment after the answer: say "go" until it is heard.
    const mqtt = await watchBroker(t.app.broker.connection(), ["test/go"]);
    const done = () => t!.logs.some((l) => l.includes("slow rule done"));
    for (let tries = 0; !done() && tries < 100; tries++) {
      await mqtt.client.publishAsync("test/go", "now");
      await waitFor(done, "the run finished", 100).catch(() => undefined);
    }
    await mqtt.close();
    expect(done()).toBe(true);
    expect(t.app.rules.traces("slow")[0]?.result).toBe("completed");
  });
});
