import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";

const running: Array<{stop(): Promise<unknown>}> = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

const API_TOKEN = "a-very-secret-api-token-1234";
const BROKER_PASSWORD = "broker-secret-987";

async function start(): Promise<TestApp> {
  const sim = await startSimulator();
  running.push(sim);
  const t = await startApp(
    [
      ...["--yoto_client_id", CLIENT_ID, "--api_token", API_TOKEN],
      ...["--embedded_broker_username", "ha", "--embedded_broker_password", BROKER_PASSWORD],
    ],
    {cloud: sim.endpoints},
  );
  running.push(t);
  await linkAccount(t.app.account);
  await waitFor(() => t.app.players.list().length === 2, "the players");
  return t;
}

describe("The diagnostics bundle", () => {
  it("holds versions, options, players, health, broker and the last 200 log lines, and no secret", async () => {
    const t = await start();
    const access = await t.app.account.accessToken();
    const signed = `${t.audioUrl}${t.app.signer.sign("/audio/x.mp3")}`;
    for (let i = 0; i < 250; i++) t.app.log.debug(`filler ${i}`);
    // A line that carries secrets, as a careless log line might.
    t.app.log.info(`Calling Yoto with Bearer ${access} for ${signed}`);

    const res = await fetch(`${t.adminUrl}/api/diagnostics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="yoto-smart-stream-diagnostics-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.json"$/,
    );
    const text = await res.text();
    const bundle = JSON.parse(text);
    expect(Object.keys(bundle)).toEqual([
      "generated",
      "redacted",
      "versions",
      "options",
      "players",
      "health",
      "broker",
      "logs",
    ]);
    expect(bundle.versions).toMatchObject({service: "test", node: process.version});
    expect(bundle.options).toMatchObject({
      api_token: "**redacted**",
      embedded_broker_password: "**redacted**",
      base_topic: "yoto",
    });
    expect(bundle.players.map((p: {id: string; name: string}) => [p.id, p.name])).toEqual([
      ["player-1", DEMO_PLAYERS[0]!.name],
      ["player-2", DEMO_PLAYERS[1]!.name],
    ]);
    expect(bundle.health.status).toBeTypeOf("string");
    expect(bundle.broker).toMatchObject({kind: "embedded"});
    expect(bundle.logs).toHaveLength(200);
    expect(bundle.logs.at(-2)).toMatch(/DEBUG: filler 249$/);
    expect(bundle.logs.at(-1)).toMatch(
      /INFO: Calling Yoto with Bearer <redacted> for http:\/\/[^?\s]+\/audio\/x\.mp3(\?<redacted>)?$/,
    );

    for (const secret of [access, API_TOKEN, BROKER_PASSWORD, ...DEMO_PLAYERS.map((p) => p.deviceId)])
      expect(text.includes(secret), secret.slice(0, 12)).toBe(false);
    expect(text).not.toMatch(/[?&](sig|signature|expires)=/i);
  });
});
