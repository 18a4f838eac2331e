import {describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startWithStory} from "../../helpers/announceStory.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

const start = () => startWithStory(startLinked);

async function playStory(linked: Awaited<ReturnType<typeof start>>) {
  linked.sim.player(LIVING).insertCard("story");
  await waitFor(() => linked.t.app.players.get(LIVING).playback.status === "playing", "the story playing");
}

const relayFetches = (sim: YotoSimulator, id: string) =>
  sim.player(id).fetches.filter((f) => f.url.includes("/relay/"));

/** Publish a bridge request and wait for the answer that carries its transaction. */
async function request(w: Watcher, path: string, body: Record<string, unknown>, timeoutMs = 5000) {
  const topic = `yoto/bridge/response/${path}`;
  await w.client.publishAsync(`yoto/bridge/request/${path}`, JSON.stringify(body));
  await waitFor(() => w.lastJson(topic)?.transaction === body.transaction, `the answer to ${path}`, timeoutMs);
  return w.lastJson(topic);
}

describe("Announcements from Home Assistant over MQTT", () => {
  it("gives every player a notify entity that Home Assistant takes as it is", async () => {
    const {watcher: w} = await start();
    const discovery = (id: string) => w.lastJson(`homeassistant/device/yoto_${id}_yoto/config`);
    await waitFor(() => discovery(LIVING)?.components?.announce && discovery(MINI)?.components?.announce, "both");
    expect(discovery(MINI).components.announce).toEqual({
      platform: "notify",
      unique_id: `yoto_${MINI}_announce_yoto`,
      default_entity_id: "notify.bedroom_mini_announce",
      name: "Announce",
      icon: "mdi:bullhorn",
      command_topic: `yoto/${MINI}/set/announce`,
      retain: false,
    });
    await waitFor(() => w.lastJson(`yoto/${MINI}`)?.battery !== undefined, "the Mini's state");
    const last = new Map<string, string>();
    for (const m of w.seen) last.set(m.topic, m.payload);
    const payloads = [...last]
      .filter(([topic, payload]) => topic.startsWith("homeassistant/device/") && payload !== "")
      .map(([topic, payload]) => ({topic, payload: JSON.parse(payload) as Record<string, unknown>}));
    expect(payloads.length).toBe(3);
    expect(checkDiscovery(payloads, last)).toEqual([]);
  });

  it.skipIf(!SPEECH.path)(
    "speaks the text notify.send_message publishes, then the story comes back; other messages go on meanwhile",
    async () => {
      const linked = await start();
      const {sim, t, watcher: w} = linked;
      await playStory(linked);
      const cards: Array<string | null | undefined> = [];
      t.app.bus.on(cards, "player.changed", ({player, previous}) => {
        if (player.id === LIVING && player.playback.cardId !== previous.playback.cardId)
          cards.push(player.playback.cardId);
      });

      await w.client.publishAsync(`yoto/${LIVING}/set/announce`, "Dinner is ready");
      await waitFor(() => t.app.announcer.clipFor(LIVING) !== undefined, "the announcement under way", 10_000);
      // While it plays, the bridge still handles other messages.
      await w.client.publishAsync(`yoto/${MINI}/set/volume`, "3");
      await waitFor(() => sim.player(MINI).volume === 3, "the Mini's volume");
      expect(t.app.announcer.clipFor(LIVING)).toBeDefined();

      await waitFor(() => relayFetches(sim, LIVING).length === 1, "the relay track fetched", 10_000);
      await waitFor(() => cards.at(-1) === "story" && cards.length >= 2, "the story back", 15_000);
      const relay = t.app.announcer.relayCards().find((r) => r.playerId === LIVING)!;
      // The relay, nothing for a moment once it ends, then the story again.
      expect(cards.filter((c) => c !== undefined && c !== null)).toEqual([relay.cardId, "story"]);
      expect(relayFetches(sim, LIVING)[0]).toMatchObject({status: 200, complete: true});
      expect(t.app.players.get(LIVING).playback).toMatchObject({cardId: "story", status: "playing", chapterKey: "01"});
      // Logged once the resume command is acknowledged, which may come just after the player shows the story.
      await waitFor(
        () => t.logs.some((l) => /INFO \(announce\): Announced speech by \S+ on 'Living Room'/.test(l)),
        "the announcement's log line",
      );
    },
  );

  it("leaves a playing player alone with only_if_idle, and says why an announcement failed", async () => {
    const linked = await start();
    const {sim, t, watcher: w} = linked;
    await playStory(linked);
    const set = (body: unknown) => w.client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify(body));

    await set({announce: {message: "Hi", only_if_idle: true}, transaction: "idle"});
    const skipped =
      "Announcement skipped: 'Living Room' is playing, and this announcement was only for when it is idle";
    await waitFor(() => t.logs.some((l) => l.endsWith(skipped)), "the skip");
    await waitFor(() => w.lastJson("yoto/bridge/response/player/set")?.transaction === "idle", "the answer");
    expect(w.lastJson("yoto/bridge/response/player/set")).toEqual({
      status: "ok",
      data: {player: LIVING},
      transaction: "idle",
    });
    expect(relayFetches(sim, LIVING)).toEqual([]);
    expect(t.app.players.get(LIVING).playback).toMatchObject({cardId: "story", status: "playing"});

    // A failure after the message was taken: a warning with the reason, the player as it was.
    await set({announce: {message: "Hello", engine: "piper"}});
    const failed =
      "WARNING (ha-bridge): Announcement on 'Living Room' failed: Text-to-speech with 'piper' failed: 'piper' is not installed";
    await waitFor(() => t.logs.some((l) => l.endsWith(failed)), "the warning");
    expect(relayFetches(sim, LIVING)).toEqual([]);

    // A mistake in the message itself is refused at once, with what to send instead.
    await set({announce: {message: "Hi", loud: true}, transaction: "bad"});
    await waitFor(() => w.lastJson("yoto/bridge/response/player/set")?.transaction === "bad", "the refusal");
    expect(w.lastJson("yoto/bridge/response/player/set")).toEqual({
      status: "error",
      data: {player: LIVING},
      error:
        "Unknown announcement option(s) 'loud': known are message, media, item, volume, resume, only_if_idle, chime, language, engine, in_quiet, players",
      transaction: "bad",
    });
    await w.client.publishAsync(`yoto/${LIVING}/set/announce`, '{"message": ');
    await waitFor(() => w.lastJson("yoto/bridge/response/player/set")?.transaction === undefined, "the JSON refusal");
    expect(w.lastJson("yoto/bridge/response/player/set").error).toBe(
      'The announcement starts like JSON but is not: send plain text to speak, or an object such as {"message": "Dinner is ready"}',
    );
  });

  it.skipIf(!SPEECH.path)("answers player/announce with the outcome, or with what was wrong", async () => {
    const {sim, watcher: w} = await start();
    const played = await request(
      w,
      "player/announce",
      {player: "Bedroom Mini", message: "Bath time", transaction: 1},
      15_000,
    );
    expect(played).toMatchObject({
      status: "ok",
      data: {player: "Bedroom Mini", playerId: MINI, result: "played", detail: "played to the end", resumed: null},
      transaction: 1,
    });
    expect(played.data.audio).toMatch(/^speech by (espeak-ng|flite|piper)$/);
    expect(relayFetches(sim, MINI).length).toBe(1);

    expect(await request(w, "player/announce", {player: LIVING, message: "Hi", volume: 120, transaction: 2})).toEqual({
      status: "error",
      data: {},
      error: "'volume' must be a number from 0 to 100 (percent), not 120",
      transaction: 2,
    });
    expect(await request(w, "player/announce", {message: "Hi", transaction: 3})).toEqual({
      status: "error",
      data: {},
      error: `Name the player: {"player": "<id or name>", "message": "…"}, or "players": ["<id or name>", …] for several`,
      transaction: 3,
    });
    const many = await request(w, "player/announce", {
      players: ["Attic", MINI],
      message: "Hi",
      only_if_idle: true,
      transaction: 4,
    });
    expect(many).toEqual({
      status: "ok",
      data: {
        results: [
          {
            player: "Attic",
            error: `No player 'Attic': known players are 'Living Room' (${LIVING}), 'Bedroom Mini' (${MINI})`,
            code: "not_found",
          },
          {
            player: "Bedroom Mini",
            playerId: MINI,
            result: "played",
            detail: "played to the end",
            seconds: expect.any(Number),
            audio: expect.any(String),
            resumed: null,
          },
        ],
      },
      transaction: 4,
    });
  });
});
