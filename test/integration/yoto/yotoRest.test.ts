import http from "node:http";
import type {AddressInfo} from "node:net";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import {YotoAccount} from "../../../src/yoto/account.js";
import {OAuthClient} from "../../../src/yoto/oauthClient.js";
import {YotoApiError, YotoRest} from "../../../src/yoto/rest.js";
import {CLIENT_ID, linkAccount, pkceTokens, startSimulator} from "../../helpers/cloud.js";
import {tempDir} from "../../helpers/tmp.js";

let sim: YotoSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const LIVING_ROOM = "y7s9dk3mqp2x8v4n1c6b0zlq";

/** A REST client with one fixed token from the PKCE flow. */
async function client() {
  const token = (await pkceTokens(sim!)).access_token;
  const lines: string[] = [];
  const rest = new YotoRest({
    apiUrl: sim!.endpoints.apiUrl,
    log: new Logger({sink: (l) => lines.push(l)}),
    retryBaseMs: 10,
    tokens: {accessToken: async () => token, invalidate: () => {}},
  });
  return {rest, lines};
}

describe("Yoto REST client", () => {
  it("lists devices and keeps settings it did not change (read, merge, write)", async () => {
    sim = await startSimulator();
    const {rest} = await client();
    expect((await rest.devices()).map((d) => d.name)).toEqual(["Living Room", "Bedroom Mini"]);
    await rest.updateConfig(LIVING_ROOM, {maxVolumeLimit: "10"});
    await rest.updateConfig(LIVING_ROOM, {dayTime: "06:30"});
    expect((await rest.deviceConfig(LIVING_ROOM)).config).toMatchObject({
      maxVolumeLimit: "10",
      dayTime: "06:30",
      nightTime: "19:00",
    });
  });

  it("retries 5xx with backoff and says so in the log", async () => {
    sim = await startSimulator();
    const {rest, lines} = await client();
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({fail5xx: 2})});
    expect(await rest.devices()).toHaveLength(2);
    expect(lines.filter((l) => l.includes("GET /device-v2/devices/mine failed (HTTP 503); retrying in"))).toHaveLength(
      2,
    );
    await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({fail5xx: 10})});
    await expect(rest.devices()).rejects.toThrow(
      "Yoto answered 503 to GET /device-v2/devices/mine: Service Unavailable",
    );
  });

  it("refreshes once on 401 and retries with the new token", async () => {
    sim = await startSimulator();
    const store = new Store(await tempDir(), new Logger({sink: () => {}}));
    await store.start();
    try {
      const account = new YotoAccount({
        oauth: new OAuthClient(sim.endpoints.authUrl, CLIENT_ID),
        store,
        log: new Logger({sink: () => {}}),
      });
      await account.start();
      await linkAccount(account);
      const rest = new YotoRest({
        apiUrl: sim.endpoints.apiUrl,
        tokens: account,
        log: new Logger({sink: () => {}}),
        retryBaseMs: 10,
      });
      const before = sim.oauth.stats.refreshes;
      await fetch(`${sim.url}/sim/faults`, {method: "POST", body: JSON.stringify({expireTokens: true})});
      expect(await rest.devices()).toHaveLength(2);
      expect(sim.oauth.stats.refreshes - before).toBe(1);
    } finally {
      await store.stop();
    }
  });

  it("updates a card without dropping fields it did not set, and reports 4xx plainly", async () => {
    sim = await startSimulator();
    const {rest} = await client();
    const created = await rest.createContent({
      title: "Bedtime",
      content: {chapters: [], playbackType: "linear"},
      metadata: {cover: {imageL: "https://img/cover.png"}, author: "Mum"},
    });
    const updated = await rest.updateContent(created.cardId, {
      title: "Bedtime stories",
      metadata: {description: "Calm"},
    });
    expect(updated).toMatchObject({
      title: "Bedtime stories",
      content: {playbackType: "linear"},
      metadata: {cover: {imageL: "https://img/cover.png"}, author: "Mum", description: "Calm"},
    });
    const missing = await rest.content("zzzzz").catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(YotoApiError);
    expect((missing as YotoApiError).message).toBe("Yoto answered 404 to GET /content/zzzzz: Card zzzzz not found");
  });

  it("writes a card read back with Yoto's signed links as yoto:# references, so it does not break within the hour", async () => {
    sim = await startSimulator();
    const {rest} = await client();
    const sha = "Hq2vT7xk9LpA4rZc8YwE1nH6sJd3fGbU0oVyKtRiXq5";
    const icon = "cB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4cE6gI8k";
    const signed = `https://secure-media.yotoplay.com/yoto/${sha}?Expires=${Math.floor(Date.now() / 1000) + 3600}&Policy=cG9s&Signature=c2ln&Key-Pair-Id=KEXAMPLE#sha256=${sha}`;
    // What Yoto answers for a card with an uploaded track: the reference resolved to a signed URL.
    sim.addCard({
      cardId: "up1oa",
      title: "Uploaded",
      content: {
        chapters: [
          {
            key: "01",
            title: "Song",
            display: {icon16x16: `https://card-content.yotoplay.com/yoto/${icon}`},
            tracks: [{key: "01", title: "Song", trackUrl: signed, type: "audio", format: "aac"}],
          },
        ],
      },
    });
    await rest.updateContent("up1oa", {title: "Uploaded (renamed)"});
    const stored = sim.card("up1oa");
    expect(stored?.title).toBe("Uploaded (renamed)");
    expect(stored?.content.chapters[0]?.tracks[0]?.trackUrl).toBe(`yoto:#${sha}`);
    expect(stored?.content.chapters[0]?.display?.icon16x16).toBe(`yoto:#${icon}`);
  });

  it("shows Yoto's documented error body as its message", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(404, {"Content-Type": "application/json"});
      res.end(JSON.stringify({error: {code: "not-found", message: "The card you asked for does not exist"}}));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const rest = new YotoRest({
        apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        log: new Logger({sink: () => {}}),
        tokens: {accessToken: async () => "t", invalidate: () => {}},
      });
      const err = await rest.card("nope1").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(YotoApiError);
      expect((err as YotoApiError).status).toBe(404);
      expect((err as YotoApiError).message).toBe(
        "Yoto answered 404 to GET /card/nope1: The card you asked for does not exist",
      );
    } finally {
      server.close();
    }
  });
});
