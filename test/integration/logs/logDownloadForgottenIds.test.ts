import {afterEach, describe, expect, it} from "vitest";
import {Redactor} from "../../../src/logs/redact.js";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

let t: TestApp | undefined;
let sim: YotoSimulator | undefined;
afterEach(async () => {
  await t?.stop();
  await sim?.stop();
  t = undefined;
  sim = undefined;
});

function addCard(s: YotoSimulator, cardId: string): void {
  s.addCard({
    cardId,
    title: cardId,
    content: {
      chapters: [
        {
          key: "01",
          title: "One",
          tracks: [{key: "01", title: "One", trackUrl: "yoto:#x", type: "audio", duration: 600}],
        },
      ],
    },
  });
}

describe("the log download and ids the service no longer holds", () => {
  it("still hides a card played earlier and a player taken off the account", async () => {
    sim = await startSimulator();
    addSongsCard(sim);
    addCard(sim, "TaleA");
    addCard(sim, "TaleB");
    const app = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    t = app;
    await linkAccount(app.app.account);
    await waitFor(() => app.app.players.list().length === 2, "both players");

    // 'songs' plays, then two other cards: the players now hold neither it nor the Mini.
    for (const card of ["songs", "TaleA", "TaleB"]) {
      sim.player(LIVING).insertCard(card);
      await waitFor(() => app.app.players.get(LIVING).playback.cardId === card, `${card} playing`);
    }
    const log = app.app.log.child("announce");
    log.info(`Made relay card 'Announcements · Living Room' (songs) for announcements on 'Living Room'`);
    log.warning(`POST /api/players/${MINI}/announce → 504 by loopback`);
    sim.removePlayer(MINI);
    await app.app.players.refreshDevices();
    await waitFor(() => app.app.players.list().length === 1, "the Mini gone");
    expect(app.app.players.get(LIVING).playback).toMatchObject({cardId: "TaleB", lastCardId: "TaleB"});

    const text = await (await fetch(`${app.adminUrl}/api/logs/download`)).text();
    expect(text).toMatch(/INFO \(announce\): Made relay card 'Announcements · Living Room' \(card-\d\) for/);
    expect(text).toMatch(/WARNING \(announce\): POST \/api\/players\/player-2\/announce → 504 by loopback/);
    expect(text).not.toContain("(songs)");
    expect(text).not.toContain(MINI);
  });
});

describe("known ids in the forms a path or a URL gives them", () => {
  it("hides an id typed in capitals and one right after an encoded slash or quote", () => {
    const redactor = new Redactor({playerIds: [LIVING], cardIds: ["BWbLw"]});
    expect(redactor.line(`POST /api/players/${LIVING.toUpperCase()}/announce → 404 by loopback`)).toBe(
      "POST /api/players/player-1/announce → 404 by loopback",
    );
    expect(redactor.line(`GET /proxy/https%3A%2F%2Fapi.example%2Fdevice-v2%2F${LIVING}%2Fstatus`)).toBe(
      "GET /proxy/https%3A%2F%2Fapi.example%2Fdevice-v2%2Fplayer-1%2Fstatus",
    );
    expect(redactor.line(`picked %22BWbLw%22 and %22bwblw%22`)).toBe("picked %22card-1%22 and %22card-1%22");
    // Still whole ids only: inside a longer word, or after a digit that is no escape, it is no id.
    expect(redactor.line(`x${LIVING} 7BWbLw BWbLwx`)).toBe(`x${LIVING} 7BWbLw BWbLwx`);
  });
});
