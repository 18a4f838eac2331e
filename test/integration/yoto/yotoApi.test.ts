import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {CLIENT_ID, startSimulator} from "../../helpers/cloud.js";
import {jsonOf} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  sim = t = undefined;
});

const post = (url: string, body?: unknown) =>
  fetch(url, {
    method: "POST",
    headers: body === undefined ? {} : {"Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("admin API: the Yoto account and its players", () => {
  it("links by paste-back, lists live players, sends commands and explains bad ones", async () => {
    sim = await startSimulator();
    t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    expect(await jsonOf(await fetch(`${t.adminUrl}/api/account`))).toMatchObject({
      state: "unlinked",
      clientIdConfigured: true,
    });
    const {authorizeUrl} = await jsonOf(await post(`${t.adminUrl}/api/account/link`));
    const landed = (await fetch(authorizeUrl, {redirect: "manual"})).headers.get("location");
    const missing = await post(`${t.adminUrl}/api/account/link/complete`, {});
    expect(missing.status).toBe(400);
    expect((await jsonOf(missing)).error).toBe(
      'Send {"url": "<the address the browser ended on>"} (or {"code": "…"}) to finish linking',
    );
    const linked = await post(`${t.adminUrl}/api/account/link/complete`, {url: landed});
    expect(await jsonOf(linked)).toMatchObject({state: "linked"});

    await waitFor(
      () => t!.app.players.list().filter((p) => p.volume.level !== undefined).length === 2,
      "two live players",
    );
    const list = await jsonOf(await fetch(`${t.adminUrl}/api/players`));
    expect(list).toMatchObject({count: 2, cloud: "connected"});
    const one = await jsonOf(await fetch(`${t.adminUrl}/api/players/${LIVING}`));
    expect(one).toMatchObject({id: LIVING, name: "Living Room", volume: {level: 8}});

    const ok = await post(`${t.adminUrl}/api/players/${LIVING}/commands`, {command: "volume", percent: 70});
    expect(await jsonOf(ok)).toEqual({ok: true, command: "volume", sent: {topic: "volume/set", payload: {volume: 69}}});
    expect(sim.player(LIVING).volume).toBe(11);

    const cases: Array<[unknown, number, string]> = [
      [{command: "volume", percent: "loud"}, 400, `'volume' percent must be a number from 0 to 100 (got "loud")`],
      [
        {command: "dance"},
        400,
        `Unknown command "dance": use one of play_card, play_group, play, pause, resume, stop, next, previous, reboot, seek, volume, sleep, ambient, show_icon, sleep_end_of_track, settings`,
      ],
      [{command: "pause", force: true}, 400, "'pause' takes no 'force'"],
      [{command: "next"}, 409, "Nothing is playing on 'Living Room'"],
    ];
    for (const [body, status, error] of cases) {
      const res = await post(`${t.adminUrl}/api/players/${LIVING}/commands`, body);
      expect([res.status, (await jsonOf(res)).error]).toEqual([status, error]);
    }
    const unknown = await post(`${t.adminUrl}/api/players/nope/commands`, {command: "pause"});
    expect(unknown.status).toBe(404);
    expect((await jsonOf(unknown)).error).toMatch(/^No player 'nope': known players are 'Living Room' \(y7s9/);

    const unlinked = await fetch(`${t.adminUrl}/api/account`, {method: "DELETE"});
    expect(await jsonOf(unlinked)).toMatchObject({state: "unlinked"});
    await waitFor(() => t!.app.players.list().length === 0, "players to go with the account");
  });

  it("says how to set the client id before linking can start, where the service runs", async () => {
    // Plain Node has no add-on configuration: the flag, the env variable and the options file.
    const outside =
      "Set 'yoto_client_id' with --yoto_client_id, YSS_YOTO_CLIENT_ID or 'yoto_client_id' in the --options file first: register an app at https://dashboard.yoto.dev/ with the redirect URL http://127.0.0.1:8787/callback and the scopes openid, profile, offline_access, family:devices:view, family:devices:control, family:devices:manage, family:library:view, user:content:view, user:content:manage ticked";
    t = await startApp();
    const res = await post(`${t.adminUrl}/api/account/link`);
    expect(res.status).toBe(409);
    expect((await jsonOf(res)).error).toBe(outside);
    // The Account page shows the same words before anyone presses Link.
    expect(await jsonOf(await fetch(`${t.adminUrl}/api/account`))).toMatchObject({
      clientIdConfigured: false,
      clientIdHowTo: outside,
    });
    expect((await fetch(`${t.adminUrl}/api/health`)).status).toBe(200);
    await t.stop();

    t = await startApp([], {homeAssistant: true});
    expect((await jsonOf(await post(`${t.adminUrl}/api/account/link`))).error).toBe(
      "Set 'yoto_client_id' in the add-on configuration first: register an app at https://dashboard.yoto.dev/ with the redirect URL http://127.0.0.1:8787/callback and the scopes openid, profile, offline_access, family:devices:view, family:devices:control, family:devices:manage, family:library:view, user:content:view, user:content:manage ticked",
    );
  });
});
