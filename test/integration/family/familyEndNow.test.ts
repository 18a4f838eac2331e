import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;

describe("a parent's End now on a player the family plan put to bed", () => {
  let sim: YotoSimulator;
  let t: TestApp;
  const api = (method: string, path: string, body?: unknown) => call(method, `${t.adminUrl}${path}`, body);

  beforeAll(async () => {
    sim = await startSimulator();
    addSongsCard(sim);
    t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    await linkAccount(t.app.account);
    await waitFor(() => t.app.players.list().length === 2, "players");
  });
  afterAll(async () => {
    await t?.stop();
    await sim?.stop();
  });

  it("lets the child and the parent play until the next bedtime: nothing paused, no request; the journal says a parent ended bedtime and answers the waiting request", async () => {
    expect((await api("PUT", "/api/children/Mia", {players: ["Bedroom Mini"], schedule: nightNow()})).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the plan's bedtime on the Mini");
    await waitFor(() => sim.player(MINI).volumeMax === 0, "the Mini muted");
    // Mia puts a card in at bedtime: a request for one more story, waiting for a parent.
    sim.player(MINI).insertCard("songs");
    await waitFor(() => t.app.family.child("Mia").request !== null, "Mia's request");
    sim.player(MINI).removeCard();

    // The parent ends it by hand, as the player card's End now does.
    expect((await api("DELETE", `/api/players/${MINI}/quiet`)).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) === undefined, "quiet hours over");
    await waitFor(() => sim.player(MINI).volumeMax > 0, "the Mini's max volume back");

    // "One more story" after End now: Mia may listen, not "asked a moment ago", by voice and on her page.
    const voice = await api("POST", "/api/voice", {trigger: "one_more_story", slots: {who: "Mia"}});
    expect(voice.body).toMatchObject({speech: "Mia can listen now: just ask me to play a story.", outcome: "answered"});
    const page = await api("POST", "/api/children/Mia/shelf/ask");
    expect(page.body).toEqual({outcome: "done", text: "Mia may listen now"});
    expect((await api("GET", "/api/children/Mia")).body.request).toBeNull();

    // The parent's own Play card plays, and stays playing through the plan's next pass.
    expect((await api("POST", `/api/players/${MINI}/commands`, {command: "play_card", cardId: "songs"})).status).toBe(
      200,
    );
    await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the card playing");
    await t.app.family.evaluate();
    // The child takes the card out and puts it back in: a play attempt the plan would take for a request.
    sim.player(MINI).removeCard();
    await waitFor(() => t.app.players.get(MINI).playback.cardId === null, "the card out");
    sim.player(MINI).insertCard("songs");
    await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the card playing again");
    await t.app.family.evaluate();

    expect(t.app.players.get(MINI).playback.status).toBe("playing");
    expect(t.app.quietHours.period(MINI)).toBeUndefined();
    const mia = (await api("GET", "/api/children/Mia")).body as Record<string, unknown>;
    expect([mia.request, mia.quiet_until, mia.quiet_reason]).toEqual([null, null, null]);
    expect(t.logs.filter((l) => l.includes("asked for one more story"))).toHaveLength(1);
    const journal = (await api("GET", "/api/family/journal")).body as {entries: Array<{what: string; text: string}>};
    expect(journal.entries.filter((e) => e.what === "ended").map((e) => e.text)).toEqual([
      "A parent ended bedtime on 'Bedroom Mini' early: Mia's request for one more story is answered",
    ]);
  });
});
