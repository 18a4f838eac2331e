import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import type {ExposureChanged} from "../../../src/mediaPlayer/playerExposure.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {holdDatabaseLock} from "../../helpers/databaseLock.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
// A short retry budget for a locked database keeps the test quick; the service's own is 5 s.
const BUDGET_MS = 500;
const SEND =
  'Send {"media_player": true or false, "upnp": true or false} (either or both): the player\'s Home Assistant switches';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** The whole service on the simulator, linked, both players known; `restart` keeps its data folder. */
async function exposureApp() {
  const sim = await startSimulator();
  const root = await tempDir("yss-exposure-");
  const dirs = {dataDir: path.join(root, "data"), mediaDir: path.join(root, "media")};
  const boot = async () => {
    const app = await startApp(["--yoto_client_id", CLIENT_ID], {
      ...dirs,
      cloud: sim.endpoints,
      store: {busyTimeoutMs: BUDGET_MS},
    });
    if (app.app.account.status().state !== "linked") await linkAccount(app.app.account);
    await waitFor(() => app.app.players.list().length === 2, "both players");
    return app;
  };
  t = await boot();
  const events: ExposureChanged[] = [];
  t.app.bus.on(events, "player.exposureChanged", (e) => {
    events.push(e);
  });
  return {
    events,
    api: (method: string, url: string, body?: unknown) => call(method, `${t!.adminUrl}${url}`, body),
    restart: async () => {
      await t?.stop();
      t = await boot();
    },
  };
}

describe("a player's Home Assistant switches in the admin API", () => {
  it("answers both on at first, saves a change before answering, announces it and keeps it over a restart", async () => {
    const s = await exposureApp();
    expect(await s.api("GET", `/api/players/${MINI}/exposure`)).toEqual({
      status: 200,
      body: {media_player: true, upnp: true},
    });

    // By name, as the panel and a script may say it; one switch changed, the other kept.
    expect(await s.api("PUT", `/api/players/${encodeURIComponent("bedroom mini")}/exposure`, {upnp: false})).toEqual({
      status: 200,
      body: {media_player: true, upnp: false},
    });
    expect(s.events).toEqual([{playerId: MINI, exposure: {media_player: true, upnp: false}}]);
    expect(await s.api("PUT", `/api/players/${MINI}/exposure`, {media_player: false})).toEqual({
      status: 200,
      body: {media_player: false, upnp: false},
    });
    // The other player is untouched.
    expect((await s.api("GET", `/api/players/${LIVING}/exposure`)).body).toEqual({media_player: true, upnp: true});

    await s.restart();
    expect(await s.api("GET", `/api/players/${MINI}/exposure`)).toEqual({
      status: 200,
      body: {media_player: false, upnp: false},
    });
    expect(await s.api("PUT", `/api/players/${MINI}/exposure`, {media_player: true, upnp: true})).toEqual({
      status: 200,
      body: {media_player: true, upnp: true},
    });
  }, 30_000);

  it("refuses an unknown player with the players' usual 404 and a bad body with what to send", async () => {
    const s = await exposureApp();
    const unknown = {
      status: 404,
      body: {
        error: `No player 'Bedrom Mini' (did you mean 'Bedroom Mini'?): known players are 'Living Room' (${LIVING}), 'Bedroom Mini' (${MINI})`,
        code: "not_found",
      },
    };
    expect(await s.api("GET", "/api/players/Bedrom%20Mini/exposure")).toEqual(unknown);
    expect(await s.api("PUT", "/api/players/Bedrom%20Mini/exposure", {upnp: false})).toEqual(unknown);

    const bad = (error: string) => ({status: 400, body: {error, code: "bad_exposure"}});
    const put = (body: unknown) => s.api("PUT", `/api/players/${MINI}/exposure`, body);
    expect(await put([true])).toEqual(bad(SEND));
    expect(await put("off")).toEqual(bad(SEND));
    expect(await put({})).toEqual(bad(`Nothing to change: ${SEND}`));
    expect(await put({upnp: false, dlna: false})).toEqual(bad(`Unknown field 'dlna': ${SEND}`));
    expect(await put(JSON.parse('{"upnp": false, "__proto__": {"upnp": true}}'))).toEqual(
      bad(`Unknown field '__proto__': ${SEND}`),
    );
    expect(await put({upnp: "false"})).toEqual(bad(`'upnp' must be true or false, not "false"`));
    expect(await put({media_player: null})).toEqual(bad("'media_player' must be true or false, not null"));
    expect(await put({media_player: 0, upnp: true})).toEqual(bad("'media_player' must be true or false, not 0"));
    // Nothing refused was saved or announced.
    expect(s.events).toEqual([]);
    expect((await s.api("GET", `/api/players/${MINI}/exposure`)).body).toEqual({media_player: true, upnp: true});
  }, 30_000);

  it("answers a failed save with the store's reason and keeps the switch as it was", async () => {
    const s = await exposureApp();
    const file = t!.app.store.file;
    const lock = await holdDatabaseLock(file);
    expect(await s.api("PUT", `/api/players/${MINI}/exposure`, {upnp: false})).toEqual({
      status: 503,
      body: {
        error: `The state database '${file}' is locked by another program (SQLITE_BUSY) and stayed locked for 0.5 s: close whatever has it open (a backup, an sqlite3 shell, a second copy of this service) and retry`,
        code: "store_busy",
      },
    });
    expect(s.events).toEqual([]);
    expect((await s.api("GET", `/api/players/${MINI}/exposure`)).body).toEqual({media_player: true, upnp: true});
    await lock.release();
    await s.restart();
    expect((await s.api("GET", `/api/players/${MINI}/exposure`)).body).toEqual({media_player: true, upnp: true});
  }, 30_000);
});
