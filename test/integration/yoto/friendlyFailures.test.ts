import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {freePort} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

describe("when Yoto cannot be reached, users read what happened and what to do", () => {
  it("answers 503 with the reason for icons, and for linking", async () => {
    sim = await startSimulator();
    t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    await linkAccount(t.app.account);
    const {apiUrl} = sim.endpoints;
    await sim.stop(); // Yoto goes away (no network, an outage)
    sim = undefined;
    const icons = await call("GET", `${t.adminUrl}/api/icons?refresh=true`);
    expect(icons.status).toBe(503);
    expect(icons.body.error).toBe(
      `Yoto's API could not be reached (connection refused by ${new URL(apiUrl).host}): check this machine's internet connection, then try again`,
    );
    // Health no longer says "ok" while the cloud connection is down.
    const players = t.app.players;
    await waitFor(() => players.cloud.state !== "connected", "the cloud connection to drop");
    const health = await call("GET", `${t.adminUrl}/api/health`);
    expect(health.body.status).toBe("degraded");
    expect(health.body.services["yoto-players"].error).toMatch(/^Not connected to Yoto's cloud \([a-z_]+\)$/);
    await t.stop();

    // Linking while Yoto's login service is out of reach.
    const closed = `http://127.0.0.1:${await freePort()}`;
    t = await startApp(["--yoto_client_id", CLIENT_ID], {
      cloud: {authUrl: closed, apiUrl: closed, mqttUrl: "mqtt://127.0.0.1:1"},
    });
    const begun = await call("POST", `${t.adminUrl}/api/account/link`, {});
    const state = new URL(begun.body.authorizeUrl).searchParams.get("state");
    const done = await call("POST", `${t.adminUrl}/api/account/link/complete`, {
      url: `http://127.0.0.1:8787/callback?code=abc&state=${state}`,
    });
    expect(done.status).toBe(503);
    expect(done.body).toEqual({
      error: `Yoto's login service at ${closed} could not be reached (connection refused by ${closed.slice("http://".length)}): check this machine's internet connection, then try again`,
      code: "yoto_unreachable",
    });
  }, 60_000);
});
