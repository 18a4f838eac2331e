import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {fakeHaCore, SUPERVISOR_TOKEN} from "../../helpers/fakeHaCore.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

async function announce(adminUrl: string, body: unknown) {
  const res = await fetch(`${adminUrl}/api/players/${MINI}/announce`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  return {status: res.status, body: (await res.json()) as Record<string, unknown>};
}

describe("Announcements inside Home Assistant speak with the family's own text-to-speech", () => {
  it("uses the first tts entity, or the one asked for, with the language; an engine HA lacks is named in the error", async () => {
    const core = await fakeHaCore(["tts.piper", "tts.home_assistant_cloud"]);
    const {sim, t} = await startLinked({
      flags: ["--tts_language", "en-GB"],
      app: {linkToOwnAudioListener: true, homeAssistant: true, supervisor: {url: core.url, token: SUPERVISOR_TOKEN}},
    });
    await waitFor(() => t.app.players.list().length === 2, "both players");

    const first = await announce(t.adminUrl, {message: "Dinner is ready"});
    expect(first.body).toMatchObject({result: "played", audio: "speech by tts.piper"});
    expect(core.asked.at(-1)).toEqual({
      engine_id: "tts.piper",
      message: "Dinner is ready",
      language: "en-GB",
      cache: true,
    });
    expect(sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/") && f.complete)).toHaveLength(1);

    const cloud = await announce(t.adminUrl, {
      message: "Bonjour",
      engine: "tts.home_assistant_cloud",
      language: "fr-FR",
    });
    expect(cloud.body).toMatchObject({result: "played", audio: "speech by tts.home_assistant_cloud"});
    expect(core.asked.at(-1)).toMatchObject({engine_id: "tts.home_assistant_cloud", language: "fr-FR"});

    const missing = await announce(t.adminUrl, {message: "Hello", engine: "tts.nope"});
    expect(missing).toEqual({
      status: 502,
      body: expect.objectContaining({
        error: "Home Assistant's text-to-speech 'tts.nope' failed: it answered 400 (Provider tts.nope not found)",
      }),
    });
    // The failing engine never touched the player: no third relay fetch.
    expect(sim.player(MINI).fetches.filter((f) => f.url.includes("/relay/"))).toHaveLength(2);
  });

  it("says so when Home Assistant has no text-to-speech engine at all", async () => {
    const core = await fakeHaCore([]);
    const {t} = await startLinked({
      app: {linkToOwnAudioListener: true, homeAssistant: true, supervisor: {url: core.url, token: SUPERVISOR_TOKEN}},
    });
    await waitFor(() => t.app.players.list().length === 2, "both players");
    expect(await announce(t.adminUrl, {message: "Hello"})).toEqual({
      status: 409,
      body: expect.objectContaining({
        error:
          "No text-to-speech engine in Home Assistant (it has no tts entity): add one (Piper, Home Assistant Cloud, Google Translate…) or set 'tts_engine'",
      }),
    });
  });
});
