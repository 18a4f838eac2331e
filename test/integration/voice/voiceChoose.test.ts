import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addTitledCard} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

const addCard = addTitledCard;

// As a script or Node-RED asks it: the place said as the play trigger's title. What Home Assistant's
// sentence triggers send ("the second one" with no slots, to the choose trigger) is voiceFollowUp.test.ts.
describe("a title said in part, with several alike", () => {
  it("names them, plays 'the second one' said to the same satellite, and asks another satellite for a title", async () => {
    const {sim, t} = await startLinked({
      prepare: (s) => {
        addCard(s, "moon1", "Goodnight Moon");
        addCard(s, "moon2", "Moon Fox");
        addCard(s, "moon3", "The Moon and the Owl");
      },
    });
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    const voice = async (body: unknown) => (await call("POST", `${t.adminUrl}/api/voice`, body)).body;

    expect(
      await voice({trigger: "play", slots: {what: "the moon story", who: "Mia"}, device_id: "sat-kitchen"}),
    ).toMatchObject({
      speech:
        'Which one: “Goodnight Moon”, “Moon Fox” or “The Moon and the Owl”? Say "play the third one", for example.',
      outcome: "which",
      player_id: MINI,
    });
    expect(sim.player(MINI).eventsSnapshot().cardId ?? "none").toBe("none");
    // Nobody named: the Yoto the titles were named for, not the satellite's room.
    expect(
      await voice({
        trigger: "play",
        sentence: "play the second one",
        slots: {what: "the second one"},
        device_id: "sat-kitchen",
      }),
    ).toMatchObject({
      speech: "Playing “Moon Fox” on Mia's Yoto.",
      outcome: "played",
    });
    expect(sim.player(MINI).eventsSnapshot().cardId).toBe("moon2");
    expect(await voice({trigger: "play", slots: {what: "the last one"}, device_id: "sat-hall"})).toMatchObject({
      speech: "I haven't offered anything to choose from. Say a title first.",
      outcome: "not_found",
    });
    // Said whole, one of them plays at once.
    expect(await voice({trigger: "play", slots: {what: "owl moon", who: "Mia"}})).toMatchObject({
      speech: "Playing “The Moon and the Owl” on Mia's Yoto.",
    });
  });
});
