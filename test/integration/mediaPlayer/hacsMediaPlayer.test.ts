import {readFile} from "node:fs/promises";
import http from "node:http";
import type {AddressInfo} from "node:net";
import path from "node:path";
import mqtt from "mqtt";
import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {CLIENT_ID} from "../../helpers/cloud.js";
import {HacsDiscovery, HacsMediaPlayer} from "../../helpers/hacsMediaPlayer.js";
import {lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {startMosquitto, watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";
import {systemNeed} from "../../helpers/testPrograms.js";
import {tempDir} from "../../helpers/tmp.js";

const MOSQUITTO = systemNeed("mosquitto");

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
// Registered before the app's own cleanup, so it runs after it (after-hooks run in reverse): the
// app says goodbye to the broker before the broker goes.
const brokers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of brokers.splice(0)) await stop();
});
const startLinked = linkedBridge();
const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** A ten-minute story in three chapters, with a cover on the simulated CDN. */
function addStory(sim: YotoSimulator): void {
  const chapter = (key: string, title: string) => ({
    key,
    title,
    tracks: [{key: "01", title: `${title}, part one`, trackUrl: `yoto:#${key}`, type: "audio" as const, duration: 200}],
  });
  sim.addCard({
    cardId: "story",
    title: "The Owl Story",
    metadata: {cover: {imageL: `${sim.url}/covers/owlCover.png`}},
    content: {chapters: [chapter("01", "Night"), chapter("02", "Morning"), chapter("03", "Home")]},
  });
}

/**
 * A doorbell-like MP3 on a local web server, as Home Assistant's TTS proxy would hand one out, and
 * a song as its media browser would (under /media/).
 */
async function chimeServer(): Promise<string> {
  const file = await makeTone(path.join(await tempDir(), "ding.mp3"), {seconds: 1});
  const bytes = await readFile(file);
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith("/api/tts_proxy/") || req.url?.startsWith("/media/"))
      res.writeHead(200, {"Content-Type": "audio/mpeg"}).end(bytes);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closing.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function start() {
  const linked = await startLinked({prepare: addStory, app: {linkToOwnAudioListener: true}});
  await waitFor(() => linked.t.app.players.list().length === 2, "both players");
  const name = linked.t.app.mediaPlayers.names()?.[LIVING] as string;
  const ha = await HacsMediaPlayer.connect(linked.t.app.broker.connection(), name);
  closing.push(() => ha.close());
  await waitFor(() => ha.state !== undefined && ha.available === true, "the media player set up");
  return {...linked, ha, name};
}

/** The topics under homeassistant/media_player/ a new subscriber is handed as retained. */
async function retainedTopics(url: string): Promise<string[]> {
  const w = await watchBroker(url, ["homeassistant/media_player/#"]);
  await new Promise((r) => setTimeout(r, 200));
  await w.close();
  return w.seen
    .filter((m) => m.retain)
    .map((m) => m.topic)
    .sort();
}

// biome-ignore lint/suspicious/noExplicitAny: the bridge's answers are whatever JSON it published
const response = (w: {lastJson(topic: string): any}) => w.lastJson("yoto/bridge/response/player/media");

describe("A Yoto as a Home Assistant media player (the MQTT Media Player integration)", () => {
  it("is set up from the name the user types, and its state follows the player", async () => {
    const {sim, t, ha, name} = await start();
    expect(name).toBe(`yoto_${LIVING}`);
    expect(ha.name).toBe("Living Room");
    expect(ha.haState).toBe("idle");
    expect(ha.errors).toEqual([]);

    sim.player(LIVING).insertCard("story");
    await waitFor(() => ha.haState === "playing" && ha.artist === "The Owl Story", "the story shown");
    expect(ha).toMatchObject({title: "Night, part one", album: "Night", duration: 200, mediaType: "music"});
    expect(ha.position).toBeTypeOf("number");
    await waitFor(() => ha.albumArt !== undefined && ha.albumArt.length > 0, "the cover");
    // JPEG, as the integration tells Home Assistant it is.
    expect(ha.albumArt!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(ha.volume).toBeCloseTo(t.app.players.get(LIVING).volume.level! / 16, 3);

    sim.player(LIVING).removeCard();
    await waitFor(() => ha.haState === "idle" && ha.title === "", "nothing playing");
    // An empty text: the integration decodes no bytes, and Home Assistant shows no picture.
    await waitFor(() => ha.albumArt?.length === 0, "no cover");

    // The service going away: its bridge state goes offline, and so does the media player.
    await t.stop();
    await waitFor(() => ha.haState === "unavailable", "unavailable");
  });

  it.skipIf(!MOSQUITTO.path)(
    "can be turned off, which clears the configs an earlier run left on the broker, and only those",
    async () => {
      const mosquitto = await startMosquitto();
      brokers.push(() => mosquitto.stop());
      const earlier = await mqtt.connectAsync(mosquitto.url);
      const ours = `homeassistant/media_player/yoto_${LIVING}/config`;
      const others = [
        `homeassistant/media_player/yoto_x_${LIVING}/config`,
        "homeassistant/media_player/kitchen/config",
      ];
      for (const topic of [ours, ...others]) await earlier.publishAsync(topic, '{"name": "left"}', {retain: true});
      await earlier.endAsync();

      const {t} = await startLinked({
        flags: ["--mqtt_mode", "external", "--mqtt_url", mosquitto.url, "--ha_media_players", "false"],
      });
      expect(t.app.mediaPlayers.names()).toBeNull();
      await waitFor(() => t.app.players.list().length === 2, "the players");
      // What is retained now: the other instance's and the other device's, not ours.
      let retained: string[] = [];
      for (let i = 0; i < 25 && retained.join() !== others.sort().join(); i++)
        retained = await retainedTopics(mosquitto.url);
      expect(retained).toEqual(others.sort());
    },
  );

  it("plays, pauses, skips and sets the volume (to the nearest step, never above the max)", async () => {
    const {sim, t, ha, watcher: w} = await start();
    sim.player(LIVING).insertCard("story");
    await waitFor(() => ha.haState === "playing", "playing");

    await ha.pause();
    await waitFor(() => ha.haState === "paused", "paused");
    expect(t.app.players.get(LIVING).playback.status).toBe("paused");
    await ha.play();
    await waitFor(() => ha.haState === "playing", "playing again");
    await ha.next();
    await waitFor(() => ha.album === "Morning", "the next chapter");
    await ha.previous();
    await waitFor(() => ha.album === "Night", "back to the first chapter");

    await ha.setVolume(0.5);
    await waitFor(() => t.app.players.get(LIVING).volume.level === 8, "volume 8 of 16");
    await waitFor(() => ha.volume === 0.5, "the volume shown");
    await ha.volumeUp();
    await waitFor(() => t.app.players.get(LIVING).volume.level === 10, "0.6 → step 10");

    const living = sim.player(LIVING);
    living.config.maxVolumeLimit = "12";
    living.config.nightMaxVolumeLimit = "12";
    living.configChanged();
    await waitFor(() => t.app.players.get(LIVING).volume.max === 12, "a max volume of 12");
    await ha.setVolume(1);
    await waitFor(() => t.app.players.get(LIVING).volume.level === 12, "the max, not more");
    await waitFor(
      () => t.logs.some((l) => l.endsWith("Living Room: volume 1.0 is above the max volume 12 of 16: set to the max")),
      "said so",
    );

    // What the integration would never send, but a person with an MQTT tool might.
    for (const [payload, error] of [
      ["1.7", "'1.7' is not a volume: send a number from 0 to 1 (0.5 is half)"],
      ["loud", "'loud' is not a volume: send a number from 0 to 1 (0.5 is half)"],
    ]) {
      await w.client.publishAsync(`yoto/${LIVING}/media/set/volume`, payload!);
      await waitFor(() => response(w)?.error === error, `the refusal of ${payload}`);
      expect(response(w)).toEqual({status: "error", error, data: {player: LIVING, command: "volume"}});
    }
    expect(t.app.players.get(LIVING).volume.level).toBe(12);
  });

  it("speaks a play_media URL (tts.speak) and the story comes back; plays a card by title; refuses the rest", async () => {
    const {sim, t, ha, watcher: w} = await start();
    sim.player(LIVING).insertCard("story");
    await waitFor(() => ha.haState === "playing", "the story playing");
    const base = await chimeServer();

    // What Home Assistant publishes for tts.speak once it resolved the media source.
    await ha.playMedia("audio/mpeg", `${base}/api/tts_proxy/1a2b3c.mp3`);
    await waitFor(() => sim.player(LIVING).fetches.some((f) => f.url.includes("/relay/")), "the relay fetched", 15_000);
    await waitFor(() => response(w)?.status === "ok", "the announcement over", 20_000);
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story back", 15_000);
    expect(ha.artist).toBe("The Owl Story");

    await ha.playMedia("music", "songs");
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "songs", "Songs by its id");
    await ha.playMedia("music", "the owl story");
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "story", "the story by its title");

    const refused = async (mediaId: string, error: string) => {
      await ha.playMedia("music", mediaId);
      await waitFor(() => response(w)?.error === error, `the refusal of ${mediaId}`);
    };
    await refused("The Owl Stroy", "No card called 'The Owl Stroy': did you mean 'The Owl Story' (story)?");
    await refused(
      "ftp://nas.local/ding.mp3",
      "'ftp://nas.local/ding.mp3' is a ftp: address; this player can be sent http(s) URLs, card titles or ids, stream:<name> and library:<item>",
    );
    await refused("stream:", "'stream:' names no stream's name: send stream:<a stream's name>");
    expect(t.app.players.get(LIVING).playback.cardId).toBe("story");
    expect(t.logs.some((l) => l.includes("WARNING (media-players): Ignored the media player's 'playmedia'"))).toBe(
      true,
    );
  });

  it("plays any other URL (the media browser, Music Assistant) as a stream: no chime, the story not brought back", async () => {
    const {sim, t, ha, watcher: w} = await start();
    sim.player(LIVING).insertCard("story");
    await waitFor(() => ha.haState === "playing", "the story playing");
    const base = await chimeServer();
    const relayFetches = () => sim.player(LIVING).fetches.filter((f) => f.url.includes("/relay/")).length;

    await ha.playMedia("audio/mpeg", `${base}/media/local/song.mp3`);
    await waitFor(() => response(w)?.status === "ok", "answered as it starts");
    await waitFor(() => relayFetches() === 1, "the relay fetched");
    await waitFor(
      () => t.logs.some((l) => l.endsWith(`Playing ${base}/media/local/song.mp3 on 'Living Room' as a stream`)),
      "played as a stream",
    );
    // The one-second song plays out and its audio is let go; the story is not started again.
    await waitFor(() => t.app.announcer.relayCards().length === 1 && !t.app.announcer.clipFor(LIVING), "over", 15_000);
    expect(t.app.players.get(LIVING).playback.cardId).not.toBe("story");
    expect(t.logs.some((l) => l.includes("Announced"))).toBe(false);
  });

  it("is found by Home Assistant by itself (2026.9), and mutes and unmutes (the level comes back)", async () => {
    const {sim, t, watcher: w} = await startLinked({prepare: addStory});
    await waitFor(() => t.app.players.list().length === 2, "both players");
    const broker = t.app.broker.connection();
    const discovery = await HacsDiscovery.connect(broker);
    closing.push(() => discovery.close());
    await waitFor(() => discovery.offered.length === 2, "both players offered under Discovered");
    expect([...discovery.offered].sort()).toEqual([`yoto_${LIVING}`, `yoto_${MINI}`].sort());
    const ha = await discovery.accept(broker, `yoto_${LIVING}`);
    closing.push(() => ha.close());
    await waitFor(() => ha.available === true && ha.muted === false, "set up, not muted");

    sim.player(LIVING).setVolumePercent(63);
    await waitFor(() => ha.volume === 0.625, "volume 10 of 16 shown");
    await ha.mute(true);
    await waitFor(() => ha.muted === true && ha.volume === 0, "muted");
    expect(sim.player(LIVING).volume).toBe(0);
    await ha.mute(false);
    await waitFor(() => ha.muted === false && ha.volume === 0.625, "unmuted, the level back");
    expect(sim.player(LIVING).volume).toBe(10);

    // The knob turned while muted ends the mute.
    await ha.mute(true);
    await waitFor(() => ha.muted === true, "muted again");
    sim.player(LIVING).setVolumePercent(25);
    await waitFor(() => ha.muted === false && ha.volume === 0.25, "the knob's level, not muted");

    await w.client.publishAsync(`yoto/${LIVING}/media/set/mute`, "quiet");
    const error = "'quiet' is not a mute command: send 'mute' or 'unmute'";
    await waitFor(() => response(w)?.error === error, "the refusal");
    expect(ha.errors).toEqual([]);
  });

  it.skipIf(!MOSQUITTO.path)(
    "a parent's switch: off clears it in a way the integration survives, and a deleted entry is not offered again at the next start",
    async () => {
      const mosquitto = await startMosquitto();
      brokers.push(() => mosquitto.stop());
      const flags = ["--mqtt_mode", "external", "--mqtt_url", mosquitto.url];
      const {sim, t} = await startLinked({flags, prepare: addStory});
      await waitFor(() => t.app.players.list().length === 2, "both players");
      const broker = {url: mosquitto.url};
      const discovery = await HacsDiscovery.connect(broker);
      closing.push(() => discovery.close());
      await waitFor(() => discovery.offered.includes(`yoto_${LIVING}`), "offered");
      const ha = await discovery.accept(broker, `yoto_${LIVING}`);
      closing.push(() => ha.close());
      await waitFor(() => ha.available === true && ha.volume > 0, "set up");

      await t.app.exposure.set(LIVING, {media_player: false});
      const w = await watchBroker(mosquitto.url, [
        "homeassistant/media_player/#",
        `yoto/${LIVING}/media/#`,
        "yoto/bridge/response/player/media",
      ]);
      closing.push(() => w.close());
      const config = `homeassistant/media_player/yoto_${LIVING}/config`;
      await waitFor(() => ha.removedNotices > 0 && ha.state === "", "cleared");
      // Retained now: nothing but the volume's 0 (an empty volume raises in its float()). A marker
      // published after subscribing arrives after every retained message.
      const retained = async () => {
        const seen = await watchBroker(mosquitto.url, ["homeassistant/media_player/#", `yoto/${LIVING}/media/#`]);
        const marker = `yoto/${LIVING}/media/marker`;
        await seen.client.publishAsync(marker, "end");
        await waitFor(() => seen.last(marker) === "end", "the marker");
        await seen.close();
        return seen.seen.filter((m) => m.retain && m.topic.includes(LIVING)).map((m) => `${m.topic}=${m.payload}`);
      };
      let left: string[] = [];
      for (let i = 0; i < 25 && left.join() !== `yoto/${LIVING}/media/volume=0`; i++) left = await retained();
      expect(left).toEqual([`yoto/${LIVING}/media/volume=0`]);
      expect(ha.errors).toEqual([]);
      // Off: its commands are refused, and nothing of it is published any more.
      await ha.mute(true);
      const off =
        "'Living Room' is not offered to Home Assistant as a media player: turn its media player on in its details in the panel";
      await waitFor(() => response(w)?.error === off, "the refusal");
      expect(lastOnEveryTopic(w).get(config) ?? "").toBe("");

      // The parent deletes the entry in Home Assistant; the service starts again.
      await ha.deleteEntry();
      discovery.offered.length = 0;
      discovery.configured.delete(`yoto_${LIVING}`);
      await t.stop();
      const again = await startApp(["--yoto_client_id", CLIENT_ID, ...flags], {
        dataDir: t.dataDir,
        mediaDir: path.join(t.dataDir, "..", "media2"),
        cloud: sim.endpoints,
        republishDelayMs: () => 0,
      });
      await waitFor(() => again.app.players.list().length === 2, "both players again");
      await waitFor(() => discovery.offered.includes(`yoto_${MINI}`), "the other player offered");
      expect(discovery.offered).toEqual([`yoto_${MINI}`]);
      expect(again.app.exposure.get(LIVING).media_player).toBe(false);

      // Back on: offered again.
      await again.app.exposure.set(LIVING, {media_player: true});
      await waitFor(() => discovery.offered.includes(`yoto_${LIVING}`), "offered again");
      await again.stop();
    },
    60_000,
  );
});
