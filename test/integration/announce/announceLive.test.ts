import {chmod, writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {analyzeMp3} from "../../../src/library/mp3.js";
import {relayPath} from "../../../src/links/audioPaths.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addStory} from "../../helpers/announceStory.js";
import {decodeErrors, ffmpegPath, makeTone} from "../../helpers/audio.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();

/** An ffmpeg that waits before doing anything, or one that always fails with a message. */
async function ffmpegWrapper(script: string): Promise<string> {
  const file = path.join(await tempDir("yss-ffmpeg-"), "ffmpeg");
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

async function start(ffmpeg?: string) {
  const linked = await startLinked({
    prepare: addStory,
    app: {linkToOwnAudioListener: true, ...(ffmpeg ? {ffmpegPath: ffmpeg} : {})},
  });
  await waitFor(() => linked.t.app.players.list().length === 2, "both players");
  return linked;
}

async function announce(adminUrl: string, body: unknown) {
  const res = await fetch(`${adminUrl}/api/players/${LIVING}/announce`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the API answers
  return {status: res.status, body: (await res.json()) as Record<string, any>};
}

describe("Announcements start before their audio is all made", () => {
  it("plays a library MP3 as it is: the relay sends the file's own audio bytes, not a conversion", async () => {
    const {sim, t} = await start();
    // 192 kb/s stereo: a conversion (128 kb/s mono) would be a different length.
    const file = await makeTone(path.join(t.mediaDir, "bell.mp3"), {seconds: 2, bitrate: "192k", title: "Bell"});
    await t.app.library.scan();
    const payload = await analyzeMp3(file);

    const done = await announce(t.adminUrl, {item: "bell.mp3"});
    expect(done.body).toMatchObject({result: "played", audio: "library item 'Bell'", seconds: 2});
    const relay = sim.player(LIVING).fetches.find((f) => f.url.includes("/relay/"));
    expect(relay).toMatchObject({status: 200, complete: true, bytes: payload.end - payload.start});
    expect(t.app.announcer.clipFor(LIVING)).toBeUndefined();
  });

  it("says it was stopped, and after how long, when the card is taken out during it, never 'played to the end'", async () => {
    const {sim, t} = await start();
    await makeTone(path.join(t.mediaDir, "long-bell.mp3"), {seconds: 30, title: "Long bell"});
    await t.app.library.scan();
    const pending = announce(t.adminUrl, {item: "long-bell.mp3"});
    await waitFor(() => t.app.announcer.isRelayCard(String(t.app.players.get(LIVING).playback.cardId)), "the relay on");
    sim.player(LIVING).removeCard();
    const done = await pending;
    expect(done.body).toMatchObject({
      result: "played",
      detail: expect.stringMatching(/^stopped (at its start|after \d s) \(?of 30 s\)?$/),
    });
    expect(t.logs.some((l) => l.includes("played to the end"))).toBe(false);
  });

  it.skipIf(!SPEECH.path)(
    "sends speech as it is encoded (no length, no ranges), and the whole of it is clean MP3",
    async () => {
      // The encoder takes a second to start, so the relay is asked for while nothing is made yet.
      const {sim, t} = await start(await ffmpegWrapper(`sleep 1; exec "${ffmpegPath}" "$@"`));
      sim.player(LIVING).insertCard("story");
      await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");

      const pending = announce(t.adminUrl, {message: "Dinner is ready", volume: 60});
      await waitFor(() => t.app.announcer.clipFor(LIVING)?.live !== undefined, "speech being encoded", 5000);
      const res = await fetch(`${t.app.audio.url}${t.app.links.signed(relayPath(LIVING))}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBeNull();
      expect(res.headers.get("accept-ranges")).toBe("none");
      const bytes = Buffer.from(await res.arrayBuffer());
      const heard = path.join(await tempDir("yss-heard-"), "relay.mp3");
      await writeFile(heard, bytes);
      expect(await decodeErrors(heard)).toBe("");

      const done = await pending;
      expect(done.body).toMatchObject({result: "played", detail: "played to the end", resumed: {cardId: "story"}});
      // Its length is what came out: 128 kb/s, 16,000 bytes a second.
      expect(done.body.seconds).toBe(Math.round((bytes.length / 16_000) * 10) / 10);
      expect(sim.player(LIVING).fetches.find((f) => f.url.includes("/relay/"))).toMatchObject({
        status: 200,
        complete: true,
        bytes: bytes.length,
      });
    },
  );

  it.skipIf(!SPEECH.path)("says why when speech cannot be encoded, and the player goes back to its story", async () => {
    const {sim, t} = await start(await ffmpegWrapper('echo "Invalid data found when processing input" >&2; exit 1'));
    sim.player(LIVING).insertCard("story");
    await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");

    const failed = await announce(t.adminUrl, {message: "Dinner is ready"});
    expect(failed).toEqual({
      status: 422,
      body: {
        error: "the speech engine's audio could not be converted (Invalid data found when processing input)",
        code: "not_audio",
      },
    });
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
    expect(t.app.players.get(LIVING).playback.status).toBe("playing");
    expect(t.app.announcer.clipFor(LIVING)).toBeUndefined();
  });

  it.skipIf(!SPEECH.path)(
    "refuses speech in a voice the engine does not have before the player is touched",
    async () => {
      const {sim, t} = await start();
      sim.player(LIVING).insertCard("story");
      await waitFor(() => t.app.players.get(LIVING).playback.status === "playing", "the story playing");
      const fetches = sim.player(LIVING).fetches.length;
      const refused = await announce(t.adminUrl, {message: "Dinner is ready", language: "zz-QQ", engine: "espeak-ng"});
      expect(refused).toEqual({
        status: 500,
        body: {
          error: "Text-to-speech with 'espeak-ng' failed: Error: The specified espeak-ng voice does not exist.",
          code: "tts_failed",
        },
      });
      expect(sim.player(LIVING).fetches.length).toBe(fetches);
      expect(t.app.players.get(LIVING).playback).toMatchObject({cardId: "story", status: "playing"});
    },
  );

  it("converts a URL that does not start like audio before the player is touched", async () => {
    const {sim, t} = await start();
    const server = (await import("node:http")).createServer((_req, res) =>
      res.writeHead(200, {"Content-Type": "audio/mpeg"}).end("<html><body>not audio</body></html>"),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const {port} = server.address() as import("node:net").AddressInfo;
      const fetches = sim.player(LIVING).fetches.length;
      const refused = await announce(t.adminUrl, {media: `http://127.0.0.1:${port}/page.mp3`});
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/page\.mp3 is not audio this service can play \(it served 'audio\/mpeg'/,
      );
      expect(sim.player(LIVING).fetches.length).toBe(fetches);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
