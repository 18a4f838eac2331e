import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {discoveryProblems} from "../../helpers/discoverySchema.js";
import {renderCommandTemplate} from "../../helpers/haTemplates.js";
import {linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

const startLinked = linkedBridge();
let sim: YotoSimulator | undefined;
let t: TestApp | undefined;
let watcher: Watcher | undefined;

/** The whole service on the simulator, linked, once both players have reported. */
async function linkedApp(flags: string[] = []) {
  ({sim, t, watcher} = await startLinked({flags}));
  await waitFor(() => watcher!.lastJson(`yoto/${LIVING}`)?.volume === 8, "the Living Room's state");
  await waitFor(() => watcher!.lastJson(`yoto/${MINI}`)?.battery !== undefined, "the Mini's state");
  return {sim, t, watcher};
}

const discoveryTopic = (id: string) => `homeassistant/device/yoto_${id}_yoto/config`;

describe("Home Assistant bridge", () => {
  it("publishes valid device discovery for every player and the bridge, with unique ids", async () => {
    const {watcher: w} = await linkedApp();
    for (const id of [LIVING, MINI])
      await waitFor(() => w.lastJson(discoveryTopic(id))?.components?.play_card !== undefined, "the card pickers");
    const ids = new Set<string>();
    for (const id of [LIVING, MINI]) {
      const payload = w.lastJson(discoveryTopic(id));
      expect(discoveryProblems(payload)).toEqual([]);
      expect(payload.device).toMatchObject({
        identifiers: [`yoto_${id}`],
        manufacturer: "Yoto",
        via_device: "yoto_bridge_yoto",
      });
      expect(payload.origin).toEqual({
        name: "Yoto Smart Stream",
        sw_version: "test",
        support_url: "https://github.com/yoto-smart-stream/yoto-smart-stream",
      });
      expect(payload.availability_mode).toBe("all");
      const components = Object.values(payload.components) as Array<{platform: string; unique_id?: string}>;
      const platforms = [
        "sensor",
        "binary_sensor",
        "number",
        "button",
        "event",
        "image",
        "tag",
        "switch",
        "time",
        "update",
      ];
      // Lights for the ring (not on the Mini); the card picker once the family's cards are read.
      expect(new Set(components.map((c) => c.platform))).toEqual(
        new Set([...platforms, "notify", "device_automation", ...(id === LIVING ? ["light", "select"] : ["select"])]),
      );
      for (const c of components) if (c.unique_id) ids.add(c.unique_id);
    }
    // Retained: a client connecting later (Home Assistant after a restart) gets discovery at once.
    const late = await watchBroker(t!.app.broker.connection(), ["homeassistant/device/#"]);
    await waitFor(() => late.seen.length >= 3, "retained discovery for a late subscriber");
    expect(
      late.seen
        .filter((m) => m.retain)
        .map((m) => m.topic)
        .sort(),
    ).toEqual([discoveryTopic(MINI), discoveryTopic(LIVING), "homeassistant/device/yoto_bridge_yoto/config"].sort());
    await late.close();
    // Every component but the tag and the device triggers is an entity with a unique id.
    const entities = (id: string) =>
      Object.values(w.lastJson(discoveryTopic(id)).components as Record<string, {platform: string}>).filter(
        (c) => c.platform !== "tag" && c.platform !== "device_automation",
      ).length;
    expect(ids.size).toBe(entities(LIVING) + entities(MINI));
    // The Mini has no light ring (3 lights) nor light sensor (ambient light, 2 auto-brightness switches).
    expect([entities(LIVING), entities(MINI)]).toEqual([49, 43]);
    for (const id of ids) expect(id).toMatch(/_yoto$/);
    const living = w.lastJson(discoveryTopic(LIVING));
    expect(living.device.model).toBe("Yoto Player (3rd gen)");
    expect(w.lastJson(discoveryTopic(MINI)).device.model).toBe("Yoto Mini");
    expect(living.components.volume).toMatchObject({command_topic: `yoto/${LIVING}/set/volume`, min: 0, max: 16});
    const bridge = w.lastJson("homeassistant/device/yoto_bridge_yoto/config");
    expect(discoveryProblems(bridge)).toEqual([]);
    expect(w.lastJson("yoto/bridge/state")).toEqual({state: "online"});
    expect(w.lastJson("yoto/bridge/info")).toMatchObject({cloud: "connected", account: "linked", players: 2});
    expect(w.lastJson(`yoto/${LIVING}/availability`)).toEqual({state: "online"});
  });

  it("state and availability follow the virtual player, and card insertion is an event and a tag", async () => {
    const {sim: s, watcher: w} = await linkedApp();
    s.player(LIVING).turnKnob(-3);
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.volume === 5, "the knob turn in the state");
    expect(w.lastJson(`yoto/${LIVING}`)).toMatchObject({volume_percent: 32, online: true, name: "Living Room"});
    s.player(LIVING).insertCard("songs");
    await waitFor(() => w.last(`yoto/${LIVING}/card`) === "songs", "the tag scan");
    const event = w.seen.find((m) => m.topic === `yoto/${LIVING}/event`);
    expect(event).toMatchObject({retain: false});
    expect(JSON.parse(event!.payload)).toEqual({event_type: "card_inserted", card_id: "songs"});
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.card_title === "Songs", "the card's title");
    expect(w.lastJson(`yoto/${LIVING}`)).toMatchObject({playback: "playing", card_id: "songs", track_title: "Song"});
    s.player(MINI).powerOff();
    await waitFor(() => w.lastJson(`yoto/${MINI}/availability`)?.state === "offline", "the Mini to go unavailable");
    expect(w.lastJson(`yoto/${MINI}`)?.online).toBe(false);
  });

  it("set topics reach the virtual player; a malformed set gets an error response and nothing else", async () => {
    const {sim: s, t: app, watcher: w} = await linkedApp();
    const client = w.client;
    await client.publishAsync(`yoto/${LIVING}/set/volume`, "4");
    await waitFor(() => s.player(LIVING).volume === 4, "volume 4 on the player");
    await client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify({card: "songs"}));
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.playback === "playing", "the card to play");
    await client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify({command: "pause", transaction: 7}));
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.playback === "paused", "pause");
    // The answer follows the player's acknowledgement, which can come after its state report.
    await waitFor(() => w.lastJson("yoto/bridge/response/player/set")?.transaction === 7, "the pause's answer");
    expect(w.lastJson("yoto/bridge/response/player/set")).toEqual({
      status: "ok",
      data: {player: LIVING},
      transaction: 7,
    });

    const before = w.seen.length;
    await client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify({volume: 20, sleep_timer: 10, transaction: "x1"}));
    await waitFor(() => w.seen.length > before, "an answer");
    await w.handledSoFar();
    const after = w.seen
      .slice(before)
      .filter((m) => !m.topic.startsWith(`yoto/${LIVING}/set`) && !m.topic.endsWith("/health_check")); // not our own
    expect(after.map((m) => m.topic)).toEqual(["yoto/bridge/response/player/set"]);
    expect(JSON.parse(after[0]!.payload)).toEqual({
      status: "error",
      data: {player: LIVING},
      error: "'volume' must be a whole number from 0 to 16 (the player's steps) (got 20)",
      transaction: "x1",
    });
    expect(s.player(LIVING).sleepTimer).toBeUndefined();
    expect(app.logs.some((l) => l.includes(`Ignored 'yoto/${LIVING}/set': 'volume' must be`))).toBe(true);

    await client.publishAsync(`yoto/${LIVING}/set/colour`, "red");
    await waitFor(
      () => w.lastJson("yoto/bridge/response/player/set")?.error?.startsWith("Cannot set 'colour'"),
      "unknown key",
    );
    expect(w.lastJson("yoto/bridge/response/player/set").error).toBe(
      "Cannot set 'colour': settable keys are state, volume, volume_percent, sleep_timer, card, ambient, seek, night_light, day_colour, night_colour, day_max_volume, night_max_volume, day_brightness, night_brightness, day_time, night_time, bluetooth, headphones_volume_limited, sleep_at_track_end, card_group, card_option, alarm_<n>, announce",
    );
  });

  it("answers bridge requests with the transaction, republishes on Home Assistant's birth, clears removed players", async () => {
    const {sim: s, t: app, watcher: w} = await linkedApp();
    await w.client.publishAsync("yoto/bridge/request/health_check", JSON.stringify({transaction: "abc"}));
    await waitFor(() => w.last("yoto/bridge/response/health_check") !== undefined, "health answer");
    expect(w.lastJson("yoto/bridge/response/health_check")).toEqual({
      status: "ok",
      data: {healthy: true, cloud: "connected"},
      transaction: "abc",
    });
    await w.client.publishAsync("yoto/bridge/request/teleport", "");
    await waitFor(() => w.last("yoto/bridge/response/teleport") !== undefined, "unknown request answer");
    expect(w.lastJson("yoto/bridge/response/teleport").error).toBe(
      "Unknown request 'teleport': use one of health_check, restart, player/command, player/announce, player/announce_cancel, stream/preset, rules/reload, rules/enable, stream/refresh, player/quiet/end, family/bonus, family/allow, family/not_tonight, family/listener, voice, family/sleep, shelf/play, shelf/story_radio",
    );

    const count = () => w.seen.filter((m) => m.topic === discoveryTopic(LIVING)).length;
    const published = count();
    await w.client.publishAsync("homeassistant/status", "online");
    await waitFor(() => count() > published, "discovery republished after HA's birth");

    s.removePlayer(MINI);
    await app.app.players.refreshDevices();
    await waitFor(() => w.last(discoveryTopic(MINI)) === "", "the Mini's discovery cleared");
    expect(w.last(`yoto/${MINI}`)).toBe("");
    expect(w.lastJson("yoto/bridge/players").map((p: {name: string}) => p.name)).toEqual(["Living Room"]);
  });

  it("offers one select per stream with presets, switches presets from HA, and removes it with the stream", async () => {
    const {t: app, watcher: w} = await linkedApp();
    const bridgeTopic = "homeassistant/device/yoto_bridge_yoto/config";
    await app.app.streams.replace("bedtime", []);
    await app.app.streams.definePreset("bedtime", "calm", []);
    await app.app.streams.definePreset("bedtime", "stories", []);
    await waitFor(
      () => w.lastJson(bridgeTopic)?.components?.stream_bedtime?.options?.length === 2,
      "the stream select",
    );
    const select = w.lastJson(bridgeTopic).components.stream_bedtime;
    expect(select).toMatchObject({
      platform: "select",
      options: ["calm", "stories"],
      command_topic: "yoto/bridge/request/stream/preset",
    });
    expect(discoveryProblems(w.lastJson(bridgeTopic))).toEqual([]);
    // What HA sends when someone picks "stories": the command template filled in.
    await w.client.publishAsync(
      "yoto/bridge/request/stream/preset",
      renderCommandTemplate(select.command_template, {value: "stories"}),
    );
    await waitFor(
      () => w.lastJson("yoto/bridge/info")?.streams?.bedtime === "stories",
      "the active preset in bridge/info",
    );
    expect(app.app.streams.get("bedtime").activePreset).toBe("stories");
    await app.app.streams.delete("bedtime");
    await waitFor(
      () => w.lastJson(bridgeTopic)?.components?.stream_bedtime?.unique_id === undefined,
      "the select removed",
    );
    expect(w.lastJson(bridgeTopic).components.stream_bedtime).toEqual({platform: "select"});
  });
});
