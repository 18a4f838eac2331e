import {createHash, randomBytes} from "node:crypto";
import http from "node:http";
import type {AddressInfo} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {CLIENT_ID, connectMqtt, nextMessage, pkceTokens, REDIRECT, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";

let sim: YotoSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const form = (body: Record<string, string>) => ({
  method: "POST",
  headers: {"Content-Type": "application/x-www-form-urlencoded"},
  body: new URLSearchParams(body),
});
const LIVING_ROOM = "y7s9dk3mqp2x8v4n1c6b0zlq";

describe("simulated OAuth", () => {
  it("issues JWT-shaped tokens through PKCE and refuses a wrong verifier or a reused code", async () => {
    sim = await startSimulator({tokenTtlSeconds: 600});
    const tokens = await pkceTokens(sim);
    expect(tokens.expires_in).toBe(600);
    const claims = JSON.parse(Buffer.from(tokens.access_token.split(".")[1] as string, "base64url").toString());
    expect(claims).toMatchObject({sub: "auth0|sim-family-user", aud: "https://api.yotoplay.com", azp: CLIENT_ID});
    expect(claims.exp - claims.iat).toBe(600);

    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const redirect = await fetch(
      `${sim.url}/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=${challenge}&code_challenge_method=S256&state=s1`,
      {redirect: "manual"},
    );
    const location = new URL(redirect.headers.get("location") as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("s1");
    const code = location.searchParams.get("code") as string;
    const exchange = {grant_type: "authorization_code", client_id: CLIENT_ID, code, redirect_uri: REDIRECT};
    const wrong = await fetch(`${sim.url}/oauth/token`, form({...exchange, code_verifier: "nope"}));
    expect(wrong.status).toBe(403);
    expect(await jsonOf(wrong)).toEqual({error: "invalid_grant", error_description: "Failed to verify code verifier"});
    // A code is single-use, even after a failed attempt.
    const retry = await fetch(`${sim.url}/oauth/token`, form({...exchange, code_verifier: verifier}));
    expect(await jsonOf(retry)).toEqual({error: "invalid_grant", error_description: "Invalid authorization code"});
  });

  it("rotates refresh tokens: each works once, and revoked ones fail", async () => {
    sim = await startSimulator();
    const {refresh_token} = await pkceTokens(sim);
    const first = await jsonOf(
      await fetch(`${sim.url}/oauth/token`, form({grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token})),
    );
    expect(first.refresh_token).not.toBe(refresh_token);
    const reused = await fetch(
      `${sim.url}/oauth/token`,
      form({grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token}),
    );
    expect(reused.status).toBe(403);
    expect((await jsonOf(reused)).error).toBe("invalid_grant");
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({revokeRefreshTokens: true})});
    const revoked = await fetch(
      `${sim.url}/oauth/token`,
      form({grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: first.refresh_token}),
    );
    expect((await jsonOf(revoked)).error).toBe("invalid_grant");
  });

  it("runs the device-code flow: pending, slow_down, denied, approved, expired", async () => {
    sim = await startSimulator({deviceCodeIntervalSeconds: 1, deviceCodeTtlSeconds: 2});
    const start = async () =>
      jsonOf(await fetch(`${sim!.url}/oauth/device/code`, form({client_id: CLIENT_ID, scope: "offline_access"})));
    const poll = async (device_code: string) =>
      jsonOf(
        await fetch(
          `${sim!.url}/oauth/token`,
          form({grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: CLIENT_ID, device_code}),
        ),
      );
    const a = await start();
    expect(a).toMatchObject({
      user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
      verification_uri: `${sim.url}/activate`,
      interval: 1,
      expires_in: 2,
    });
    expect((await poll(a.device_code)).error).toBe("authorization_pending");
    expect((await poll(a.device_code)).error).toBe("slow_down");
    await fetch(`${sim.url}/activate?user_code=${a.user_code}`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await poll(a.device_code)).toMatchObject({token_type: "Bearer", access_token: expect.any(String)});
    const b = await start();
    await fetch(`${sim.url}/activate?user_code=${b.user_code}&deny`);
    expect((await poll(b.device_code)).error).toBe("access_denied");
    const c = await start();
    await new Promise((r) => setTimeout(r, 2100));
    expect((await poll(c.device_code)).error).toBe("expired_token");
  });
});

describe("simulated REST", () => {
  it("answers 401 without a token, and the envelopes of the reference with one", async () => {
    sim = await startSimulator();
    expect((await fetch(`${sim.url}/device-v2/devices/mine`)).status).toBe(401);
    const {access_token} = await pkceTokens(sim);
    const auth = {headers: {Authorization: `Bearer ${access_token}`}};
    const devices = await jsonOf(await fetch(`${sim.url}/device-v2/devices/mine`, auth));
    expect(devices.devices.map((d: {deviceType: string}) => d.deviceType)).toEqual(["v3", "mini"]);
    expect(devices.devices[0]).toMatchObject({
      deviceId: LIVING_ROOM,
      online: true,
      deviceFamily: "v3",
      formFactor: "standard",
    });
    const config = await jsonOf(await fetch(`${sim.url}/device-v2/${LIVING_ROOM}/config`, auth));
    expect(config.device.config).toMatchObject({maxVolumeLimit: "16", dayTime: "07:00"});
  });

  it("replaces the whole config block on PUT, resetting keys left out", async () => {
    sim = await startSimulator();
    const {access_token} = await pkceTokens(sim);
    const headers = {Authorization: `Bearer ${access_token}`, "Content-Type": "application/json"};
    await fetch(`${sim.url}/device-v2/${LIVING_ROOM}/config`, {
      method: "PUT",
      headers,
      body: JSON.stringify({config: {dayTime: "06:30", maxVolumeLimit: "10"}}),
    });
    await fetch(`${sim.url}/device-v2/${LIVING_ROOM}/config`, {
      method: "PUT",
      headers,
      body: JSON.stringify({config: {dayTime: "06:45"}}),
    });
    const config = (await jsonOf(await fetch(`${sim.url}/device-v2/${LIVING_ROOM}/config`, {headers}))).device.config;
    expect(config).toMatchObject({dayTime: "06:45", maxVolumeLimit: "16"});
  });

  it("creates, replaces and deletes content, and fails 5xx on demand", async () => {
    sim = await startSimulator();
    const {access_token} = await pkceTokens(sim);
    const headers = {Authorization: `Bearer ${access_token}`, "Content-Type": "application/json"};
    const content = {
      chapters: [
        {
          key: "01",
          title: "One",
          tracks: [{key: "01", title: "One", trackUrl: "https://x/a.mp3", type: "stream", format: "mp3"}],
        },
      ],
    };
    const created = await jsonOf(
      await fetch(`${sim.url}/content`, {method: "POST", headers, body: JSON.stringify({title: "Bedtime", content})}),
    );
    expect(created.card.cardId).toMatch(/^[A-Za-z0-9]{5}$/);
    const replaced = await jsonOf(
      await fetch(`${sim.url}/content`, {
        method: "POST",
        headers,
        body: JSON.stringify({cardId: created.card.cardId, title: "Bedtime 2", content}),
      }),
    );
    expect(replaced.card).toMatchObject({cardId: created.card.cardId, title: "Bedtime 2"});
    const bad = await fetch(`${sim.url}/content`, {
      method: "POST",
      headers,
      body: JSON.stringify({title: "", content}),
    });
    expect(await jsonOf(bad)).toEqual({error: {code: "bad-request", message: "title must be 1-100 characters"}});
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({fail5xx: 2})});
    expect((await fetch(`${sim.url}/content/mine`, {headers})).status).toBe(503);
    expect((await fetch(`${sim.url}/content/mine`, {headers})).status).toBe(503);
    expect((await jsonOf(await fetch(`${sim.url}/content/mine`, {headers}))).cards).toHaveLength(1);
    expect(await jsonOf(await fetch(`${sim.url}/content/${created.card.cardId}`, {method: "DELETE", headers}))).toEqual(
      {status: "ok"},
    );
  });

  it("reads shop cards only through /card/{id}, lists the family library, and reads uploads back as signed links", async () => {
    sim = await startSimulator();
    const {access_token} = await pkceTokens(sim);
    const headers = {Authorization: `Bearer ${access_token}`};
    const sha = "Zx4vT7xk9LpA4rZc8YwE1nH6sJd3fGbU0oVyKtRiXq5";
    sim.addStoreCard({
      cardId: "sHop1",
      title: "A Shop Story",
      content: {
        chapters: [
          {
            key: "01-INT",
            title: "Intro",
            tracks: [{key: "01-INT", title: "Intro", trackUrl: `yoto:#${sha}`, type: "audio"}],
          },
        ],
      },
    });
    sim.addCard({
      cardId: "own01",
      title: "Our Songs",
      content: {
        chapters: [
          {
            key: "01",
            title: "One",
            display: {icon16x16: "yoto:#iconMediaId0123456789"},
            tracks: [
              {key: "01", title: "Uploaded", trackUrl: `yoto:#${sha}`, type: "audio"},
              {key: "02", title: "Streamed", trackUrl: "https://home.example/audio/s.mp3", type: "stream"},
            ],
          },
        ],
      },
    });
    const shop = await fetch(`${sim.url}/content/sHop1`, {headers});
    expect(shop.status).toBe(404);
    expect(await jsonOf(shop)).toEqual({error: {code: "not-found", message: "Card sHop1 not found"}});
    const viaCard = await jsonOf(await fetch(`${sim.url}/card/sHop1`, {headers}));
    expect(viaCard.ownership).toMatchObject({cardIsMadeByUser: false, cardIsInFamilyLibrary: true});
    expect(viaCard.card.content.chapters[0].key).toBe("01-INT");
    const library = await jsonOf(await fetch(`${sim.url}/card/family/library`, {headers}));
    expect(library.cards.map((c: {cardId: string; card: {title: string}}) => [c.cardId, c.card.title])).toEqual([
      ["sHop1", "A Shop Story"],
      ["own01", "Our Songs"],
    ]);
    const mine = await jsonOf(await fetch(`${sim.url}/content/mine`, {headers}));
    expect(mine.cards.map((c: {cardId: string}) => c.cardId)).toEqual(["own01"]);
    const own = (await jsonOf(await fetch(`${sim.url}/content/own01`, {headers}))).card;
    const [uploaded, streamed] = own.content.chapters[0].tracks;
    expect(uploaded.trackUrl).toMatch(
      new RegExp(
        `^${sim.url.replaceAll(".", "\\.")}/secure-media/yoto/${sha}\\?Expires=\\d+&Policy=[\\w-]+&Signature=[\\w-]+&Key-Pair-Id=\\w+#sha256=${sha}$`,
      ),
    );
    expect(streamed.trackUrl).toBe("https://home.example/audio/s.mp3");
    expect(own.content.chapters[0].display.icon16x16).toBe(`${sim.url}/card-content/yoto/iconMediaId0123456789`);
    // Storage keeps the references; a shop card is not the family's to replace.
    expect(sim.card("own01")?.content.chapters[0]?.tracks[0]?.trackUrl).toBe(`yoto:#${sha}`);
    const edit = await fetch(`${sim.url}/content`, {
      method: "POST",
      headers: {...headers, "Content-Type": "application/json"},
      body: JSON.stringify({cardId: "sHop1", title: "Mine now", content: {chapters: []}}),
    });
    expect(edit.status).toBe(403);
  });
});

describe("simulated MQTT broker and players", () => {
  it("refuses a wrong username or token, and disconnects on a wildcard subscription", async () => {
    sim = await startSimulator();
    const {access_token} = await pkceTokens(sim);
    await expect(connectMqtt(sim, access_token, {username: "plain"})).rejects.toThrow();
    await expect(connectMqtt(sim, "not-a-token")).rejects.toThrow();
    const client = await connectMqtt(sim, access_token);
    const closed = new Promise((r) => client.once("close", () => r(undefined)));
    client.subscribe(`device/${LIVING_ROOM}/#`, {qos: 1});
    await closed;
    expect(
      sim.broker.refusals.some((r) => r.includes(`wildcard subscription 'device/${LIVING_ROOM}/#' is not allowed`)),
    ).toBe(true);
    client.end(true);
  });

  it("answers events/request with a full snapshot, retains presence, acks commands and FAILs unpadded keys", async () => {
    sim = await startSimulator();
    sim.addCard({
      cardId: "abcde",
      title: "Songs",
      content: {
        chapters: [
          {
            key: "01",
            title: "First",
            tracks: [{key: "01", title: "Song", trackUrl: "yoto:#x", type: "audio", duration: 60}],
          },
        ],
      },
    });
    const {access_token} = await pkceTokens(sim);
    const client = await connectMqtt(sim, access_token);
    const base = `device/${LIVING_ROOM}`;
    const presence = nextMessage(client, `${base}/presence`);
    await client.subscribeAsync(
      [`${base}/presence`, `${base}/data/events`, `${base}/data/status`, `${base}/response`],
      {qos: 1},
    );
    expect(await presence).toMatchObject({state: "online"});

    const events = nextMessage(client, `${base}/data/events`);
    await client.publishAsync(`${base}/command/events/request`, "", {qos: 1});
    expect(await events).toMatchObject({
      volume: 8,
      volumeMax: 16,
      cardId: "none",
      playbackStatus: "stopped",
      eventUtc: expect.any(Number),
    });

    const volumeEvent = nextMessage(client, `${base}/data/events`);
    const ack = nextMessage(client, `${base}/response`);
    await client.publishAsync(`${base}/command/volume/set`, JSON.stringify({volume: 75}), {qos: 1});
    expect(await ack).toEqual({status: {"set-volume": "OK", req_body: '{"volume":75}'}});
    expect(Object.keys(await volumeEvent).sort()).toEqual(["eventUtc", "volume", "volumeMax"]);

    const fail = nextMessage(client, `${base}/response`);
    await client.publishAsync(
      `${base}/command/card/start`,
      JSON.stringify({uri: "https://yoto.io/abcde", chapterKey: "1"}),
      {qos: 1},
    );
    expect(await fail).toMatchObject({status: {"card-play": "FAIL"}});
    const playing = nextMessage(client, `${base}/data/events`);
    await client.publishAsync(
      `${base}/command/card/start`,
      JSON.stringify({uri: "https://yoto.io/abcde", chapterKey: "01", trackKey: "01"}),
      {qos: 1},
    );
    expect(await playing).toMatchObject({
      cardId: "abcde",
      chapterKey: "01",
      trackTitle: "Song",
      playbackStatus: "playing",
      source: "remote",
    });

    const status = nextMessage(client, `${base}/data/status`);
    await client.publishAsync(`${base}/command/status/request`, "", {qos: 1});
    expect((await status).status).toMatchObject({
      statusVersion: 1,
      productType: "v3",
      activeCard: "abcde",
      userVolume: 75,
    });
    await client.endAsync();
  });

  it("drops the socket when its token expires, and after tokens are expired early", async () => {
    // Expiry is in whole seconds from a floored now: a 1 s token can be a few ms from expiring when
    // issued, and under load the connection came after it. Three seconds leaves at least two.
    sim = await startSimulator({tokenTtlSeconds: 3});
    const short = await pkceTokens(sim);
    const client = await connectMqtt(sim, short.access_token);
    await new Promise((r) => client.once("close", () => r(undefined)));
    client.end(true);
    await sim.stop();
    sim = await startSimulator({tokenTtlSeconds: 600});
    const long = await pkceTokens(sim);
    const other = await connectMqtt(sim, long.access_token);
    const closed = new Promise((r) => other.once("close", () => r(undefined)));
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({expireTokens: true})});
    await closed;
    await expect(connectMqtt(sim, long.access_token)).rejects.toThrow();
    other.end(true);
  });

  it("fetches stream tracks over HTTP and follows interactive buttons and track ends", async () => {
    const fetched: string[] = [];
    const audio = http.createServer((req, res) => {
      fetched.push(req.url as string);
      res.end(Buffer.alloc(32_000));
    });
    await new Promise<void>((r) => audio.listen(0, "127.0.0.1", r));
    const url = (scene: string) => `http://127.0.0.1:${(audio.address() as AddressInfo).port}/${scene}.mp3`;
    try {
      sim = await startSimulator();
      const track = (key: string, events: object) => ({
        key,
        title: key,
        trackUrl: url(key),
        type: "stream" as const,
        format: "mp3",
        duration: 0,
        events,
      });
      const goto = (k: string) => ({cmd: "goto" as const, params: {chapterKey: k, trackKey: k}});
      sim.addCard({
        cardId: "story",
        title: "Story",
        content: {
          playbackType: "interactive",
          chapters: [
            {key: "start", title: "Start", tracks: [track("start", {onLhb: goto("cave"), onRhb: goto("forest")})]},
            {key: "forest", title: "Forest", tracks: [track("forest", {onEnd: goto("start")})]},
            {key: "cave", title: "Cave", tracks: [track("cave", {onEnd: {cmd: "stop"}})]},
          ],
        },
      });
      const player = sim.player(LIVING_ROOM);
      const control = (path: string, body?: object) =>
        fetch(`${sim!.url}/sim/players/${LIVING_ROOM}/${path}`, {method: "POST", body: JSON.stringify(body ?? {})});
      // A press with nothing playing says why (the demo prints this curl line).
      const idle = await control("press", {button: "right"});
      expect([idle.status, ((await idle.json()) as {error: string}).error]).toEqual([
        409,
        `Pressing right did nothing: no card is playing on 'Living Room'; insert one first (POST /sim/players/${LIVING_ROOM}/card with {"cardId": "…"})`,
      ]);
      // Like a child listening a moment before pressing: each scene downloads first.
      const downloaded = () => expect.poll(() => player.fetches.at(-1)?.bytes).toBe(32_000);
      expect((await control("card", {cardId: "story"})).status).toBe(200);
      await downloaded();
      await control("press", {button: "right"});
      await downloaded();
      await control("finish-track");
      await downloaded();
      await control("press", {button: "left"});
      await downloaded();
      await control("finish-track");
      expect(fetched).toEqual(["/start.mp3", "/forest.mp3", "/start.mp3", "/cave.mp3"]);
      expect(player.fetches.map((f) => f.status)).toEqual([200, 200, 200, 200]);
      expect(player.eventsSnapshot()).toMatchObject({cardId: "none", playbackStatus: "stopped"});
    } finally {
      audio.closeAllConnections();
      await new Promise((r) => audio.close(r));
    }
  });
});
