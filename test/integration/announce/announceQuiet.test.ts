import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {addStory} from "../../helpers/announceStory.js";
import {HacsMediaPlayer} from "../../helpers/hacsMediaPlayer.js";
import {call} from "../../helpers/http.js";
import {type LinkedBridge, linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";

/** A local speech engine: these tests speak (announcements, narration). */
const SPEECH = systemNeed("speech");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

/** A story to be paused on, and Ben's plan: no listening left today, so both his players are quiet until midnight. */
async function start(): Promise<LinkedBridge & {url: (path: string) => string}> {
  const linked = await startLinked({
    app: {linkToOwnAudioListener: true, timeZone: "UTC"},
    prepare: addStory,
  });
  const {t} = linked;
  await waitFor(() => t.app.players.list().length === 2, "both players");
  for (const id of [LIVING, MINI])
    await waitFor(() => t.app.players.get(id).settings?.dayMaxVolume !== undefined, "max volumes reported");
  return {...linked, url: (path: string) => `${t.adminUrl}${path}`};
}

async function benQuiet(s: Awaited<ReturnType<typeof start>>, players: string[], extra: object = {}) {
  const res = await call("PUT", s.url("/api/children/Ben"), {
    players,
    budget: {minutes: 0},
    bonus: {minutes: 15, daily_cap: 3},
    ...extra,
  });
  expect(res.status).toBe(200);
  for (const name of players) {
    const id = name === "Living Room" ? LIVING : MINI;
    await waitFor(() => s.t.app.players.get(id).settings?.dayMaxVolume === 0, `${name} held quiet`);
  }
}

/** The volume and max volume the player reported while it played the announcement's relay card. */
function heardOnRelay(s: LinkedBridge, playerId: string): Array<{percent?: number; max?: number}> {
  const heard: Array<{percent?: number; max?: number}> = [];
  s.t.app.bus.on(heard, "player.changed", ({player}) => {
    if (player.id !== playerId || player.playback.status !== "playing") return;
    if (player.playback.cardId && s.t.app.announcer.isRelayCard(player.playback.cardId))
      heard.push({percent: player.volume.percent, max: player.volume.max});
  });
  return heard;
}

const relayFetches = (s: LinkedBridge, id: string) => s.sim.player(id).fetches.filter((f) => f.url.includes("/relay/"));

async function bridgeRequest(w: Watcher, body: Record<string, unknown>) {
  const topic = "yoto/bridge/response/player/announce";
  await w.client.publishAsync("yoto/bridge/request/player/announce", JSON.stringify(body));
  await waitFor(() => w.lastJson(topic)?.transaction === body.transaction, "the bridge's answer");
  return w.lastJson(topic);
}

const LEFT_ASLEEP = (name: string) =>
  `Ben's listening for today is used up: '${name}' is quiet until tomorrow 00:00; the announcement left it asleep (send in_quiet: "play" to announce through quiet hours)`;

describe("Announcements and quiet hours", () => {
  it.skipIf(!SPEECH.path)(
    "plays a parent's announcement to a child's quiet player audibly, puts quiet back, and takes it for no request",
    async () => {
      const s = await start();
      const {t} = s;
      const requested: unknown[] = [];
      t.app.bus.on(requested, "family.requested", (r) => {
        requested.push(r);
      });
      s.sim.player(MINI).insertCard("story");
      await waitFor(() => t.app.players.get(MINI).playback.cardId === "story", "the story in");
      await benQuiet(s, ["Bedroom Mini"]);
      // The plan paused the story when quiet began; a request from that is the child's, not ours.
      await waitFor(() => t.app.players.get(MINI).playback.status === "paused", "the story paused by quiet");
      await t.app.family.evaluate();
      requested.length = 0;
      const heard = heardOnRelay(s, MINI);

      const res = await call("POST", s.url(`/api/players/${MINI}/announce`), {message: "Dinner is ready"});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({result: "played", detail: "played to the end"});
      // Heard: while the relay played, the max volume was the player's own and the volume above 0.
      expect(heard.length).toBeGreaterThan(0);
      expect(heard.every((h) => (h.max ?? 0) > 0 && (h.percent ?? 0) > 0)).toBe(true);
      // Quiet again afterwards, still until midnight, and the story back where it was, paused.
      await waitFor(() => t.app.players.get(MINI).settings?.dayMaxVolume === 0, "max volume 0 again");
      expect(t.app.quietHours.period(MINI)?.lifted).toBeUndefined();
      expect(t.app.players.get(MINI).playback).toMatchObject({cardId: "story", status: "paused"});
      // The relay's play and the story coming back were the service's, not Ben pressing play.
      await t.app.family.evaluate();
      expect(requested).toEqual([]);
      const ben = t.app.family.child("Ben");
      expect(ben.request).toBeNull();
      expect(ben.journal.map((e) => e.what)).not.toContain("request");
      expect(ben.minutes_used).toBe(0);
    },
    60_000,
  );

  it("leaves quiet players asleep when asked or broadcast to, answering through the API, the bridge and the media player without playing", async () => {
    const s = await start();
    const {t, watcher: w} = s;
    await benQuiet(s, ["Living Room", "Bedroom Mini"]);

    const asked = await call("POST", s.url(`/api/players/${MINI}/announce`), {message: "Hi", in_quiet: "skip"});
    expect(asked.body).toEqual({
      player: "Bedroom Mini",
      playerId: MINI,
      result: "skipped",
      detail: LEFT_ASLEEP("Bedroom Mini"),
    });

    // Several players at once is a broadcast: asleep by default, through the API and the bridge.
    const many = await call("POST", s.url("/api/announce"), {players: [LIVING, MINI], message: "Doorbell"});
    expect(many.body.results.map((r: {result: string; detail: string}) => [r.result, r.detail])).toEqual([
      ["skipped", LEFT_ASLEEP("Living Room")],
      ["skipped", LEFT_ASLEEP("Bedroom Mini")],
    ]);
    const bridged = await bridgeRequest(w, {
      players: ["Living Room", "Bedroom Mini"],
      message: "Doorbell",
      transaction: 1,
    });
    expect(bridged.status).toBe("ok");
    expect(bridged.data.results.map((r: {result: string}) => r.result)).toEqual(["skipped", "skipped"]);
    const one = await bridgeRequest(w, {player: "Bedroom Mini", message: "Hi", in_quiet: "skip", transaction: 2});
    expect(one.data).toMatchObject({result: "skipped", detail: LEFT_ASLEEP("Bedroom Mini")});

    // Home Assistant's tts.speak (a doorbell, a speaker group) arrives as play_media with a URL.
    const name = t.app.mediaPlayers.names()?.[MINI] as string;
    const ha = await HacsMediaPlayer.connect(t.app.broker.connection(), name);
    try {
      await waitFor(() => ha.available === true, "the media player set up");
      await ha.playMedia("audio/mpeg", "http://127.0.0.1:9/api/tts_proxy/doorbell.mp3");
      const media = "yoto/bridge/response/player/media";
      await waitFor(() => w.lastJson(media)?.result === "skipped", "the media player's answer");
      expect(w.lastJson(media)).toMatchObject({status: "ok", detail: LEFT_ASLEEP("Bedroom Mini")});
    } finally {
      await ha.close();
    }
    // Nothing reached either player, and nothing was lifted.
    expect(relayFetches(s, LIVING)).toEqual([]);
    expect(relayFetches(s, MINI)).toEqual([]);
    expect(t.app.players.get(MINI).settings?.dayMaxVolume).toBe(0);
    expect(t.app.announcer.health().details).toMatchObject({skipped: 7, played: 0});

    const bad = await call("POST", s.url(`/api/players/${MINI}/announce`), {message: "Hi", in_quiet: "maybe"});
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe(
      `'in_quiet' must be "play" (announce through quiet hours, then quiet again) or "skip" (leave a quiet player asleep), not "maybe"`,
    );
  }, 60_000);

  it.skipIf(!SPEECH.path)(
    "is heard in quiet hours set by hand, and the quiet stays until its end",
    async () => {
      const s = await start();
      const {t} = s;
      const quiet = await call("POST", s.url(`/api/players/${LIVING}/quiet`), {until: "23:59"});
      expect(quiet.status, JSON.stringify(quiet.body)).toBe(200);
      await waitFor(() => t.app.players.get(LIVING).settings?.dayMaxVolume === 0, "max volume 0");
      const until = t.app.quietHours.period(LIVING)?.until;
      const heard = heardOnRelay(s, LIVING);
      const res = await call("POST", s.url(`/api/players/${LIVING}/announce`), {message: "Bath time"});
      expect(res.body).toMatchObject({result: "played"});
      expect(heard.length).toBeGreaterThan(0);
      expect(heard.every((h) => (h.max ?? 0) > 0 && (h.percent ?? 0) > 0)).toBe(true);
      await waitFor(() => t.app.players.get(LIVING).settings?.dayMaxVolume === 0, "max volume 0 again");
      expect(t.app.quietHours.period(LIVING)?.until).toBe(until);
    },
    60_000,
  );

  it.skipIf(!SPEECH.path)(
    "ends an announcement at once when quiet hours begin during it, and leaves the player quiet",
    async () => {
      const s = await start();
      const {t} = s;
      const answer = call("POST", s.url(`/api/players/${LIVING}/announce`), {
        message: "This is a long announcement about dinner, and bath time, and brushing teeth, and stories in bed",
      });
      await waitFor(
        () => {
          const pb = t.app.players.get(LIVING).playback;
          return pb.status === "playing" && pb.cardId !== null && t.app.announcer.isRelayCard(pb.cardId);
        },
        "the announcement playing",
        20_000,
      );
      expect((await call("POST", s.url(`/api/players/${LIVING}/quiet`), {until: "23:59"})).status).toBe(200);
      const res = await answer;
      // Answered because quiet paused it ("paused during it"), not once the clip's length and the
      // slack (about 50 s) ran out, which answers "the player did not report the end; timed out".
      expect(res.body).toMatchObject({result: "played", detail: "paused during it"});
      expect(t.app.players.get(LIVING).settings?.dayMaxVolume).toBe(0);
    },
    60_000,
  );

  it("adds a second bonus to the one running: two 15-minute bonuses lift the quiet for 30 minutes", async () => {
    const s = await start();
    await benQuiet(s, ["Bedroom Mini"]);
    const first = await call("POST", s.url("/api/children/Ben/bonus"), {});
    expect(first.status).toBe(200);
    const second = await call("POST", s.url("/api/children/Ben/bonus"), {minutes: 15});
    expect(second.status).toBe(200);
    const bonus = second.body.bonus as {granted_at: string; until: string; minutes: number};
    expect(Date.parse(bonus.until) - Date.parse(bonus.granted_at)).toBe(30 * 60_000);
    expect(bonus.minutes).toBe(30);
    expect(second.body).toMatchObject({bonuses_today: 2, bonus_minutes: 30, quiet_until: null});
    await waitFor(() => s.t.app.players.get(MINI).settings?.dayMaxVolume === 16, "the quiet lifted");
  }, 60_000);
});
