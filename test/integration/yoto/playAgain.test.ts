import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

describe("Play does what someone pressing it means", () => {
  it("starts a stopped player's last card where it was, carries on when paused, and says why when it cannot", async () => {
    const {sim, t} = await startLinked();
    const command = async (player: string, body: object) => {
      const res = await fetch(`${t.adminUrl}/api/players/${player}/commands`, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body),
      });
      return {status: res.status, body: (await res.json()) as Record<string, unknown>};
    };
    await waitFor(() => t.app.players.list().length === 2, "both players");

    // Never played anything: the refusal says so, not "check the card".
    expect(await command(MINI, {command: "play"})).toEqual({
      status: 409,
      body: expect.objectContaining({
        error:
          "'Bedroom Mini' has nothing to play again: no card has played on it since the service started; play a card",
      }),
    });

    sim.player(LIVING).insertCard("songs");
    await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the card playing");
    // Already playing: nothing to send, and no error.
    expect(await command(LIVING, {command: "play"})).toEqual({
      status: 200,
      body: {ok: true, command: "play", sent: null},
    });
    expect((await command(LIVING, {command: "pause"})).status).toBe(200);
    await waitFor(() => t.app.players.get(LIVING).playback.status === "paused", "paused");
    expect(await command(LIVING, {command: "resume"})).toMatchObject({
      status: 200,
      body: {sent: {topic: "card/resume"}},
    });
    await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "playing again");

    // Stopped (the panel's Play button sends resume): the last card starts again at its chapter and track.
    expect((await command(LIVING, {command: "stop"})).status).toBe(200);
    await waitFor(() => t.app.players.get(LIVING).playback.status === "stopped", "stopped");
    const again = await command(LIVING, {command: "resume"});
    expect(again).toMatchObject({
      status: 200,
      body: {sent: {topic: "card/start", payload: {uri: "https://yoto.io/songs", chapterKey: "01", trackKey: "01"}}},
    });
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "songs", "the card back");
    expect(t.app.players.get(LIVING).playback.status).toBe("playing");
  });
});
