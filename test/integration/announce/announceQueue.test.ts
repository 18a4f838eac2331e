import http from "node:http";
import type {AddressInfo} from "node:net";
import {describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startWithStory} from "../../helpers/announceStory.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();

async function start() {
  const linked = await startWithStory(startLinked);
  linked.sim.player(LIVING).insertCard("story");
  await waitFor(() => linked.t.app.players.get(LIVING).playback.status === "playing", "the story playing");
  return linked;
}

const relayFetches = (sim: YotoSimulator) => sim.player(LIVING).fetches.filter((f) => f.url.includes("/relay/"));

describe("one player's announcements cannot be flooded, and can be cancelled", () => {
  it.skipIf(!SPEECH.path)(
    "takes 1,000 set/announce messages as one playing and ten waiting, refuses the rest with the count, plays exact repeats once",
    async () => {
      const {t, sim, watcher: w} = await start();
      const topic = `yoto/${LIVING}/set/announce`;
      // A thousand different messages, as fast as a client can publish them.
      await Promise.all(
        Array.from({length: 1000}, (_, i) => w.client.publishAsync(topic, `Message number ${i} of the flood`)),
      );
      await waitFor(() => t.app.announcer.queued(LIVING).waiting === 10, "ten waiting");
      // The first is on the player: its relay fetched.
      await waitFor(() => relayFetches(sim).length === 1, "the first one playing");
      expect(t.app.announcer.queued(LIVING)).toEqual({waiting: 10, playing: true});
      // Every message handled; the log has the first five refusals in full (the flood summary counts
      // the rest and says how many once its minute is over), never a line each.
      await w.handledSoFar();
      await waitFor(
        () => t.logs.filter((l) => l.includes("already has 10 announcements waiting")).length === 5,
        "the first refusals said",
      );
      expect(t.logs.find((l) => l.includes("already has 10 announcements waiting"))).toContain(
        `Announcement on 'Living Room' failed: 'Living Room' already has 10 announcements waiting (the most one player may have): wait for them, or cancel them with DELETE /api/players/${LIVING}/announce`,
      );
      // The API answers the same way while the queue is full.
      const refused = await call("POST", `${t.adminUrl}/api/players/${LIVING}/announce`, {message: "one more"});
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe("too_many_waiting");

      // Cancel: the ten waiting are dropped, the one playing stops, the story comes back.
      const cancelled = await call("DELETE", `${t.adminUrl}/api/players/Living Room/announce`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toEqual({
        player: "Living Room",
        playerId: LIVING,
        cancelled: {waiting: 10, playing: true},
      });
      await waitFor(() => t.app.announcer.queued(LIVING).playing === false, "the one playing stopped");
      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
      expect(t.logs.some((l) => l.includes("Cancelled on 'Living Room': 10 waiting, and the one playing"))).toBe(true);
      // Only the first one reached the player.
      expect(relayFetches(sim).length).toBe(1);
      const said = t.logs.filter((l) => /Announced speech by .* on 'Living Room'/.test(l));
      expect(said).toEqual([expect.stringContaining("cancelled while it played")]);

      // Nothing left waiting: a new one plays at once. Sent three times together, it plays once.
      const same = {message: "Dinner is ready"};
      const answers = await Promise.all(
        [1, 2, 3].map(() => call("POST", `${t.adminUrl}/api/players/${LIVING}/announce`, same)),
      );
      expect(answers.map((a) => a.body.result)).toEqual(["played", "played", "played"]);
      expect(relayFetches(sim).length).toBe(2);
      expect(t.logs.filter((l) => l.includes("Announced speech") && l.includes("played to the end")).length).toBe(1);
      // Nothing to cancel now.
      expect((await call("DELETE", `${t.adminUrl}/api/players/${LIVING}/announce`)).body.cancelled).toEqual({
        waiting: 0,
        playing: false,
      });
      // Long after the flood, still only its first five refusals in the log (it was 989 lines).
      expect(t.logs.filter((l) => l.includes("already has 10 announcements waiting"))).toHaveLength(5);
    },
    60_000,
  );

  it.skipIf(!SPEECH.path)(
    "cancels from Home Assistant's button and the bridge request, and answers an unknown player with a suggestion",
    async () => {
      const {t, watcher: w} = await start();
      const discovery = () => w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`);
      await waitFor(() => discovery()?.components?.announce_cancel, "the cancel button");
      expect(discovery().components.announce_cancel).toMatchObject({
        platform: "button",
        name: "Cancel announcements",
        command_topic: `yoto/${LIVING}/set/announce_cancel`,
        payload_press: "PRESS",
      });
      // Checked against Home Assistant's rules with every other entity in announceMqtt.test.ts.

      const speaking = call("POST", `${t.adminUrl}/api/players/${LIVING}/announce`, {
        message: "A long message that the button will cut short before its end, so the story can come back",
      });
      await waitFor(() => t.app.announcer.clipFor(LIVING) !== undefined, "the announcement playing");
      await w.client.publishAsync(`yoto/${LIVING}/set/announce_cancel`, "PRESS");
      const outcome = await speaking;
      expect(outcome.body).toMatchObject({result: "cancelled", detail: "cancelled while it played"});
      expect(outcome.body.resumed).toMatchObject({cardId: "story"});
      await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");

      await w.client.publishAsync(
        "yoto/bridge/request/player/announce_cancel",
        JSON.stringify({player: "Living Room", transaction: 7}),
      );
      const topic = "yoto/bridge/response/player/announce_cancel";
      await waitFor(() => w.lastJson(topic)?.transaction === 7, "the answer");
      expect(w.lastJson(topic)).toEqual({
        status: "ok",
        data: {player: "Living Room", playerId: LIVING, cancelled: {waiting: 0, playing: false}},
        transaction: 7,
      });

      const unknown = await call("DELETE", `${t.adminUrl}/api/players/Livng Room/announce`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatch(/did you mean 'Living Room'/);
    },
    60_000,
  );

  it.skipIf(!SPEECH.path)(
    "a Stop while the audio is still downloading stops the download and frees the player at once",
    async () => {
      const {t} = await start();
      let closedAt = 0;
      let dripped = 0;
      const slow = http.createServer((_req, res) => {
        // A header, then a byte a second: it would take the 60 s limit to give up.
        res.writeHead(200, {"Content-Type": "audio/mpeg"});
        const drip = setInterval(() => {
          res.write(Buffer.from([0xff]));
          dripped++;
        }, 1000);
        res.on("close", () => {
          clearInterval(drip);
          closedAt = Date.now();
        });
      });
      await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
      try {
        const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow.mp3`;
        const pending = call("POST", `${t.adminUrl}/api/players/${LIVING}/announce`, {media: url});
        await waitFor(() => t.app.announcer.queued(LIVING).playing, "the download under way");
        await waitFor(() => dripped > 0, "a byte of the download");
        const stoppedAt = Date.now();
        expect((await call("DELETE", `${t.adminUrl}/api/players/${LIVING}/announce`)).body.cancelled).toEqual({
          waiting: 0,
          playing: true,
        });
        const answer = await pending;
        expect(answer.status).toBe(409);
        expect(answer.body.error).toBe("The announcement on 'Living Room' was cancelled before it played");
        // Closed by the Stop (the 60 s limit is past the test's time), after it.
        await waitFor(() => closedAt > 0, "the download closed");
        expect(closedAt).toBeGreaterThanOrEqual(stoppedAt);
        // The player is free: the next one plays now, and the same URL asked again is tried again.
        const next = await call("POST", `${t.adminUrl}/api/players/${LIVING}/announce`, {
          message: "hello after the stop",
        });
        expect(next.body.result).toBe("played");
        await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back");
      } finally {
        slow.closeAllConnections();
        await new Promise((r) => slow.close(r));
      }
    },
    60_000,
  );
});
