import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addStory} from "../../helpers/announceStory.js";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * A ten-minute track at 32 kb/s (2.4 MB, so it converts while it plays) on a loopback web server,
 * as Home Assistant's media browser or Music Assistant hands one out.
 */
async function trackServer(): Promise<{url: string; hits: string[]}> {
  const file = await makeTone(path.join(await tempDir(), "long.mp3"), {seconds: 600, channels: 1, bitrate: "32k"});
  const bytes = await readFile(file);
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": bytes.length}).end(bytes);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/long.mp3`, hits};
}

async function start() {
  const linked = await startLinked({prepare: addStory, app: {linkToOwnAudioListener: true, timeZone: "UTC"}});
  const {t} = linked;
  await waitFor(() => t.app.players.list().length === 2, "both players");
  await waitFor(() => t.app.players.get(LIVING).volume.level !== undefined, "the volume known");
  return linked;
}

/** Every byte of a response, counted. */
async function bodyLength(url: string): Promise<number> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  let bytes = 0;
  for await (const chunk of res.body ?? []) bytes += (chunk as Uint8Array).length;
  return bytes;
}

describe("A URL played as a stream on the relay card (announcer.playUrl)", () => {
  it("plays a ten-minute track whole: no chime, the volume untouched, nothing resumed, answered as it starts", async () => {
    const {t, sim} = await start();
    const track = await trackServer();
    sim.player(LIVING).insertCard("story");
    await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
    const level = t.app.players.get(LIVING).volume.level;

    const outcome = await t.app.announcer.playUrl(LIVING, track.url, {start: {route: "api"}});
    expect(outcome).toEqual({
      player: "Living Room",
      playerId: LIVING,
      result: "played",
      detail: "started on its relay card as a stream; nothing is resumed after it",
      audio: track.url,
      resumed: null,
    });
    // Answered as it starts: the track has minutes to go.
    const clip = t.app.announcer.clipFor(LIVING);
    expect(clip).toBeDefined();
    await waitFor(() => sim.player(LIVING).fetches.some((f) => f.url.includes("/relay/")), "the relay fetched");
    const relayUrl = sim.player(LIVING).fetches.find((f) => f.url.includes("/relay/"))!.url;
    await waitFor(() => t.app.players.get(LIVING).playback.cardId !== "story", "the relay card on");

    // All ten minutes are served: 128 kb/s is 16,000 bytes a second, with no chime before them.
    const served = await bodyLength(relayUrl);
    await clip!.finished;
    expect(clip!.segments).toHaveLength(1);
    expect(clip!.seconds).toBeGreaterThan(599);
    expect(clip!.seconds).toBeLessThan(601);
    expect(served).toBe(clip!.size);
    expect(track.hits).toEqual(["/long.mp3"]);

    // Still the stream, at the volume it had; the story did not come back.
    expect(t.app.announcer.clipFor(LIVING)).toBe(clip);
    const now = t.app.players.get(LIVING);
    expect(t.app.announcer.isRelayCard(now.playback.cardId!)).toBe(true);
    expect(now.volume.level).toBe(level);
    expect(t.logs.some((l) => l.endsWith(`Playing ${track.url} on 'Living Room' as a stream`))).toBe(true);

    // A child's card ends it, and its audio is let go.
    sim.player(LIVING).insertCard("story");
    await waitFor(() => t.app.announcer.clipFor(LIVING) === undefined, "the stream's audio let go");
  }, 60_000);

  it("refuses a player in quiet hours, saying until when, and fetches nothing", async () => {
    const {t, sim} = await start();
    const track = await trackServer();
    const res = await call("PUT", `${t.adminUrl}/api/children/Ben`, {
      players: ["Living Room"],
      budget: {minutes: 0},
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await waitFor(() => t.app.quietHours.period(LIVING) !== undefined, "Living Room quiet");

    await expect(t.app.announcer.playUrl(LIVING, track.url, {start: {route: "api"}})).rejects.toMatchObject({
      code: "quiet",
      status: 409,
      message:
        "Ben's listening for today is used up: 'Living Room' is quiet until tomorrow 00:00. A parent can end it: Allow on the Family page, or \"End now\" on the player (Home Assistant's \"End quiet hours\" button)",
    });
    expect(track.hits).toEqual([]);
    expect(sim.player(LIVING).fetches.filter((f) => f.url.includes("/relay/"))).toEqual([]);
  }, 30_000);

  it("refuses it in the gate's same words when quiet began while its audio was fetched", async () => {
    const {t, sim} = await start();
    const file = await makeTone(path.join(await tempDir(), "short.mp3"), {seconds: 20, channels: 1, bitrate: "32k"});
    const bytes = await readFile(file);
    // The web server holds the audio until Ben's day is used up.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let asked = 0;
    const server = http.createServer((_req, res) => {
      asked++;
      void held.then(() =>
        res.writeHead(200, {"Content-Type": "audio/mpeg", "Content-Length": bytes.length}).end(bytes),
      );
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/short.mp3`;

    const played = t.app.announcer.playUrl(LIVING, url, {start: {route: "api"}});
    const outcome = played.catch((err: unknown) => err);
    await waitFor(() => asked > 0, "the audio asked for");
    const res = await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"], budget: {minutes: 0}});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await waitFor(() => t.app.quietHours.period(LIVING) !== undefined, "Living Room quiet");
    release();
    expect(await outcome).toMatchObject({
      code: "quiet",
      status: 409,
      message:
        "Ben's listening for today is used up: 'Living Room' is quiet until tomorrow 00:00. A parent can end it: Allow on the Family page, or \"End now\" on the player (Home Assistant's \"End quiet hours\" button)",
    });
    // Nothing started on the player: its relay card was never played.
    const card = sim.player(LIVING).eventsSnapshot().cardId;
    expect(typeof card === "string" && t.app.announcer.isRelayCard(card)).toBe(false);
  }, 30_000);

  it("refuses what is not an http(s) URL, saying what to send", async () => {
    const {t} = await start();
    await expect(
      t.app.announcer.playUrl(LIVING, "ftp://nas.local/a.mp3", {start: {route: "api"}}),
    ).rejects.toMatchObject({
      status: 400,
      message: "'media' must be an http(s) URL; 'ftp:' is not fetched",
    });
  });
});
