import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const TOKEN = "supervisor-token";
const startLinked = linkedBridge();

/**
 * Home Assistant's Core API as the Supervisor proxies it: `GET /core/api/states`,
 * `POST /core/api/tts_get_url` (answering `{url, path}` as HA's TextToSpeechUrlView does, or
 * `{"message"}` with a 400 for an engine it does not have) and the audio under `/core/api/tts_proxy/`.
 */
async function fakeCore(engines: string[]) {
  const audio = await readFile(await makeTone(path.join(await tempDir("yss-tts-"), "speech.mp3"), {seconds: 1}));
  const asked: Array<Record<string, unknown>> = [];
  const server = http.createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end("401: Unauthorized");
    const json = (status: number, body: unknown) =>
      res.writeHead(status, {"Content-Type": "application/json"}).end(JSON.stringify(body));
    if (req.method === "GET" && req.url === "/core/api/states")
      return json(200, [{entity_id: "light.kitchen"}, ...engines.map((entity_id) => ({entity_id}))]);
    if (req.method === "POST" && req.url === "/core/api/tts_get_url") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as Record<string, unknown>;
      asked.push(body);
      if (!engines.includes(body.engine_id as string))
        return json(400, {message: `Provider ${body.engine_id} not found`});
      return json(200, {url: "http://homeassistant.local:8123/api/tts_proxy/abc.mp3", path: "/api/tts_proxy/abc.mp3"});
    }
    if (req.method === "GET" && req.url === "/core/api/tts_proxy/abc.mp3")
      return res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(audio);
    return res.writeHead(404).end("404: Not Found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked};
}
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

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
    const core = await fakeCore(["tts.piper", "tts.home_assistant_cloud"]);
    const {sim, t} = await startLinked({
      flags: ["--tts_language", "en-GB"],
      app: {linkToOwnAudioListener: true, homeAssistant: true, supervisor: {url: core.url, token: TOKEN}},
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
    const core = await fakeCore([]);
    const {t} = await startLinked({
      app: {linkToOwnAudioListener: true, homeAssistant: true, supervisor: {url: core.url, token: TOKEN}},
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
