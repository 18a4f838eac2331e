import {describe, expect, it} from "vitest";
import {call} from "../../helpers/http.js";
import {journalRefusals} from "../../helpers/journal.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {MINI} from "../../helpers/upnpHttp.js";

const start = linkedBridge();

const WHY = "Ben's listening for today is used up: 'Bedroom Mini' is quiet until tomorrow 00:00";
const REFUSED = `${WHY}. A parent can end it: Allow on the Family page, or "End now" on the player (Home Assistant's "End quiet hours" button)`;

describe("player commands pass the play gate", () => {
  it("refuses what starts sound from the API and from Home Assistant's MQTT while the plan holds the player; the rest pass", async () => {
    const {t, sim, watcher} = await start({app: {timeZone: "UTC"}});
    // Ben's day is used before it began: the plan holds the Mini.
    const plan = await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Bedroom Mini"], budget: {minutes: 0}});
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "the Mini quiet");
    const commandsBefore = t.app.players.stats.commands;

    // The panel and the API.
    const api = await call("POST", `${t.adminUrl}/api/players/${MINI}/commands`, {
      command: "play_card",
      cardId: "songs",
    });
    expect(api.status).toBe(409);
    expect(api.body).toMatchObject({error: REFUSED, code: "quiet"});

    // Home Assistant's bridge request, answered on its response topic.
    const answers = () => watcher.seen.filter((m) => m.topic === "yoto/bridge/response/player/command").length;
    await watcher.client.publishAsync(
      "yoto/bridge/request/player/command",
      JSON.stringify({player: "Bedroom Mini", command: "resume", transaction: 7}),
    );
    await waitFor(() => answers() === 1, "the bridge's answer");
    expect(watcher.lastJson("yoto/bridge/response/player/command")).toMatchObject({
      status: "error",
      error: REFUSED,
      transaction: 7,
    });
    expect(t.app.players.stats.commands).toBe(commandsBefore);
    expect(sim.player(MINI).eventsSnapshot().cardId).not.toBe("songs");

    // What does not start sound passes: the volume (held within the quiet's max, 0).
    const volume = await call("POST", `${t.adminUrl}/api/players/${MINI}/commands`, {command: "volume", percent: 0});
    expect(volume.status, JSON.stringify(volume.body)).toBe(200);

    // Each refusal once in Ben's journal (newest first), saying how it was asked.
    expect((await journalRefusals(t)).map((e) => e.text)).toEqual([
      `Play again, sent over MQTT (a Home Assistant button, script or automation), was not played: ${WHY}`,
      `'Songs', sent from the panel or the API, was not played: ${WHY}`,
    ]);
  }, 60_000);
});
